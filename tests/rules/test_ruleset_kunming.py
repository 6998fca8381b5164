"""kunming-panlong-2024q3 — 003_c25e803c7aeb4e62.txt, clause by clause."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.rules.helpers import DELETE, base_profile, check, decide

CODE = "kunming-panlong-2024q3"


def profile(**changes):
    return base_profile(**changes)


def test_it_finds_the_base_profile_eligible_for_assistant():
    decision = decide(CODE, profile())
    assert decision.eligible is True
    assert decision.level == "assistant"
    assert decision.earliest_eligible_on is None
    assert all(c.passed is True for c in decision.checks)
    assert all(c.source.startswith("003_c25e803c7aeb4e62.txt ") for c in decision.checks)


def test_it_answers_the_contract_example_for_a_junior_college_graduate():
    decision = decide(CODE, profile(
        as_of="2024-03-15",
        professional_work_since="2022-07-01",
        education=[{"level": "junior_college", "graduated_on": "2022-06-30", "full_time": True, "major_related": True}],
    ))
    assert decision.eligible is False
    assert decision.level is None
    assert decision.earliest_eligible_on == date(2025, 7, 1)
    result = check(decision, "education_and_months")
    assert result.passed is False
    assert result.message == "大专毕业后从事专业工作满36个月方可认定助理级，现满20个月"
    assert result.source == "003_c25e803c7aeb4e62.txt 二(二)"


# (education level, target level, months required) — 二(二)1, 2, 4 and the equivalences of 二(三)
PATHS = [
    ("secondary_vocational", "yuan", 12),
    ("tech_school_intermediate", "yuan", 12),
    ("junior_college", "assistant", 36),
    ("tech_school_senior", "assistant", 36),
    ("bachelor", "assistant", 12),
    ("tech_school_technician", "assistant", 12),
]


@pytest.mark.parametrize(("level", "target", "months"), PATHS)
def test_it_reaches_the_level_on_the_day_the_months_are_complete(level, target, months):
    reached = date(2021 + months // 12, 7, 1)
    changes = {
        "professional_work_since": "2021-07-01",
        "education": [{"level": level, "graduated_on": "2021-06-30", "full_time": False, "major_related": True}],
        "target": {"series": "engineering", "level": target},
    }
    before = decide(CODE, profile(as_of=(reached - timedelta(days=1)).isoformat(), **changes))
    on = decide(CODE, profile(as_of=reached.isoformat(), **changes))
    assert before.eligible is False
    assert before.earliest_eligible_on == reached
    assert on.eligible is True
    assert on.level == target


def test_it_treats_technical_school_classes_as_the_equivalent_education():
    decision = decide(CODE, profile(education=[
        {"level": "tech_school_senior", "graduated_on": "2020-06-30", "full_time": True, "major_related": True}],
        professional_work_since="2020-07-01"))
    assert decision.eligible is True
    assert "技工院校高级工班按大专学历对待" in check(decision, "education_and_months").message


def test_it_counts_48_months_after_the_yuan_title():
    titles = [{"series": "engineering", "level": "yuan", "obtained_on": "2020-09-10", "appointed_on": "2020-10-01"}]
    changes = {"titles": titles, "education": [], "professional_work_since": "2019-07-01"}
    assert decide(CODE, profile(as_of="2024-09-09", **changes)).earliest_eligible_on == date(2024, 9, 10)
    assert decide(CODE, profile(as_of="2024-09-10", **changes)).eligible is True


def test_it_counts_24_months_after_the_senior_worker_skill():
    changes = {"skills": [{"level": "senior_worker", "obtained_on": "2022-09-10"}], "education": [],
               "professional_work_since": "2020-01-01"}
    before = decide(CODE, profile(as_of="2024-09-09", **changes))
    assert before.eligible is False
    assert before.earliest_eligible_on == date(2024, 9, 10)
    assert "取得高级工后从事技术技能工作满24个月" in check(before, "education_and_months").message
    assert decide(CODE, profile(as_of="2024-09-10", **changes)).eligible is True


def test_it_lets_a_master_apply_from_the_next_month_with_one_month_of_insurance():
    changes = {
        "education": [{"level": "master", "graduated_on": "2024-06-28", "full_time": True, "major_related": True}],
        "professional_work_since": "2024-07-05",
        "employment__social_insurance_months_in_region": 1,
    }
    before = decide(CODE, profile(as_of="2024-07-31", **changes))
    assert before.eligible is False
    assert before.earliest_eligible_on == date(2024, 8, 1)
    on = decide(CODE, profile(as_of="2024-08-01", **changes))
    assert on.eligible is True
    assert "硕士及以上学历只需1个月" in check(on, "social_insurance").message


def test_it_adds_twelve_months_for_an_unrelated_major_at_the_first_application():
    unrelated = [{"level": "bachelor", "graduated_on": "2023-06-30", "full_time": True, "major_related": False}]
    decision = decide(CODE, profile(education=unrelated))
    assert decision.eligible is False
    assert decision.earliest_eligible_on == date(2025, 7, 1)
    assert "首次申报增加12个月" in check(decision, "education_and_months").message
    # Not the first application: someone who already holds a title is not charged the extra year.
    held = [{"series": "engineering", "level": "yuan", "obtained_on": "2023-01-01", "appointed_on": "2023-01-01"}]
    assert decide(CODE, profile(education=unrelated, titles=held)).eligible is True


def test_it_requires_six_months_of_social_insurance_in_kunming():
    decision = decide(CODE, profile(employment__social_insurance_months_in_region=5))
    assert decision.eligible is False
    assert decision.earliest_eligible_on == date(2024, 10, 10)
    assert check(decision, "social_insurance").message == "须在昆明连续缴纳社保满6个月，现5个月"


def test_it_requires_the_insured_unit_to_be_the_applying_unit():
    decision = decide(CODE, profile(employment__insured_unit_is_applying_unit=False))
    assert decision.eligible is False
    assert decision.earliest_eligible_on is None


@pytest.mark.parametrize(
    "series", ["accounting", "economics", "health", "communication", "fire_engineering", "pharmacy"]
)
def test_it_excludes_exam_based_and_public_safety_series(series):
    decision = decide(CODE, profile(target={"series": series, "level": "assistant"}))
    assert decision.eligible is False
    assert decision.earliest_eligible_on is None
    assert check(decision, "exam_based_series").passed is False


@pytest.mark.parametrize("field", ["civil_servant", "retired"])
def test_it_excludes_civil_servants_and_retirees(field):
    decision = decide(CODE, profile(**{f"person__{field}": True}))
    assert decision.eligible is False
    assert decision.earliest_eligible_on is None


@pytest.mark.parametrize(("grade", "eligible"), [("basic_qualified", False), ("unqualified", False),
                                                 ("qualified", True), ("excellent", True)])
def test_it_excludes_a_weak_assessment_last_year(grade, eligible):
    decision = decide(CODE, profile(assessments=[{"year": 2023, "grade": grade}]))
    assert decision.eligible is eligible


def test_it_needs_twelve_months_in_the_new_post_after_a_series_change():
    titles = [{"series": "agriculture", "level": "yuan", "obtained_on": "2019-01-01", "appointed_on": "2019-01-01"}]
    before = decide(CODE, profile(titles=titles, employment__current_post_since="2023-09-11"))
    assert before.eligible is False
    assert before.earliest_eligible_on == date(2024, 9, 11)
    assert "须在现岗位工作满12个月，现满11个月" in check(before, "series_change").message
    assert decide(CODE, profile(titles=titles, employment__current_post_since="2023-09-10")).eligible is True


def test_it_has_no_path_to_intermediate():
    decision = decide(CODE, profile(target={"series": "engineering", "level": "intermediate"}))
    assert decision.eligible is False
    assert decision.earliest_eligible_on is None
    assert check(decision, "target_level").passed is False


@pytest.mark.parametrize(("change", "named"), [
    ({"professional_work_since": DELETE}, "professional_work_since"),
    ({"employment": DELETE}, "employment.social_insurance_months_in_region"),
    ({"person": DELETE}, "person.civil_servant"),
    ({"assessments": DELETE}, "assessments"),
    ({"education": DELETE, "titles": DELETE, "skills": DELETE}, "education"),
])
def test_it_fails_a_check_and_names_the_missing_field(change, named):
    decision = decide(CODE, profile(**change))
    assert decision.eligible is False
    failing = [c for c in decision.checks if c.passed is False]
    assert any(named in c.message for c in failing), [c.message for c in failing]
