"""Integrity findings: a person banned for the tenant's period, a unit suspended; filing and the
unit's approvals refuse them with the reason and the end date; pages scoped and audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications import services as filing
from core.models import AuditEvent
from review import bureau
from review.chain import Action
from review.services import review_decide
from tests.applications.helpers import IN_WINDOW, cst
from tests.factories import ApplicantFactory, UserFactory, make_id_number
from tests.review.helpers import build_city, submitted_application
from units.models import FilingRestriction

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return build_city()


def _id_of(user) -> str:
    number = make_id_number(birth="19880101")
    user.set_id_number(number)
    user.save()
    return number


def test_it_bans_a_person_for_the_tenants_period_and_filing_says_why_and_until_when(city):
    """002 公示 "两年内不允许申报", counted from the year after the review (004 五(五) "从评审次年起")."""
    city.tenant.fraud_ban_years = 2  # Hebei (002): two years
    city.tenant.save()
    number = _id_of(city.applicant)
    finding = bureau.record_person_finding(
        actor=city.city_reviewer, id_number=number, reason="伪造学历证书", at=IN_WINDOW
    )
    assert (finding.starts_on, finding.ends_on) == (date(2027, 1, 1), date(2028, 12, 31))
    with pytest.raises(ValidationError) as refused:
        filing.application_create(
            actor=city.applicant, series="engineering", level="assistant", at=cst(2027, 1, 1, 0, 0, 0)
        )
    text = " ".join(refused.value.messages)
    assert "伪造学历证书" in text and "2028年12月31日" in text


def test_it_uses_three_years_where_the_tenant_says_three(city):
    """004 五(五): 从评审次年起3年内不得申报."""
    city.tenant.fraud_ban_years = 3
    city.tenant.save()
    finding = bureau.record_person_finding(
        actor=city.city_reviewer, id_number=_id_of(city.applicant), reason="提供虚假业绩", at=IN_WINDOW
    )
    assert (finding.starts_on, finding.ends_on) == (date(2027, 1, 1), date(2029, 12, 31))


def test_it_counts_the_ban_from_the_year_after_the_review_not_the_finding_date(city):
    """004 五(五) "从评审次年起3年内不得申报": an application submitted (and reviewed) in 2026 and
    found false in March 2027 bans filing from 2027-01-01 to 2029-12-31."""
    city.tenant.fraud_ban_years = 3
    city.tenant.save()
    number = _id_of(city.applicant)
    submitted_application(city.applicant, at=IN_WINDOW)
    found_at = cst(2027, 3, 15, 10, 0, 0)
    finding = bureau.record_person_finding(actor=city.city_reviewer, id_number=number, reason="伪造业绩", at=found_at)
    assert (finding.starts_on, finding.ends_on) == (date(2027, 1, 1), date(2029, 12, 31))
    event = AuditEvent.objects.get(action="integrity_person_recorded", target_id=str(finding.pk))
    assert (event.detail["review_year"], event.detail["starts_on"]) == (2026, "2027-01-01")
    assert bureau.person_ban_period(city.tenant, 2024) == (date(2025, 1, 1), date(2027, 12, 31))


def test_it_leaves_the_day_before_and_after_the_ban_free(city):
    """004 五(五): 3 years from 1 January of the year after the review, to the day."""
    city.tenant.fraud_ban_years = 3
    city.tenant.save()
    bureau.record_person_finding(
        actor=city.city_reviewer, id_number=_id_of(city.applicant), reason="伪造", at=IN_WINDOW
    )
    from units.selectors import filing_restriction_for

    assert filing_restriction_for(city.applicant, date(2026, 12, 31)) is None
    assert filing_restriction_for(city.applicant, date(2027, 1, 1)) is not None
    assert filing_restriction_for(city.applicant, date(2029, 12, 31)) is not None
    assert filing_restriction_for(city.applicant, date(2030, 1, 1)) is None


def test_it_refuses_a_person_outside_the_remit_and_saves_nothing(city):
    other = build_city(code="xuchang", name="许昌市")
    number = _id_of(other.applicant)
    with pytest.raises(ValidationError) as refused:
        bureau.record_person_finding(actor=city.city_reviewer, id_number=number, reason="伪造", at=IN_WINDOW)
    assert "id_number" in refused.value.message_dict
    assert not FilingRestriction.objects.exists()


def test_it_refuses_a_blank_reason_naming_the_field(city):
    with pytest.raises(ValidationError) as refused:
        bureau.record_person_finding(actor=city.city_reviewer, id_number=_id_of(city.applicant), reason=" ")
    assert refused.value.message_dict["reason"]


def test_it_audits_a_finding_with_the_id_number_masked(city):
    number = _id_of(city.applicant)
    finding = bureau.record_person_finding(actor=city.city_reviewer, id_number=number, reason="伪造", at=IN_WINDOW)
    event = AuditEvent.objects.get(action="integrity_person_recorded", target_id=str(finding.pk))
    assert number not in str(event.detail) and event.detail["id_number"] == city.applicant.id_number_masked


def test_it_suspends_a_unit_for_the_next_quarter():
    assert bureau.next_quarter(date(2026, 11, 10)) == (date(2027, 1, 1), date(2027, 3, 31))
    assert bureau.next_quarter(date(2026, 2, 1)) == (date(2026, 4, 1), date(2026, 6, 30))


def test_it_refuses_a_suspended_units_approval_and_its_new_filings_with_reason_and_end(city):
    application = submitted_application(city.applicant)
    finding = bureau.record_unit_finding(
        actor=city.city_reviewer, unit_id=city.unit.pk, period="year", reason="把关不严", at=IN_WINDOW
    )
    assert finding.ends_on == date(2027, 11, 9)
    with pytest.raises(ValidationError) as refused:
        review_decide(actor=city.handler, application=application, action=Action.APPROVE, at=IN_WINDOW)
    assert "把关不严" in refused.value.messages[0] and "2027年11月9日" in refused.value.messages[0]
    colleague = ApplicantFactory(organisation=city.unit)
    with pytest.raises(ValidationError) as blocked:
        filing.application_create(actor=colleague, series="engineering", level="assistant", at=IN_WINDOW)
    assert "2027年11月9日" in " ".join(blocked.value.messages)


def test_it_lifts_a_finding_so_the_person_may_file_again(city):
    finding = bureau.record_person_finding(
        actor=city.city_reviewer, id_number=_id_of(city.applicant), reason="伪造", at=IN_WINDOW
    )
    bureau.lift_finding(actor=city.city_reviewer, finding=finding, note="复核后撤销", at=IN_WINDOW)
    finding.refresh_from_db()
    assert finding.ends_on < IN_WINDOW.date()
    filing.application_create(actor=city.applicant, series="engineering", level="assistant", at=IN_WINDOW)
    assert AuditEvent.objects.filter(action="integrity_lifted", target_id=str(finding.pk)).exists()


def test_it_keeps_a_county_reviewer_to_their_district(city):
    other_county = UserFactory(role=Role.COUNTY_REVIEWER, organisation=build_city("kunming", "昆明市").county)
    finding = bureau.record_person_finding(
        actor=city.city_reviewer, id_number=_id_of(city.applicant), reason="伪造", at=IN_WINDOW
    )
    assert list(bureau.findings_for(city.county_reviewer)) == [finding]
    assert list(bureau.findings_for(other_county)) == []


def test_it_lists_findings_in_a_fixed_number_of_queries(client, city, django_assert_num_queries):
    client.force_login(city.city_reviewer)
    client.get(reverse("review:integrity_list"))
    bureau.record_person_finding(actor=city.city_reviewer, id_number=_id_of(city.applicant), reason="伪造")

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("review:integrity_list"))
        assert response.status_code == 200
        return len(captured)

    first = count()
    for _ in range(3):
        person = ApplicantFactory(organisation=city.unit)
        bureau.record_person_finding(actor=city.city_reviewer, id_number=_id_of(person), reason="伪造")
    with django_assert_num_queries(first):
        response = client.get(reverse("review:integrity_list"))
    page = response.content.decode()
    assert city.applicant.id_number_masked in page
    assert page.count("伪造") >= 4


def test_it_records_through_the_page_and_shows_field_errors(client, city):
    client.force_login(city.city_reviewer)
    response = client.post(reverse("review:integrity_add"), {"subject": "person", "id_number": "", "reason": ""})
    assert response.status_code == 400
    assert "请填写申报人的身份证号" in response.content.decode()
    response = client.post(
        reverse("review:integrity_add"),
        {"subject": "unit", "unit": city.unit.pk, "period": "quarter", "reason": "把关不严"},
    )
    assert response.status_code == 302
    expected = bureau.next_quarter(timezone.localdate())[1]
    assert FilingRestriction.objects.get(unit=city.unit).ends_on == expected


def test_it_hides_integrity_pages_from_units_applicants_and_department_reviewers(client, city):
    for user in (city.handler, city.applicant, city.department_reviewer):
        client.force_login(user)
        assert client.get(reverse("review:integrity_list")).status_code == 404
        assert client.post(reverse("review:integrity_add"), {"reason": "x"}).status_code == 404


def test_it_answers_404_when_lifting_another_tenants_finding(client, city):
    other = build_city(code="huzhou", name="湖州市")
    finding = bureau.record_person_finding(actor=other.city_reviewer, id_number=_id_of(other.applicant), reason="伪造")
    client.force_login(city.city_reviewer)
    assert client.post(reverse("review:integrity_lift", args=[finding.pk]), {"note": "x"}).status_code == 404
    tenant_admin = UserFactory(role=Role.TENANT_ADMIN, organisation=city.city)
    client.force_login(tenant_admin)
    assert client.post(reverse("review:integrity_lift", args=[finding.pk]), {"note": "x"}).status_code == 404
