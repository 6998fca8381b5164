"""Profiles that pass every check of a rule set, to be changed one fact at a time."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from rules.catalog import compile_rule_set, shipped_rule_set_documents
from rules.engine import Decision, evaluate

CODES = (
    "zhengzhou-2020-junior",
    "xuchang-2023",
    "hebei-2024",
    "bingtuan-initial",
    "kunming-panlong-2024q3",
    "huzhou-2020",
)

ALL_YEARS_QUALIFIED = [{"year": y, "grade": "qualified"} for y in range(2000, 2031)]
ALL_YEARS_HOURS = {str(y): 90 for y in range(2000, 2031)}


def base_profile(**changes: Any) -> dict[str, Any]:
    """A bachelor in engineering, 14 months into the job, with nothing against him."""
    profile: dict[str, Any] = {
        "as_of": "2024-09-10",
        "target": {"series": "engineering", "level": "assistant"},
        "person": {"birth_date": "1995-03-02", "gender": "M", "civil_servant": False, "retired": False,
                   "retirement_extended": False},
        "employment": {"unit_kind": "non_public", "months_in_region": 14, "has_contract": True,
                       "social_insurance_months_in_region": 14, "insured_unit_is_applying_unit": True,
                       "current_post_since": "2023-07-01"},
        "professional_work_since": "2023-07-01",
        "education": [{"level": "bachelor", "graduated_on": "2023-06-30", "full_time": True,
                       "major_related": True, "degree_certificate": True}],
        "skills": [],
        "titles": [],
        "assessments": copy.deepcopy(ALL_YEARS_QUALIFIED),
        "continuing_education_hours": dict(ALL_YEARS_HOURS),
        "sanctions": [],
        "absences": [],
    }
    for dotted, value in changes.items():
        node = profile
        *parents, leaf = dotted.split("__")
        for key in parents:
            node = node[key]
        if value is _DELETE:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return profile


_DELETE = object()
DELETE = _DELETE


def rule_set(code: str):
    return compile_rule_set(shipped_rule_set_documents()[code])


def decide(code: str, profile: dict[str, Any], on: date | str | None = None) -> Decision:
    day = date.fromisoformat(on) if isinstance(on, str) else on
    return evaluate(rule_set(code), profile, day)


def check(decision: Decision, code: str):
    found = [c for c in decision.checks if c.code == code]
    assert found, f"no check {code!r} in {[c.code for c in decision.checks]}"
    return found[0]
