"""Entrusted review (委托评审), 001_272b0a6ee81b04e4.txt 四: "由市人力资源社会保障部门资格审查并出具委托代评函，
委托省内经核准备案的职称评审委员会代为评审"; "未经委托评审的，评审结果无效". The bureau consents naming
the entrusted authority and committee, the 委托评审函 is issued, the entrusted committee's result is
recorded with its document, and the committee step is decided with it."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications.models import Application
from core.models import AuditEvent
from review import entrusted
from review.chain import Level
from review.models import EntrustedResult, ReviewStep, ReviewTransition
from tests.applications.helpers import cst, pdf_bytes
from tests.committees.helpers import to_committee
from tests.factories import OrganisationFactory, UserFactory
from tests.review.helpers import build_city, submitted_application

pytestmark = pytest.mark.django_db

CONSENTED_AT = cst(2026, 11, 13, 10, 0, 0)


@pytest.fixture
def city():
    return build_city()


def entrusted_application(city) -> Application:
    application = submitted_application(city.applicant, method=Application.EvaluationMethod.COMMITTEE_REVIEW)
    Application.objects.filter(pk=application.pk).update(entrusted_review=True)
    application.refresh_from_db()
    return to_committee(city, application)


def consent(city, application, actor=None):
    return entrusted.entrustment_consent(
        actor=actor or city.city_reviewer, application=application, authority="河南省人力资源和社会保障厅",
        committee_name="河南省中等职业学校教师高级职称评审委员会", opinion="经资格审查，符合申报条件。",
        at=CONSENTED_AT,
    )


def result_pdf(name="评审结果.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def record(city, application, passed=True, **kwargs):
    values = {"decided_on": date(2026, 11, 20), "document_number": "豫职称〔2026〕12号", "upload": result_pdf()}
    values.update(kwargs)
    return entrusted.entrusted_result_record(
        actor=city.city_reviewer, application=application, passed=passed, **values
    )


def test_it_leaves_an_entrusted_application_waiting_at_the_committee_step(city):
    application = entrusted_application(city)
    step = entrusted.committee_step(application)
    assert step is not None and step.level == Level.COMMITTEE
    assert application.status == Application.Status.IN_REVIEW


def test_it_records_the_bureaus_consent_and_numbers_the_letter(city):
    application = entrusted_application(city)
    entrustment = consent(city, application)
    assert entrustment.issuer == city.city
    assert entrustment.letter_number.endswith(f"委评〔{entrustment.issued_on.year}〕1号")
    assert AuditEvent.objects.filter(action="entrusted_consent", target_id=str(application.pk)).exists()
    with pytest.raises(ValidationError, match="不能重复出具"):
        consent(city, application)


def test_it_numbers_letters_in_order_within_a_tenant(city):
    first = consent(city, entrusted_application(city))
    from tests.factories import ApplicantFactory

    city.applicant = ApplicantFactory(organisation=city.unit)
    second = consent(city, entrusted_application(city))
    assert (first.serial, second.serial) == (1, 2)


def test_it_lets_the_tenant_admin_consent_but_not_a_county_reviewer(city):
    application = entrusted_application(city)
    with pytest.raises(PermissionDenied):
        consent(city, application, actor=city.county_reviewer)
    admin = UserFactory(role=Role.TENANT_ADMIN, organisation=city.city)
    assert consent(city, application, actor=admin).consented_by == admin


def test_it_refuses_consent_before_the_city_has_passed_the_qualification(city):
    application = submitted_application(city.applicant, method=Application.EvaluationMethod.COMMITTEE_REVIEW)
    Application.objects.filter(pk=application.pk).update(entrusted_review=True)
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="资格审查"):
        consent(city, application)


def test_it_requires_the_authority_and_the_committee(city):
    application = entrusted_application(city)
    with pytest.raises(ValidationError) as error:
        entrusted.entrustment_consent(
            actor=city.city_reviewer, application=application, authority="", committee_name=""
        )
    assert set(error.value.message_dict) == {"authority", "committee_name"}


def test_it_renders_the_letter_with_applicant_series_committee_issuer_date_and_number(city):
    from pypdf import PdfReader

    from certificates.entrustment import letter_context, render_entrustment_letter

    application = entrusted_application(city)
    entrustment = consent(city, application)
    context = letter_context(entrustment)
    assert context["applicant"] == city.applicant.full_name
    assert context["series"] == "工程" and context["level"] == "助理级"
    assert context["committee_name"] == "河南省中等职业学校教师高级职称评审委员会"
    assert context["letter_number"] == entrustment.letter_number
    assert context["issued_on"].endswith("日") and "年" in context["issued_on"]
    content = render_entrustment_letter(entrustment)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "委托评审函" in text.replace(" ", "")
    assert render_entrustment_letter(entrustment) == content  # the same consent, the same bytes


def test_a_passed_result_approves_the_committee_step(city):
    application = entrusted_application(city)
    consent(city, application)
    result = record(city, application, passed=True)
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    result.step.refresh_from_db()
    assert result.step.status == ReviewStep.Status.APPROVED and result.step.level == Level.COMMITTEE
    assert result.transition.kind == ReviewTransition.Kind.APPROVE
    assert "豫职称〔2026〕12号" in result.step.opinion
    assert AuditEvent.objects.filter(action="entrusted_result").exists()
    committee_audit = AuditEvent.objects.filter(action="review_approve", detail__level="committee")
    assert committee_audit.get().actor == city.city_reviewer


def test_a_failed_result_rejects_with_the_result_as_the_reason(city):
    application = entrusted_application(city)
    consent(city, application)
    result = record(city, application, passed=False)
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert result.transition.kind == ReviewTransition.Kind.REJECT
    assert "评审未通过" in result.transition.opinion and "豫职称〔2026〕12号" in result.transition.opinion


def test_it_refuses_a_result_without_a_letter_a_second_result_and_a_bad_document(city):
    application = entrusted_application(city)
    with pytest.raises(ValidationError, match="尚未出具委托评审函"):
        record(city, application)
    consent(city, application)
    with pytest.raises(ValidationError) as error:
        html = SimpleUploadedFile("结果.pdf", b"<html>x</html>", content_type="application/pdf")
        record(city, application, upload=html)
    assert "document" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record(city, application, passed=None, document_number="", decided_on=None)
    assert {"passed", "document_number", "decided_on"} <= set(error.value.message_dict)
    record(city, application)
    with pytest.raises(ValidationError, match="不在等待委托评审结果"):
        record(city, application)
    assert EntrustedResult.objects.count() == 1


def test_a_committee_secretary_cannot_decide_a_non_entrusted_step_through_the_hook(city):
    """The hook opens the committee step to the bureau for entrusted applications only."""
    from review.services import review_decide

    application = submitted_application(city.applicant, method=Application.EvaluationMethod.COMMITTEE_REVIEW)
    application = to_committee(city, application)
    replay = review_decide(actor=city.city_reviewer, application=application, action="approve", via_committee=True)
    assert replay.step.level == Level.CITY  # its own earlier approval, nothing decided
    assert entrusted.committee_step(application) is not None
    stranger = UserFactory(role=Role.CITY_REVIEWER, organisation=OrganisationFactory(tenant=city.tenant))
    with pytest.raises(PermissionDenied):
        review_decide(actor=stranger, application=application, action="reject", opinion="否", via_committee=True)


def test_the_pages_show_the_path_to_the_bureau_and_the_applicant(client, city):
    application = entrusted_application(city)
    client.force_login(city.city_reviewer)
    page = client.get(reverse("review:detail", args=[application.pk]))
    assert "办理委托评审" in page.content.decode()
    url = reverse("review:entrusted_consent", args=[application.pk])
    response = client.post(url, {"authority": "河南省人力资源和社会保障厅", "committee_name": "省评委会"})
    assert response.status_code == 302
    today = timezone.localdate()
    when = f"{today.year}年{today.month}月{today.day}日"
    response = client.post(
        reverse("review:entrusted_result", args=[application.pk]),
        {"passed": "yes", "decided_on": when, "document_number": "豫职称〔2026〕12号", "document": result_pdf()},
    )
    assert response.status_code == 302, response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    page = client.get(reverse("review:entrusted", args=[application.pk])).content.decode()
    assert when in page and "豫职称〔2026〕12号" in page
    assert client.get(reverse("review:entrusted_result_document", args=[application.pk])).status_code == 200
    client.force_login(city.applicant)
    status = client.get(reverse("applications:status", args=[application.pk])).content.decode()
    assert "出具委托评审函" in status and f"{when}评审通过" in status


def test_it_answers_404_outside_the_remit(client, city):
    application = entrusted_application(city)
    consent(city, application)
    other = build_city("othercity", "另一市")
    for user in (other.city_reviewer, city.county_reviewer, city.applicant, city.head):
        client.force_login(user)
        for name in ("review:entrusted", "review:entrusted_result_document"):
            assert client.get(reverse(name, args=[application.pk])).status_code == 404, (user.role, name)
        assert client.post(reverse("review:entrusted_consent", args=[application.pk])).status_code == 404
        assert client.post(reverse("review:entrusted_result", args=[application.pk])).status_code == 404
    client.force_login(other.city_reviewer)
    assert client.get(reverse("review:entrusted_letter", args=[application.pk])).status_code == 404


def test_a_foreign_city_bureau_user_is_not_in_remit(city):
    stranger = UserFactory(role=Role.CITY_REVIEWER, organisation=OrganisationFactory(city_bureau=True))
    application = entrusted_application(city)
    assert not entrusted.may_entrust(stranger, application)
