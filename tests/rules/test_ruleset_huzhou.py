"""huzhou-2020 — 004_318552047dacbbf4.txt (湖职指发〔2020〕1号)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.rules.helpers import base_profile, check, decide

CODE = "huzhou-2020"


def profile(**changes):
    changes.setdefault("as_of", "2020-09-01")
    changes.setdefault("target", {"series": "engineering", "level": "intermediate"})
    changes.setdefault("titles", [{"series": "engineering", "level": "assistant",
                                   "obtained_on": "2016-10-01", "appointed_on": "2016-12-31"}])
    return base_profile(**changes)


def test_it_lets_an_engineer_with_four_years_file_for_intermediate():
    decision = decide(CODE, profile())
    assert decision.eligible is True
    assert check(decision, "committee_conditions").passed is None
    assert "计算至2020年12月31日满48个月" in check(decision, "appointment_years").message


def test_it_counts_appointment_years_to_31_december():
    late = [{"series": "engineering", "level": "assistant", "obtained_on": "2016-10-01", "appointed_on": "2017-01-01"}]
    decision = decide(CODE, profile(titles=late))
    assert decision.eligible is False
    # Next year the count runs to 2021-12-31, so the person may file from 1 January 2021.
    assert decision.earliest_eligible_on == date(2021, 1, 1)


def test_it_waives_the_years_with_an_approved_exceptional_promotion_form():
    late = [{"series": "engineering", "level": "assistant", "obtained_on": "2019-10-01", "appointed_on": "2019-12-01"}]
    assert decide(CODE, profile(titles=late)).eligible is False
    decision = decide(CODE, profile(titles=late, exceptional_promotion_approved=True))
    assert decision.eligible is True
    assert "破格" in check(decision, "appointment_years").message


def test_it_requires_ninety_hours_a_year_for_the_last_four_years():
    hours = {"2016": 90, "2017": 90, "2018": 89, "2019": 90}
    decision = decide(CODE, profile(continuing_education_hours=hours))
    assert decision.eligible is False
    assert "2018年89学时" in check(decision, "continuing_education").message


def test_it_names_the_missing_years_of_continuing_education():
    decision = decide(CODE, profile(continuing_education_hours={"2018": 90, "2019": 90}))
    assert "缺少2016、2017年继续教育学时" in check(decision, "continuing_education").message


@pytest.mark.parametrize(("series", "level", "eligible"), [
    ("accounting", "intermediate", False),
    ("accounting", "associate_senior", True),
    ("archives", "intermediate", False),
    ("health", "intermediate", False),
    ("agriculture", "intermediate", True),
])
def test_it_accepts_only_the_listed_series_and_levels(series, level, eligible):
    decision = decide(CODE, profile(target={"series": series, "level": level}))
    assert decision.eligible is eligible


def test_it_leaves_the_post_quota_of_public_institutions_to_reviewers():
    decision = decide(CODE, profile(employment__unit_kind="public_institution"))
    assert check(decision, "post_quota").passed is None
    assert decision.eligible is True
