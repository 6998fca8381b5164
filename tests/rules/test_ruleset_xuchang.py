"""xuchang-2023 — 001_272b0a6ee81b04e4.txt (许职改办〔2023〕21号)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.rules.helpers import base_profile, check, decide

CODE = "xuchang-2023"


def intermediate(**changes):
    changes.setdefault("target", {"series": "engineering", "level": "intermediate"})
    changes.setdefault("as_of", "2023-10-20")
    changes.setdefault("titles", [{"series": "engineering", "level": "assistant",
                                   "obtained_on": "2019-09-01", "appointed_on": "2019-12-31"}])
    return base_profile(**changes)


def test_it_lets_a_person_in_scope_file_and_leaves_the_level_conditions_to_the_committee():
    decision = decide(CODE, intermediate())
    assert decision.eligible is True
    assert decision.level == "intermediate"
    committee = check(decision, "committee_conditions")
    assert committee.passed is None
    # Appointment years are counted to 31 December of the application year (二(四)).
    assert "聘任年限计算至2023年12月31日为4年0个月" in committee.message


def test_it_requires_six_months_in_xuchang():
    before = decide(CODE, intermediate(employment__months_in_region=5))
    assert before.eligible is False
    assert before.earliest_eligible_on == date(2023, 11, 20)
    assert decide(CODE, intermediate(employment__months_in_region=6)).eligible is True


def test_it_requires_a_contract():
    assert decide(CODE, intermediate(employment__has_contract=False)).eligible is False


@pytest.mark.parametrize("field", ["civil_servant", "retired"])
def test_it_excludes_civil_servants_and_retirees(field):
    decision = decide(CODE, intermediate(**{f"person__{field}": True}))
    assert (decision.eligible, decision.earliest_eligible_on) == (False, None)


def test_it_excludes_someone_reaching_retirement_age_by_year_end():
    decision = decide(CODE, intermediate(person__birth_date="1963-12-31"))  # 60 on 2023-12-31
    assert decision.eligible is False
    assert decision.earliest_eligible_on is None
    assert "2023年底前达到退休年龄且未办理延长退休手续" in check(decision, "retirement_age").message


def test_it_admits_someone_whose_retirement_was_extended():
    decision = decide(CODE, intermediate(person__birth_date="1963-12-31", person__retirement_extended=True))
    assert decision.eligible is True


def test_it_admits_someone_turning_sixty_next_january():
    assert decide(CODE, intermediate(person__birth_date="1964-01-01")).eligible is True


def test_it_applies_the_2025_raise_to_a_man_born_in_january_1965():
    # Under the old rule he would retire in January 2025; now at 60 years 1 month, February 2025.
    profile = intermediate(as_of="2024-10-20", person__birth_date="1965-01-15")
    assert decide(CODE, profile).eligible is True
    message = check(decide(CODE, intermediate(as_of="2025-03-01", person__birth_date="1965-01-15")),
                    "retirement_age").message
    assert "法定退休年龄60岁1个月，2025年2月15日达到" in message


def test_it_uses_the_55_year_age_for_women_unless_told_otherwise():
    born = "1968-06-01"  # 55 on 2023-06-01; 50 long before
    assert decide(CODE, intermediate(person__gender="F", person__birth_date=born)).eligible is False
    assert decide(CODE, intermediate(person__gender="F", person__birth_date="1969-01-01")).eligible is True


@pytest.mark.parametrize(("series", "level", "eligible"), [
    ("engineering", "intermediate", True),
    ("school_teacher", "associate_senior", True),
    ("engineering", "associate_senior", False),
    ("engineering", "assistant", False),
    ("engineering", "senior", False),
])
def test_it_falls_back_to_no_path_for_levels_it_does_not_define(series, level, eligible):
    decision = decide(CODE, intermediate(target={"series": series, "level": level}))
    assert decision.eligible is eligible
    if not eligible:
        assert decision.earliest_eligible_on is None
        assert check(decision, "target_level").passed is False


def test_it_sends_series_without_a_city_committee_to_entrusted_review():
    decision = decide(CODE, intermediate(target={"series": "lawyer", "level": "intermediate"}))
    assert decision.eligible is True
    assert check(decision, "entrusted_review").passed is None
    assert "委托代评函" in check(decision, "entrusted_review").message
