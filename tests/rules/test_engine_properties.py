"""Properties that hold for every profile, not just the examples."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rules.helpers import base_profile, decide

CODES = ["kunming-panlong-2024q3", "zhengzhou-2020-junior", "bingtuan-initial", "huzhou-2020", "xuchang-2023",
         "hebei-2024"]
EDUCATION = ["secondary_vocational", "junior_college", "bachelor", "master", "doctor",
             "tech_school_intermediate", "tech_school_senior", "tech_school_technician"]


@st.composite
def profiles(draw):
    as_of = draw(st.dates(min_value=date(2018, 1, 1), max_value=date(2026, 6, 30)))
    graduated = draw(st.dates(min_value=date(2012, 1, 1), max_value=as_of + timedelta(days=400)))
    work_since = graduated + timedelta(days=draw(st.integers(min_value=-400, max_value=400)))
    titles = []
    if draw(st.booleans()):
        obtained = draw(st.dates(min_value=date(2012, 1, 1), max_value=as_of))
        titles.append({"series": draw(st.sampled_from(["engineering", "agriculture"])),
                       "level": draw(st.sampled_from(["yuan", "assistant"])),
                       "obtained_on": obtained.isoformat(), "appointed_on": obtained.isoformat()})
    skills = []
    if draw(st.booleans()):
        skills.append({"level": "senior_worker",
                       "obtained_on": draw(st.dates(min_value=date(2012, 1, 1), max_value=as_of)).isoformat()})
    return base_profile(
        as_of=as_of.isoformat(),
        target={"series": draw(st.sampled_from(["engineering", "agriculture", "school_teacher"])),
                "level": draw(st.sampled_from(["yuan", "assistant", "intermediate"]))},
        professional_work_since=work_since.isoformat(),
        education=[{"level": draw(st.sampled_from(EDUCATION)), "graduated_on": graduated.isoformat(),
                    "full_time": draw(st.booleans()), "major_related": draw(st.booleans())}],
        titles=titles,
        skills=skills,
        employment__months_in_region=draw(st.integers(min_value=0, max_value=12)),
        employment__social_insurance_months_in_region=draw(st.integers(min_value=0, max_value=12)),
        employment__current_post_since=draw(st.dates(min_value=date(2012, 1, 1), max_value=as_of)).isoformat(),
        # Young enough that no retirement age is reached in the horizon: exclusions start only
        # through the facts of the profile, and this one has none.
        person__birth_date="1990-05-05",
    )


@settings(max_examples=150, deadline=None)
@given(profile=profiles(), code=st.sampled_from(CODES), later=st.integers(min_value=1, max_value=2000))
def test_it_stays_eligible_as_time_passes_when_no_exclusion_starts(profile, code, later):
    today = date.fromisoformat(profile["as_of"])
    if decide(code, profile).eligible:
        assert decide(code, profile, today + timedelta(days=later)).eligible


@settings(max_examples=150, deadline=None)
@given(profile=profiles(), code=st.sampled_from(CODES))
def test_it_is_eligible_on_the_earliest_date_and_not_the_day_before(profile, code):
    decision = decide(code, profile)
    if decision.eligible:
        assert decision.earliest_eligible_on is None
        return
    earliest = decision.earliest_eligible_on
    if earliest is None:
        return
    assert earliest > date.fromisoformat(profile["as_of"])
    assert decide(code, profile, earliest).eligible is True
    assert decide(code, profile, earliest - timedelta(days=1)).eligible is False


@settings(max_examples=100, deadline=None)
@given(profile=profiles(), code=st.sampled_from(CODES))
def test_it_never_reports_a_check_without_a_message_and_a_citation(profile, code):
    decision = decide(code, profile)
    for result in decision.checks:
        assert result.message
        assert result.source.split(" ")[0].endswith(".txt")
        assert result.passed in (True, False, None)
