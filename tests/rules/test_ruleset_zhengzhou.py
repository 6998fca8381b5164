"""zhengzhou-2020-junior — 000_09f0e4863c323892.txt (郑人社办〔2020〕237号)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.rules.helpers import base_profile, check, decide

CODE = "zhengzhou-2020-junior"


def edu(level: str, graduated_on: str = "2018-06-30") -> list[dict]:
    return [{"level": level, "graduated_on": graduated_on, "full_time": True, "major_related": True}]


def test_it_finds_the_base_profile_eligible_with_continuing_education_left_to_reviewers():
    decision = decide(CODE, base_profile())
    assert decision.eligible is True
    assert check(decision, "continuing_education").passed is None
    assert all(c.source.startswith("000_09f0e4863c323892.txt ") for c in decision.checks)


def test_it_requires_three_months_in_zhengzhou():
    decision = decide(CODE, base_profile(employment__months_in_region=2))
    assert decision.eligible is False
    assert decision.earliest_eligible_on == date(2024, 10, 10)
    assert check(decision, "months_in_region").message == "须在郑州工作满3个月，现满2个月"


def test_it_requires_a_signed_contract():
    decision = decide(CODE, base_profile(employment__has_contract=False))
    assert (decision.eligible, decision.earliest_eligible_on) == (False, None)


@pytest.mark.parametrize("series", ["health", "economics", "accounting", "audit", "statistics", "publishing",
                                    "translation", "computer_software"])
def test_it_does_not_assess_exam_based_series(series):
    decision = decide(CODE, base_profile(target={"series": series, "level": "assistant"}))
    assert check(decision, "exam_based_series").passed is False
    assert decision.earliest_eligible_on is None


def test_it_requires_every_annual_assessment_to_be_qualified():
    decision = decide(CODE, base_profile(assessments=[{"year": 2023, "grade": "basic_qualified"}]))
    assert decision.eligible is False
    assert "2023年度基本合格" in check(decision, "annual_assessment").message


# (target, education, title appointed on or None, months) — 五(二)1(1) and 2(1)①-④
PATHS = [
    ("yuan", "secondary_vocational", None, 12),
    ("yuan", "junior_college", None, 12),
    ("assistant", "bachelor", None, 12),
    ("assistant", "junior_college", None, 36),
    ("assistant", "junior_college", "yuan", 24),
    ("assistant", "secondary_vocational", None, 48),
    ("assistant", "secondary_vocational", "yuan", 36),
]


@pytest.mark.parametrize(("target", "level", "title", "months"), PATHS)
def test_it_reaches_each_level_path_on_the_exact_day(target, level, title, months):
    start = date(2019, 3, 15)
    reached = date(2019 + months // 12, 3, 15)
    changes = {
        "target": {"series": "engineering", "level": target},
        "education": edu(level, "2000-06-30"),
        # With a title, the appointment is the clock; work started long before it.
        "professional_work_since": "2000-07-01" if title else start.isoformat(),
        "titles": [{"series": "engineering", "level": title, "obtained_on": start.isoformat(),
                    "appointed_on": start.isoformat()}] if title else [],
    }
    before = decide(CODE, base_profile(as_of=(reached - timedelta(days=1)).isoformat(), **changes))
    on = decide(CODE, base_profile(as_of=reached.isoformat(), **changes))
    if title is None:
        assert before.eligible is False
        assert before.earliest_eligible_on == reached
    assert on.eligible is True
    assert on.level == target


def test_it_counts_the_yuan_appointment_for_a_junior_college_graduate():
    changes = {
        "education": edu("junior_college", "2021-12-31"),
        "professional_work_since": "2022-01-01",
        "titles": [{"series": "engineering", "level": "yuan", "obtained_on": "2022-08-01",
                    "appointed_on": "2022-09-01"}],
    }
    before = decide(CODE, base_profile(as_of="2024-08-31", **changes))
    assert before.earliest_eligible_on == date(2024, 9, 1)
    assert "大专毕业且员级职称聘任满24个月方可认定助理级，现满23个月" in check(before, "education_and_months").message
    assert decide(CODE, base_profile(as_of="2024-09-01", **changes)).eligible is True


def test_it_lets_a_master_apply_as_soon_as_work_starts():
    changes = {"education": edu("master", "2024-06-30"), "professional_work_since": "2024-07-15"}
    before = decide(CODE, base_profile(as_of="2024-07-14", **changes))
    assert before.earliest_eligible_on == date(2024, 7, 15)
    assert decide(CODE, base_profile(as_of="2024-07-15", **changes)).eligible is True


def test_it_needs_a_year_in_the_current_post_after_changing_series():
    titles = [{"series": "agriculture", "level": "assistant",
               "obtained_on": "2018-01-01", "appointed_on": "2018-01-01"}]
    decision = decide(CODE, base_profile(titles=titles, employment__current_post_since="2024-03-01"))
    assert decision.eligible is False
    assert decision.earliest_eligible_on == date(2025, 3, 1)


def test_it_has_no_path_to_intermediate():
    decision = decide(CODE, base_profile(target={"series": "engineering", "level": "intermediate"}))
    assert decision.eligible is False
    assert decision.earliest_eligible_on is None
