"""Words for applicants. The engine names the profile field it misses, for auditors and the
command line (e.g. "（employment.months_in_region）"); applicants read the Chinese words alone."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_FIELD_CODE = re.compile(r"（[A-Za-z0-9_.\[\]/ ]+）")
_BARE_CODES = {"professional_work_since": gettext_lazy("参加专业技术工作时间")}


def plain_message(value: str) -> str:
    text = _FIELD_CODE.sub("", value or "")
    for code, words in _BARE_CODES.items():
        text = text.replace(code, str(words))
    return text


def reader_date(day: date) -> str:
    """A day as the reader's language writes it: 2026年12月4日 in Chinese (as ``chinese_date``)."""
    return dateformat.format(day, _("Y年n月j日"))


def reader_moment(moment: datetime, *, spaced: bool = True) -> str:
    """A local (China Standard Time) moment to the second in the reader's language:
    2026年12月4日 17:00:05 in Chinese (``spaced=False``: 2026年12月4日17:00:05)."""
    from rules.windows import CST

    local = moment.astimezone(CST)
    return dateformat.format(local, _("Y年n月j日 H:i:s") if spaced else _("Y年n月j日H:i:s"))
