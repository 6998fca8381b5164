"""Malformed profiles are refused with the offending field named; absent fields are not errors."""

from __future__ import annotations

import pytest

from rules.engine import ProfileError, parse_profile
from tests.rules.helpers import DELETE, base_profile


@pytest.mark.parametrize(("changes", "field"), [
    ({"as_of": "2024-13-01"}, "as_of"),
    ({"as_of": DELETE}, "as_of"),
    ({"target": DELETE}, "target"),
    ({"target__level": "expert"}, "target.level"),
    ({"target__series": "astrology"}, "target.series"),
    ({"education": [{"level": "phd", "graduated_on": "2020-01-01"}]}, "education[0].level"),
    ({"education": [{"level": "bachelor", "graduated_on": "2020/01/01"}]}, "education[0].graduated_on"),
    ({"employment__unit_kind": "ngo"}, "employment.unit_kind"),
    ({"employment__months_in_region": -1}, "employment.months_in_region"),
    ({"employment__has_contract": "yes"}, "employment.has_contract"),
    ({"person__gender": "X"}, "person.gender"),
    ({"assessments": [{"year": 2023, "grade": "good"}]}, "assessments[0].grade"),
    ({"sanctions": [{"kind": "fine", "start": "2023-01-01"}]}, "sanctions[0].kind"),
    ({"absences": [{"kind": "sick_leave", "start": "2023-01-01", "end": "2022-01-01"}]}, "absences[0].end"),
    ({"continuing_education_hours": {"last": 90}}, "continuing_education_hours.last"),
    ({"titles": "none"}, "titles"),
])
def test_it_names_the_malformed_field(changes, field):
    with pytest.raises(ProfileError) as caught:
        parse_profile(base_profile(**changes))
    assert caught.value.field == field


def test_it_accepts_a_profile_with_only_the_required_fields():
    profile = parse_profile({"as_of": "2024-09-10", "target": {"series": "engineering", "level": "assistant"}})
    assert profile.education is None
    assert profile.employment is None


def test_it_refuses_something_that_is_not_an_object():
    with pytest.raises(ProfileError):
        parse_profile([1, 2])
