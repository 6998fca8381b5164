"""The review chain is computed per application from the unit and the evaluation method."""

from __future__ import annotations

import pytest

from accounts.models import Role
from review.chain import Action, EvaluationMethod, Level, may_act, plan_chain
from tests.factories import DistrictFactory, OrganisationFactory, TenantFactory, UserFactory
from units.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    tenant = TenantFactory()
    district = DistrictFactory(tenant=tenant)
    return {
        "tenant": tenant,
        "district": district,
        "city": OrganisationFactory(tenant=tenant, city_bureau=True),
        "county": OrganisationFactory(tenant=tenant, county_bureau=True, district=district),
        "department": OrganisationFactory(tenant=tenant, department=True),
    }


def levels(steps):
    return [step.level for step in steps]


def test_it_walks_a_county_public_institution_through_every_level(city):
    unit = OrganisationFactory(
        tenant=city["tenant"],
        unit_kind=Organisation.UnitKind.PUBLIC_INSTITUTION,
        competent_department=city["department"],
        district=city["district"],
    )
    steps = plan_chain(unit=unit, evaluation_method=EvaluationMethod.ASSESSMENT)
    assert levels(steps) == [Level.UNIT, Level.DEPARTMENT, Level.COUNTY, Level.CITY]
    assert [s.organisation for s in steps] == [unit, city["department"], city["county"], city["city"]]
    assert [s.order for s in steps] == [1, 2, 3, 4]


def test_it_skips_the_department_for_a_non_public_unit(city):
    unit = OrganisationFactory(
        tenant=city["tenant"], unit_kind=Organisation.UnitKind.NON_PUBLIC, district=city["district"]
    )
    assert levels(plan_chain(unit=unit, evaluation_method=EvaluationMethod.ASSESSMENT)) == [
        Level.UNIT,
        Level.COUNTY,
        Level.CITY,
    ]


def test_it_skips_the_county_for_a_city_level_unit_and_adds_the_committee_for_committee_review(city):
    unit = OrganisationFactory(
        tenant=city["tenant"], unit_kind=Organisation.UnitKind.STATE_OWNED, competent_department=city["department"]
    )
    assert levels(plan_chain(unit=unit, evaluation_method=EvaluationMethod.COMMITTEE_REVIEW)) == [
        Level.UNIT,
        Level.DEPARTMENT,
        Level.CITY,
        Level.COMMITTEE,
    ]


def test_it_lets_only_the_holding_organisations_reviewers_act(city):
    unit = OrganisationFactory(tenant=city["tenant"], competent_department=city["department"])
    unit_step, department_step, city_step = plan_chain(unit=unit, evaluation_method=EvaluationMethod.ASSESSMENT)
    handler = UserFactory(role=Role.UNIT_HANDLER, organisation=unit)
    other_department = UserFactory(
        role=Role.DEPARTMENT_REVIEWER, organisation=OrganisationFactory(tenant=city["tenant"], department=True)
    )
    department = UserFactory(role=Role.DEPARTMENT_REVIEWER, organisation=city["department"])
    admin = UserFactory(role=Role.TENANT_ADMIN, organisation=city["city"])
    assert may_act(user=handler, step=unit_step, action=Action.RETURN)
    assert not may_act(user=handler, step=department_step, action=Action.APPROVE)
    assert may_act(user=department, step=department_step, action=Action.APPROVE)
    assert not may_act(user=other_department, step=department_step, action=Action.APPROVE)
    assert may_act(user=admin, step=city_step, action=Action.REJECT)
    foreign_admin = UserFactory(role=Role.TENANT_ADMIN, organisation=OrganisationFactory(city_bureau=True))
    assert not may_act(user=foreign_admin, step=city_step, action=Action.REJECT)
