"""Statutory retirement age: the 2024 NPC Standing Committee decision, in force 2025-01-01."""

from __future__ import annotations

from datetime import date

import pytest

from rules.engine.retirement import statutory_retirement


@pytest.mark.parametrize(
    ("birth", "gender", "original", "age_text", "retires_on"),
    [
        (date(1964, 12, 1), "M", None, "60岁", date(2024, 12, 1)),  # old rules: before 2025
        (date(1965, 1, 15), "M", None, "60岁1个月", date(2025, 2, 15)),  # first month of the raise
        (date(1965, 4, 1), "M", None, "60岁1个月", date(2025, 5, 1)),  # 1 month per 4 months
        (date(1965, 5, 1), "M", None, "60岁2个月", date(2025, 7, 1)),
        (date(1976, 8, 1), "M", None, "62岁11个月", date(2039, 7, 1)),
        (date(1976, 9, 1), "M", None, "63岁", date(2039, 9, 1)),  # full raise for men
        (date(1975, 1, 1), "F", 50, "50岁1个月", date(2025, 2, 1)),  # women 50: 1 month per 2 months
        (date(1975, 3, 1), "F", 50, "50岁2个月", date(2025, 5, 1)),
        (date(1984, 11, 1), "F", 50, "55岁", date(2039, 11, 1)),
        (date(1970, 1, 1), "F", None, "55岁1个月", date(2025, 2, 1)),  # women 55 by default
        (date(1981, 9, 1), "F", 55, "58岁", date(2039, 9, 1)),
    ],
)
def test_it_follows_the_gradual_raise_schedule(birth, gender, original, age_text, retires_on):
    age = statutory_retirement(birth_date=birth, gender=gender, original_age=original)
    assert age.age_text == age_text
    assert age.retires_on == retires_on
