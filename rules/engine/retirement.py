"""Statutory retirement age under the national rules.

Until 2024 men retired at 60 and women at 50 (workers) or 55 (cadres). The NPC Standing
Committee decision of 2024-09-13 (关于实施渐进式延迟法定退休年龄的决定, in force 2025-01-01)
raises them over fifteen years: men 60→63 and women 55→58 by one month every four months,
women 50→55 by one month every two months, counted from the month the person would have
retired under the old age. Someone whose old retirement month is January 2025 retires one
month later; the full raise applies from the old retirement month September 2036 (men born
September 1976 on, women-55 born September 1981 on) and, for women-50, November 2034 (born
November 1984 on). People whose old retirement month fell before 2025 keep the old age.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rules.engine.dates import add_months

REFORM_START_MONTH_INDEX = 2025 * 12  # January 2025 as year*12 + (month-1)

# original age in years -> (months per one-month raise, maximum raise in months)
_SCHEDULE: dict[int, tuple[int, int]] = {60: (4, 36), 55: (4, 36), 50: (2, 60)}


@dataclass(frozen=True, slots=True)
class RetirementAge:
    original_years: int
    raise_months: int
    retires_on: date

    @property
    def age_text(self) -> str:
        total = self.original_years * 12 + self.raise_months
        years, months = divmod(total, 12)
        return f"{years}岁{months}个月" if months else f"{years}岁"


def statutory_retirement(*, birth_date: date, gender: str, original_age: int | None = None) -> RetirementAge:
    """The date a person reaches statutory retirement age under the rules in force then."""
    if original_age is None:
        original_age = 60 if gender == "M" else 55
    old_month = add_months(birth_date, original_age * 12)
    index = old_month.year * 12 + (old_month.month - 1) - REFORM_START_MONTH_INDEX
    step, cap = _SCHEDULE[original_age]
    raise_months = 0 if index < 0 else min(index // step + 1, cap)
    return RetirementAge(
        original_years=original_age,
        raise_months=raise_months,
        retires_on=add_months(birth_date, original_age * 12 + raise_months),
    )
