"""Appeals (申诉) and re-examination (复查), 003_c25e803c7aeb4e62.txt 六(二)3: "申报人对初级职称考核、推荐、
认定环节有异议，可向行业主管部门进行申诉。行业主管部门应根据申诉、举报问题进行复查……申诉人对复查结果不服的，
可向盘龙区人力资源和社会保障局进行申诉。" Due within 15 working days (rules.workdays)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from applications.models import Application
from core.models import AuditEvent
from review import appeals
from review.chain import Action, Level
from review.models import Appeal, ReviewStep, ReviewTransition
from review.services import review_decide
from tests.applications.helpers import cst
from tests.factories import ApplicantFactory, UserFactory
from tests.review.helpers import build_city, submitted_application

pytestmark = pytest.mark.django_db

LODGED_AT = cst(2026, 11, 16, 10, 0, 0)  # a Monday


@pytest.fixture
def city():
    return build_city()


def rejected_by_city(city, method=Application.EvaluationMethod.ASSESSMENT) -> Application:
    application = submitted_application(city.applicant, method=method)
    for actor in (city.head, city.department_reviewer, city.county_reviewer):
        review_decide(actor=actor, application=application, action=Action.APPROVE, opinion="同意。")
    review_decide(actor=city.city_reviewer, application=application, action=Action.REJECT, opinion="年度考核不合格。")
    application.refresh_from_db()
    return application


def lodge(city, application, actor=None, at=LODGED_AT):
    return appeals.appeal_lodge(actor=actor or city.applicant, application=application, reasons="年度考核实为合格。",
                                at=at)


def test_it_counts_fifteen_working_days_for_the_re_examination():
    # 17 Nov 2026 (Tue) + 15 working days, no holidays between: 7 Dec 2026 (Mon).
    assert appeals.due_on(date(2026, 11, 16)) == date(2026, 12, 7)


def test_an_assessed_application_goes_to_the_competent_department_first(city):
    application = rejected_by_city(city)
    appeal = lodge(city, application)
    assert appeal.handler == city.department and appeal.handler_level == Appeal.HandlerLevel.DEPARTMENT
    assert appeal.due_on == date(2026, 12, 7)
    assert appeal.decision.kind == ReviewTransition.Kind.REJECT
    assert AuditEvent.objects.filter(action="appeal_lodged", target_id=str(application.pk)).exists()
    with pytest.raises(ValidationError, match="已在复查中"):
        lodge(city, application)


def test_a_committee_review_or_a_unit_without_department_goes_to_the_city_bureau(city):
    application = rejected_by_city(city, method=Application.EvaluationMethod.COMMITTEE_REVIEW)
    appeal = lodge(city, application, actor=city.handler)
    assert appeal.handler == city.city and appeal.lodged_by_role == city.handler.role


def test_upheld_by_the_department_the_appellant_may_go_on_to_the_bureau_once(city):
    application = rejected_by_city(city)
    first = lodge(city, application)
    appeals.appeal_decide(actor=city.department_reviewer, appeal=first, revoke=False, finding="经复查，原决定无误。")
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    second = lodge(city, application)
    assert second.handler == city.city and second.previous == first
    appeals.appeal_decide(actor=city.city_reviewer, appeal=second, revoke=False, finding="维持。")
    with pytest.raises(ValidationError):
        lodge(city, application)


def test_revoking_reopens_the_application_at_the_deciding_level(city):
    application = rejected_by_city(city)
    appeal = lodge(city, application)
    appeals.appeal_decide(actor=city.department_reviewer, appeal=appeal, revoke=True, finding="考核有误，重新审核。")
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.REVOKED and appeal.reopen.kind == ReviewTransition.Kind.REOPEN
    active = ReviewStep.objects.get(application=application, status=ReviewStep.Status.ACTIVE)
    assert active.level == Level.CITY and active.organisation == city.city and active.pk != appeal.decision.step_id
    assert AuditEvent.objects.filter(action="appeal_revoked").exists()
    # The city decides again, through the one transition service.
    review_decide(actor=city.city_reviewer, application=application, action=Action.APPROVE, opinion="同意。")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED


def test_a_reopened_committee_level_is_followed_by_nothing_new(city):
    """Levels after the deciding one (never reached) follow the fresh step again."""
    application = submitted_application(city.applicant, method=Application.EvaluationMethod.COMMITTEE_REVIEW)
    review_decide(actor=city.head, application=application, action=Action.APPROVE, opinion="同意。")
    review_decide(actor=city.department_reviewer, application=application, action=Action.REJECT, opinion="不符合。")
    application.refresh_from_db()
    appeal = lodge(city, application)
    assert appeal.handler == city.city  # committee review: the bureau
    appeals.appeal_decide(actor=city.city_reviewer, appeal=appeal, revoke=True, finding="重新审核。")
    levels = list(ReviewStep.objects.filter(application=application).order_by("order").values_list("level", "status"))
    assert levels[-4:] == [("department", "active"), ("county", "waiting"), ("city", "waiting"),
                           ("committee", "waiting")]


def test_only_the_handler_decides_and_only_once(city):
    application = rejected_by_city(city)
    appeal = lodge(city, application)
    with pytest.raises(PermissionDenied):
        appeals.appeal_decide(actor=city.city_reviewer, appeal=appeal, revoke=True, finding="x")
    with pytest.raises(ValidationError) as error:
        appeals.appeal_decide(actor=city.department_reviewer, appeal=appeal, revoke=None, finding="")
    assert set(error.value.message_dict) == {"outcome", "finding"}
    appeals.appeal_decide(actor=city.department_reviewer, appeal=appeal, revoke=False, finding="维持。")
    with pytest.raises(ValidationError, match="已复查完毕"):
        appeals.appeal_decide(actor=city.department_reviewer, appeal=appeal, revoke=True, finding="撤销。")


def test_nothing_to_appeal_while_in_review_and_strangers_may_not(city):
    application = submitted_application(ApplicantFactory(organisation=city.unit))
    with pytest.raises(ValidationError, match="没有可以申诉的决定"):
        lodge(city, application, actor=application.applicant)
    rejected = rejected_by_city(city)
    for stranger in (ApplicantFactory(organisation=city.unit), city.department_reviewer,
                     UserFactory(role=Role.UNIT_HANDLER, organisation=city.private_unit)):
        with pytest.raises(PermissionDenied):
            lodge(city, rejected, actor=stranger)
    with pytest.raises(ValidationError, match="请写明申诉理由"):
        appeals.appeal_lodge(actor=application.applicant, application=application, reasons=" ")


def test_the_pages_from_the_status_form_to_the_decision(client, city):
    application = rejected_by_city(city)
    client.force_login(city.applicant)
    status_url = reverse("applications:status", args=[application.pk])
    page = client.get(status_url).content.decode()
    assert "提出申诉" in page and city.department.name in page
    response = client.post(reverse("review:appeal_lodge", args=[application.pk]), {"reasons": "考核结果有误。"})
    assert response.status_code == 302
    page = client.get(status_url).content.decode()
    assert "提出申诉，由" in page and "复查期限至" in page and "提出申诉</button>" not in page
    client.force_login(city.department_reviewer)
    listing = client.get(reverse("review:appeals")).content.decode()
    assert city.applicant.full_name in listing
    decide_url = reverse("review:appeal_decide", args=[application.pk])
    assert "考核结果有误" in client.get(decide_url).content.decode()
    assert client.post(decide_url, {"outcome": "revoke", "finding": ""}).status_code == 400
    assert client.post(decide_url, {"outcome": "revoke", "finding": "重新审核。"}).status_code == 302
    client.force_login(city.applicant)
    page = client.get(status_url).content.decode()
    assert "复查结论：撤销原决定，重新审核" in page


def test_it_answers_404_outside_the_remit(client, city):
    application = rejected_by_city(city)
    lodge(city, application)
    other = build_city("othercity", "另一市")
    for user in (other.applicant, other.handler, city.department_reviewer, city.city_reviewer):
        client.force_login(user)
        assert client.post(reverse("review:appeal_lodge", args=[application.pk]), {"reasons": "x"}).status_code == 404
    for user in (other.department_reviewer, other.city_reviewer, city.city_reviewer, city.applicant):
        client.force_login(user)
        assert client.get(reverse("review:appeal_decide", args=[application.pk])).status_code == 404, user.role
    client.force_login(city.applicant)
    assert client.get(reverse("review:appeals")).status_code == 404
