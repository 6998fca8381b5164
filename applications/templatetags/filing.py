from __future__ import annotations

import re
from datetime import datetime

from django import template

register = template.Library()


@register.filter
def iso_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 string (as ``rules.windows`` answers) as a datetime for the ``date`` filter."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


@register.filter
def file_size(value: int) -> str:
    if value >= 1024 * 1024:
        return f"{value / 1048576:.1f}MB"
    return f"{max(1, -(-value // 1024))}KB"  # rounded up: a small file is never "0KB"


# The engine names the profile field it misses, for auditors and the command line (e.g.
# "（employment.months_in_region）"); applicants read the Chinese words alone.
_FIELD_CODE = re.compile(r"（[A-Za-z0-9_.\[\]/ ]+）")
_BARE_CODES = {"professional_work_since": "参加专业技术工作时间"}


@register.filter
def plain_message(value: str) -> str:
    text = _FIELD_CODE.sub("", value or "")
    for code, words in _BARE_CODES.items():
        text = text.replace(code, words)
    return text
