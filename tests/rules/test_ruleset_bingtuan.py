"""bingtuan-initial — 002_743bb57fc6424707.txt 第三篇 二、专业技术职务初聘认定."""

from __future__ import annotations

from datetime import date

import pytest

from tests.rules.helpers import base_profile, check, decide

CODE = "bingtuan-initial"


def edu(level: str, graduated_on: str = "2023-06-30", **flags) -> list[dict]:
    entry = {"level": level, "graduated_on": graduated_on, "full_time": True, "major_related": True}
    entry.update(flags)
    return [entry]


def test_it_recognises_a_full_time_bachelor_after_one_year_as_assistant():
    decision = decide(CODE, base_profile())
    assert decision.eligible is True
    assert check(decision, "unit_assessment").passed is None


def test_it_reaches_assistant_on_the_first_anniversary():
    assert decide(CODE, base_profile(as_of="2024-06-30")).earliest_eligible_on == date(2024, 7, 1)
    assert decide(CODE, base_profile(as_of="2024-07-01")).eligible is True


def test_it_refuses_part_time_education():
    decision = decide(CODE, base_profile(education=edu("bachelor", full_time=False)))
    assert decision.eligible is False
    assert decision.earliest_eligible_on is None
    assert "全日制" in check(decision, "education_and_months").message


def test_it_refuses_an_unrelated_major():
    decision = decide(CODE, base_profile(education=edu("bachelor", major_related=False)))
    assert decision.eligible is False
    assert decision.earliest_eligible_on is None
    assert "不对口" in check(decision, "education_and_months").message


@pytest.mark.parametrize("level", ["junior_college", "secondary_vocational"])
def test_it_recognises_yuan_after_one_year(level):
    decision = decide(CODE, base_profile(education=edu(level), target={"series": "engineering", "level": "yuan"}))
    assert decision.eligible is True


def test_it_recognises_assistant_after_five_years_with_secondary_vocational():
    changes = {"education": edu("secondary_vocational", "2019-06-30"), "professional_work_since": "2019-09-10"}
    assert decide(CODE, base_profile(as_of="2024-09-09", **changes)).earliest_eligible_on == date(2024, 9, 10)
    assert decide(CODE, base_profile(as_of="2024-09-10", **changes)).eligible is True


def test_it_recognises_assistant_after_four_years_as_yuan():
    changes = {"education": edu("secondary_vocational", "2015-06-30"), "professional_work_since": "2024-01-01",
               "titles": [{"series": "engineering", "level": "yuan", "obtained_on": "2020-09-01",
                           "appointed_on": "2020-09-10"}]}
    assert decide(CODE, base_profile(as_of="2024-09-09", **changes)).earliest_eligible_on == date(2024, 9, 10)
    assert decide(CODE, base_profile(as_of="2024-09-10", **changes)).eligible is True


def test_it_recognises_ten_years_of_work_before_the_secondary_diploma():
    changes = {"education": edu("secondary_vocational", "2024-06-30"), "professional_work_since": "2014-06-30"}
    assert decide(CODE, base_profile(**changes)).eligible is True
    short = {"education": edu("secondary_vocational", "2024-06-30"), "professional_work_since": "2014-07-01"}
    assert decide(CODE, base_profile(**short)).eligible is False


def test_it_has_no_path_to_intermediate():
    decision = decide(CODE, base_profile(target={"series": "engineering", "level": "intermediate"}))
    assert (decision.eligible, decision.earliest_eligible_on) == (False, None)
