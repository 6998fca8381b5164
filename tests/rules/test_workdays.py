"""Working days: chinese_calendar first, but a bureau's override always wins."""

from __future__ import annotations

from datetime import date

import pytest

from rules.models import CalendarOverride
from rules.workdays import CalendarUnknownError, add_working_days, is_working_day, working_days_from

pytestmark = pytest.mark.django_db


def test_it_skips_the_national_day_holiday():
    assert add_working_days(date(2024, 9, 30), 5) == date(2024, 10, 11)


def test_it_counts_an_official_make_up_working_day():
    assert is_working_day(date(2024, 10, 12)) is True  # Saturday, 调休上班
    assert working_days_from(date(2024, 10, 12), 1) == [date(2024, 10, 12)]


def test_it_starts_from_the_next_working_day_when_the_start_is_a_holiday():
    assert working_days_from(date(2024, 10, 1), 1) == [date(2024, 10, 8)]


def test_it_explains_an_unknown_year():
    with pytest.raises(CalendarUnknownError) as caught:
        add_working_days(date(2027, 1, 4), 1)
    assert "2027年" in str(caught.value)


def test_it_lets_a_bureau_override_win():
    CalendarOverride.objects.create(date=date(2024, 10, 8), is_workday=False, note="示例")
    assert add_working_days(date(2024, 9, 30), 2) == date(2024, 10, 9)


def test_it_uses_overrides_for_a_year_the_package_does_not_know():
    CalendarOverride.objects.create(date=date(2027, 1, 4), is_workday=True)
    assert add_working_days(date(2027, 1, 4), 1) == date(2027, 1, 4)
