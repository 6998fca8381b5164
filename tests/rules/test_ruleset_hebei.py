"""hebei-2024 — 002_743bb57fc6424707.txt 第一篇 / 第五篇 (冀职改字〔2024〕3号)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.rules.helpers import base_profile, check, decide

CODE = "hebei-2024"


def profile(**changes):
    changes.setdefault("target", {"series": "engineering", "level": "intermediate"})
    changes.setdefault("titles", [{"series": "engineering", "level": "assistant",
                                   "obtained_on": "2019-06-01", "appointed_on": "2019-07-01"}])
    return base_profile(**changes)


def test_it_lets_a_person_without_exclusions_file():
    decision = decide(CODE, profile())
    assert decision.eligible is True
    assert check(decision, "committee_conditions").passed is None
    assert decide(CODE, profile()).checks[0].source.startswith("002_743bb57fc6424707.txt 第一篇")


def test_it_excludes_a_sanction_for_two_years_from_its_start():
    sanction = [{"kind": "disciplinary", "start": "2023-01-01", "end": "2023-06-30"}]
    before = decide(CODE, profile(as_of="2024-12-31", sanctions=sanction))
    assert before.eligible is False
    assert before.earliest_eligible_on == date(2025, 1, 1)
    assert "未满2年" in check(before, "sanctions").message
    assert decide(CODE, profile(as_of="2025-01-01", sanctions=sanction)).eligible is True


def test_it_excludes_someone_under_investigation():
    decision = decide(CODE, profile(sanctions=[{"kind": "under_investigation", "start": "2024-05-01", "end": None}]))
    assert (decision.eligible, decision.earliest_eligible_on) == (False, None)
    assert "正在接受审查" in check(decision, "sanctions").message


@pytest.mark.parametrize(("kind", "code"), [("study_abroad", "study_abroad"), ("sick_leave", "sick_leave")])
def test_it_excludes_an_absence_once_it_reaches_a_year(kind, code):
    absences = [{"kind": kind, "start": "2023-09-11", "end": None}]
    assert decide(CODE, profile(as_of="2024-09-10", absences=absences)).eligible is True
    after = decide(CODE, profile(as_of="2024-09-11", absences=absences))
    assert after.eligible is False
    assert after.earliest_eligible_on is None
    assert check(after, code).passed is False


def test_it_admits_someone_back_from_abroad():
    absences = [{"kind": "study_abroad", "start": "2021-01-01", "end": "2023-12-31"}]
    assert decide(CODE, profile(absences=absences)).eligible is True


@pytest.mark.parametrize("grade", ["basic_qualified", "unqualified", "none"])
def test_it_excludes_weak_or_missing_assessments_in_the_current_post(grade):
    records = [{"year": y, "grade": "qualified"} for y in range(2019, 2024)]
    records[2]["grade"] = grade
    decision = decide(CODE, profile(assessments=records))
    assert decision.eligible is False
    assert "2021年度" in check(decision, "annual_assessment").message


def test_it_names_the_years_whose_assessment_is_missing():
    records = [{"year": y, "grade": "qualified"} for y in (2020, 2021, 2023)]
    message = check(decide(CODE, profile(assessments=records)), "annual_assessment").message
    assert "缺少2022年度考核结果" in message
