from __future__ import annotations

from datetime import date

from rules.engine.dates import add_months, first_of_next_month, months_completed


def test_it_reaches_twelve_months_on_the_same_day_a_year_later():
    assert add_months(date(2023, 7, 1), 12) == date(2024, 7, 1)
    assert months_completed(date(2023, 7, 1), date(2024, 6, 30)) == 11
    assert months_completed(date(2023, 7, 1), date(2024, 7, 1)) == 12


def test_it_lands_a_month_end_start_on_the_last_day_of_a_shorter_month():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert months_completed(date(2024, 1, 31), date(2024, 2, 29)) == 1


def test_it_counts_no_months_before_the_start():
    assert months_completed(date(2024, 5, 1), date(2024, 4, 1)) == 0


def test_it_finds_the_first_day_of_the_next_month():
    assert first_of_next_month(date(2024, 12, 31)) == date(2025, 1, 1)
