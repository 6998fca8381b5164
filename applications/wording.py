"""Words for applicants. The engine names the profile field it misses, for auditors and the
command line (e.g. "（employment.months_in_region）"); applicants read the Chinese words alone."""

from __future__ import annotations

import re

_FIELD_CODE = re.compile(r"（[A-Za-z0-9_.\[\]/ ]+）")
_BARE_CODES = {"professional_work_since": "参加专业技术工作时间"}


def plain_message(value: str) -> str:
    text = _FIELD_CODE.sub("", value or "")
    for code, words in _BARE_CODES.items():
        text = text.replace(code, words)
    return text
