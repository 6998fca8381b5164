"""Calendar-month arithmetic.

The documents count "满12个月" and "满1年" in calendar months: twelve months after 2023-07-01
are complete on 2024-07-01. A start on the 31st lands on the last day of a shorter month.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def months_completed(start: date, end: date) -> int:
    """Whole calendar months from ``start`` reached by ``end`` (0 when end precedes start)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def first_of_next_month(day: date) -> date:
    return add_months(day.replace(day=1), 1)


def year_end(day: date) -> date:
    return date(day.year, 12, 31)


def day_before(day: date) -> date:
    return day - timedelta(days=1)


def cn_date(day: date | None) -> str:
    """Dates as people read them on screen: 2024年9月20日."""
    if day is None:
        return "—"
    return f"{day.year}年{day.month}月{day.day}日"
