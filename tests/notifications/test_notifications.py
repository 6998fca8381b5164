"""Notifications: in-app messages, email and SMS copies, sent once per event (idempotent), on
submission, each review decision, certificate issue; daily reminders and overdue escalation."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Role
from applications import services as filing
from notifications import services
from notifications.models import Notification
from review.chain import Action
from review.models import ReviewStep
from review.services import Problem, review_decide
from tests.applications.helpers import IN_WINDOW, WINDOW_CLOSES, cst
from tests.factories import UserFactory
from tests.review.helpers import build_city, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def city():
    city = build_city()
    city.applicant.email = "applicant@example.cn"
    city.applicant.phone = "13800001111"
    city.applicant.save()
    return city


def test_it_tells_the_applicant_and_the_unit_on_submission(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted_application(city.applicant)
    mine = Notification.objects.get(recipient=city.applicant)
    assert mine.kind == Notification.Kind.SUBMITTED and str(application.pk) in mine.link
    staff = set(Notification.objects.filter(kind=Notification.Kind.TO_REVIEW).values_list("recipient", flat=True))
    assert staff == {city.handler.pk, city.head.pk}
    assert [m.to for m in mail.outbox] == [["applicant@example.cn"]]


def test_it_sends_a_return_with_every_problem_by_email_and_sms(city, django_capture_on_commit_callbacks, caplog):
    application = submitted_application(city.applicant)
    caplog.set_level(logging.INFO, logger="notifications.gateways")
    with django_capture_on_commit_callbacks(execute=True):
        review_decide(
            actor=city.handler,
            application=application,
            action=Action.RETURN,
            opinion="请补正",
            problems=[Problem("field:self_statement", "述职过短"), Problem("field:record.work", "工作经历有空档")],
            at=IN_WINDOW,
        )
    note = Notification.objects.get(recipient=city.applicant, kind=Notification.Kind.RETURNED)
    assert "述职过短" in note.body and "工作经历有空档" in note.body
    assert note.emailed_at and note.texted_at
    assert "述职过短" in mail.outbox[-1].body
    assert "138****1111" in caplog.text and "13800001111" not in caplog.text


def test_it_tells_the_next_level_on_approval_and_only_once(city, django_capture_on_commit_callbacks):
    application = submitted_application(city.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        transition = review_decide(actor=city.handler, application=application, action=Action.APPROVE, at=IN_WINDOW)
    assert Notification.objects.filter(recipient=city.department_reviewer, kind="to_review").count() == 1
    assert Notification.objects.filter(recipient=city.applicant, kind="approved").count() == 1
    sent = len(mail.outbox)
    services.deliver(services.on_transition(transition.pk))  # a retried task
    assert Notification.objects.filter(recipient=city.applicant, kind="approved").count() == 1
    services.deliver(Notification.objects.values_list("pk", flat=True))
    assert len(mail.outbox) == sent


def test_it_tells_the_applicant_of_a_rejection(city, django_capture_on_commit_callbacks):
    application = submitted_application(city.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        review_decide(actor=city.handler, application=application, action=Action.REJECT, opinion="不符合条件",
                      at=IN_WINDOW)
    assert Notification.objects.get(recipient=city.applicant, kind="rejected").body == "不符合条件"


def test_it_reminds_applicants_with_drafts_three_days_before_the_window_closes(city):
    filing.application_create(actor=city.applicant, series="engineering", level="assistant", at=IN_WINDOW)
    assert services.remind_drafts(IN_WINDOW) == []
    near = WINDOW_CLOSES - timedelta(days=2)
    assert len(services.remind_drafts(near)) == 1
    assert services.remind_drafts(near + timedelta(hours=1)) == []
    assert Notification.objects.get(recipient=city.applicant).kind == Notification.Kind.DRAFT_REMINDER


def test_it_reminds_overdue_reviewers_daily_and_escalates_once(city):
    application = submitted_application(city.applicant)
    admin = UserFactory(role=Role.TENANT_ADMIN, organisation=city.city)
    step = ReviewStep.objects.get(application=application, status=ReviewStep.Status.ACTIVE)
    late = step.deadline + timedelta(days=1)
    services.remind_overdue(late)
    services.remind_overdue(late + timedelta(hours=2))
    assert Notification.objects.filter(recipient=city.handler, kind="overdue").count() == 1
    escalated = set(Notification.objects.filter(kind="escalated").values_list("recipient", flat=True))
    assert escalated == {admin.pk, city.department_reviewer.pk}
    services.remind_overdue(late + timedelta(days=1))
    assert Notification.objects.filter(recipient=city.handler, kind="overdue").count() == 2
    assert Notification.objects.filter(kind="escalated").count() == 2
    assert services.escalated_step_ids([step.pk]) == {step.pk}
    assert services.remind_overdue(cst(2026, 11, 10, 9, 0, 0)) == []


def test_it_shows_the_inbox_with_the_unread_count_and_marks_read(client, city, django_assert_num_queries):
    services.post(recipients=[city.applicant], kind="submitted", key="a", title="第一条消息")
    services.post(recipients=[city.handler], kind="to_review", key="a", title="别人的消息")
    client.force_login(city.applicant)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "第一条消息" in page and "别人的消息" not in page and "（1）" in page
    services.post(recipients=[city.applicant], kind="submitted", key="b", title="第二条消息")
    with django_assert_num_queries(3):  # session, user, messages; the unread count is cached
        response = client.get(reverse("notifications:inbox"))
    assert "（2）" in response.content.decode()
    client.post(reverse("notifications:mark_read"))
    assert "（2）" not in client.get(reverse("notifications:inbox")).content.decode()
    assert not Notification.objects.filter(recipient=city.applicant, read_at__isnull=True).exists()


def test_it_notifies_the_holder_when_a_certificate_is_issued(django_capture_on_commit_callbacks):
    from tests.certificates.helpers import approved_application, certificate_for

    application = approved_application()
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_for(application)
    note = Notification.objects.get(recipient=application.applicant, kind="certificate")
    assert certificate.number in note.body


class RecordingGateway:
    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        RecordingGateway.sent.append((phone, text))


def test_it_sends_sms_through_the_gateway_named_in_settings(city, settings):
    from notifications import gateways

    settings.NOTIFICATIONS_SMS_GATEWAY = "tests.notifications.test_notifications.RecordingGateway"
    gateways.sms_gateway.cache_clear()
    try:
        ids = services.post(recipients=[city.applicant], kind="returned", key="r1", title="退回修改")
        services.deliver(ids)
        services.deliver(ids)
    finally:
        gateways.sms_gateway.cache_clear()
    assert RecordingGateway.sent == [("13800001111", "【职称申报】退回修改")]


def test_it_schedules_the_daily_reminders_on_celery_beat(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["notifications-reminders"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_it_never_fails_a_saved_decision_when_the_broker_is_down(city, django_capture_on_commit_callbacks, monkeypatch):
    from notifications import tasks

    def down(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.notify_review_transition, "delay", down)
    application = submitted_application(city.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        transition = review_decide(actor=city.handler, application=application, action=Action.APPROVE, at=IN_WINDOW)
    assert transition.pk and not Notification.objects.filter(kind="approved").exists()
