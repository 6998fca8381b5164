"""A city with every level of the chain, its reviewers, and a way to file a submitted application."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Role, User
from applications import services as filing
from applications.models import Application
from rules.models import DeclarationWindow
from tests.applications.helpers import (
    IN_WINDOW,
    WINDOW_CLOSES,
    WINDOW_OPENS,
    cst,
    eligible_record,
    fill_required_slots,
)
from tests.factories import ApplicantFactory, DistrictFactory, OrganisationFactory, TenantFactory, UserFactory
from units.models import Organisation

RETURN_CLOSES = cst(2026, 11, 27, 17, 0, 0)
# Reviews decide "now" in most tests: the review deadline lies past any day the suite runs.
REVIEW_CLOSES = cst(2099, 11, 30, 17, 0, 0)
DAY_2 = cst(2026, 11, 11, 9, 0, 0)


@dataclass
class City:
    tenant: object
    unit: Organisation
    private_unit: Organisation
    department: Organisation
    county: Organisation
    city: Organisation
    handler: User
    head: User
    department_reviewer: User
    county_reviewer: User
    city_reviewer: User
    applicant: User


def build_city(code: str = "zhengzhou", name: str = "郑州市") -> City:
    tenant = TenantFactory(code=code, name=name)
    district = DistrictFactory(tenant=tenant)
    city = OrganisationFactory(tenant=tenant, city_bureau=True)
    county = OrganisationFactory(tenant=tenant, county_bureau=True, district=district)
    department = OrganisationFactory(tenant=tenant, department=True)
    unit = OrganisationFactory(
        tenant=tenant,
        unit_kind=Organisation.UnitKind.PUBLIC_INSTITUTION,
        competent_department=department,
        district=district,
    )
    private_unit = OrganisationFactory(tenant=tenant, unit_kind=Organisation.UnitKind.NON_PUBLIC, district=district)
    if not DeclarationWindow.objects.filter(tenant_code=code).exists():
        DeclarationWindow.objects.create(
            tenant_code=code,
            name="2026年11月测试申报批次",
            opens_at=WINDOW_OPENS,
            submit_closes_at=WINDOW_CLOSES,
            return_closes_at=RETURN_CLOSES,
            review_closes_at=REVIEW_CLOSES,
        )
    return City(
        tenant=tenant,
        unit=unit,
        private_unit=private_unit,
        department=department,
        county=county,
        city=city,
        handler=UserFactory(role=Role.UNIT_HANDLER, organisation=unit),
        head=UserFactory(role=Role.UNIT_HEAD, organisation=unit),
        department_reviewer=UserFactory(role=Role.DEPARTMENT_REVIEWER, organisation=department),
        county_reviewer=UserFactory(role=Role.COUNTY_REVIEWER, organisation=county),
        city_reviewer=UserFactory(role=Role.CITY_REVIEWER, organisation=city),
        applicant=ApplicantFactory(organisation=unit),
    )


def submitted_application(applicant: User, at=IN_WINDOW, method: str = "") -> Application:
    """A draft with everything it needs, submitted inside the window (revision 1)."""
    application = filing.application_create(actor=applicant, series="engineering", level="assistant", at=at)
    if method:
        Application.objects.filter(pk=application.pk).update(evaluation_method=method)
        application.refresh_from_db()
    if not hasattr(applicant, "personal_record"):
        eligible_record(applicant)
    fill_required_slots(application)
    filing.pledge_sign(actor=applicant, application=application, typed_name=applicant.full_name, agreed=True)
    filing.application_submit(actor=applicant, application=application, at=at)
    application.refresh_from_db()
    return application


def resubmit(application: Application, at=IN_WINDOW) -> Application:
    filing.application_submit(actor=application.applicant, application=application, at=at)
    application.refresh_from_db()
    return application
