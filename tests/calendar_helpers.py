"""The working-day calendar for tests that count days from today."""

from __future__ import annotations

from datetime import date, timedelta


def calendar_filled_in(start: date, days: int = 60) -> None:
    """Near a new year the holiday package may not know the next year yet; the bureau then fills
    the working-day calendar in (weekdays work) through its calendar corrections. Done here for
    the days a test counts, and only where the package does not know the day."""
    import chinese_calendar

    from rules.models import CalendarOverride

    for offset in range(days):
        day = start + timedelta(days=offset)
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            CalendarOverride.objects.get_or_create(date=day, defaults={"is_workday": day.weekday() < 5})
