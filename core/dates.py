"""Dates and times as people read them on pages, in messages and documents: 2026年12月4日 and
2026年12月4日 17:00 (local time), never a zero-padded month or day, never an ISO string.

The one formatter of a day is ``rules.engine.dates.cn_date`` (the engine has no Django); these add
local time for aware datetimes and an empty answer for no date. ``chinese_date`` and
``chinese_datetime`` are always Chinese (stored text, notices and documents use them);
``local_date`` and ``local_datetime`` read the page's language (4 December 2026, 4 December 2026
17:00 in English) and are what pages show."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import dateformat, timezone
from django.utils.translation import get_language

from rules.engine.dates import cn_date


def chinese_date(day: date | datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime) and timezone.is_aware(day):
        day = timezone.localtime(day)
    return cn_date(day)


def chinese_datetime(moment: datetime | None, *, year: bool = True, seconds: bool = False) -> str:
    """``year=False`` leaves the year out (12月4日 17:00), for a date plainly in the current year;
    ``seconds=True`` adds them (17:00:05), for receipts and audit lines."""
    if moment is None:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    text = f"{local.month}月{local.day}日 {clock}"
    return f"{local.year}年{text}" if year else text


def _chinese_page() -> bool:
    language = get_language()
    return not language or language.startswith("zh")


def local_date(day: date | datetime | None) -> str:
    """``chinese_date`` on a Chinese page; ``4 December 2026`` on an English one."""
    if day is None or _chinese_page():
        return chinese_date(day)
    if isinstance(day, datetime) and timezone.is_aware(day):
        day = timezone.localtime(day)
    return dateformat.format(day, "j F Y")


def local_datetime(moment: datetime | None, *, year: bool = True, seconds: bool = False) -> str:
    """``chinese_datetime`` on a Chinese page; ``4 December 2026 17:00`` on an English one."""
    if moment is None or _chinese_page():
        return chinese_datetime(moment, year=year, seconds=seconds)
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return dateformat.format(local, ("j F Y" if year else "j F") + (" H:i:s" if seconds else " H:i"))
