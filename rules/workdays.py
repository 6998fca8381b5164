"""Working days of mainland China: weekends and public holidays excluded, official make-up
working days included. ``chinese_calendar`` knows the State Council's arrangements only for
the years it ships (up to 2026 in 1.11.0); a bureau fills later years, or corrects any day,
through :class:`rules.models.CalendarOverride`, which is consulted first."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar

# Far more than any publicity period or lead time; stops a runaway loop on bad input.
MAX_DAYS = 3660


class CalendarUnknownError(LookupError):
    """The holiday arrangement of ``year`` is not known and no override covers ``day``."""

    def __init__(self, day: date) -> None:
        self.day = day
        from django.utils.translation import gettext

        super().__init__(
            gettext("%(year)s年法定节假日安排尚未收录（%(day)s），请由人社部门在工作日历调整中补录该年节假日")
            % {"year": day.year, "day": day.isoformat()}
        )


def load_overrides(start: date, end: date) -> dict[date, bool]:
    """The bureau's overrides between two dates; empty when there is no database to ask."""
    from django.db import DatabaseError

    from rules.models import CalendarOverride

    try:
        rows = CalendarOverride.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday")
        return dict(rows)
    except DatabaseError:
        return {}


def is_working_day(day: date, *, overrides: Mapping[date, bool] | None = None) -> bool:
    if overrides is not None and day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise CalendarUnknownError(day) from None


def working_days_from(start: date, days: int, *, overrides: Mapping[date, bool] | None = None) -> list[date]:
    """The ``days`` working days counted from ``start`` (itself when it is a working day)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    if days > MAX_DAYS:
        raise ValueError(f"days must be at most {MAX_DAYS}")
    if overrides is None:
        # Generous bound: holidays never stretch n working days past 2n + 370 calendar days.
        overrides = load_overrides(start, start + timedelta(days=days * 2 + 370))
    counted: list[date] = []
    day = start
    while len(counted) < days:
        if is_working_day(day, overrides=overrides):
            counted.append(day)
        day += timedelta(days=1)
    return counted


def add_working_days(start: date, days: int, *, overrides: Mapping[date, bool] | None = None) -> date:
    """The last of ``days`` working days counted from ``start`` (e.g. a 5-working-day publicity)."""
    return working_days_from(start, days, overrides=overrides)[-1]
