"""Dates and times as people read them on pages, in messages and documents: 2026年12月4日 and
2026年12月4日 17:00 (local time), never a zero-padded month or day, never an ISO string."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def chinese_date(day: date | datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime) and timezone.is_aware(day):
        day = timezone.localtime(day)
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_datetime(moment: datetime | None, *, year: bool = True) -> str:
    """``year=False`` leaves the year out (12月4日 17:00), for a date plainly in the current year."""
    if moment is None:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    text = f"{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local.year}年{text}" if year else text
