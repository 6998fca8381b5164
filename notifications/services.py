"""Who is told what, and when. Every function takes ids, is idempotent (``Notification.key``)
and is called from a Celery task after the triggering transaction has committed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import UNIT_ROLES, Role, User
from core.dates import chinese_datetime
from notifications import gateways
from notifications.models import Notification

logger = logging.getLogger(__name__)

Kind = Notification.Kind
# Kinds also sent as SMS (the ones an applicant must not miss); every kind goes by email.
SMS_KINDS = {Kind.RETURNED, Kind.REJECTED, Kind.APPROVED, Kind.CERTIFICATE, Kind.DRAFT_REMINDER, Kind.ESCALATED}
DRAFT_REMINDER_DAYS = 3


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user: User) -> int:
    """Cached per user, refreshed on every write, so a page costs no query once warm."""
    value = cache.get(_unread_key(user.pk))
    if value is None:
        value = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(_unread_key(user.pk), value, None)
    return value


def _refresh_unread(user_ids: Iterable[int]) -> None:
    for user_id in set(user_ids):
        count = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
        cache.set(_unread_key(user_id), count, None)


def post(
    *, recipients: Iterable[User], kind: str, key: str, title: str, body: str = "", link: str = ""
) -> list[int]:
    """Create the message for each recipient that does not have it yet; return the new ids."""
    people = {user.pk: user for user in recipients if user.is_active}
    if not people:
        return []
    existing = set(Notification.objects.filter(key=key, recipient_id__in=people).values_list("recipient_id", flat=True))
    fresh = [pk for pk in people if pk not in existing]
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=pk, kind=kind, key=key[:120], title=title[:120], body=body, link=link)
            for pk in fresh
        ],
        ignore_conflicts=True,
    )
    _refresh_unread(fresh)
    return list(Notification.objects.filter(key=key, recipient_id__in=fresh).values_list("pk", flat=True))


def deliver(notification_ids: Iterable[int]) -> None:
    """Send the email and SMS copies not sent yet (each claimed by a conditional update)."""
    now = timezone.now()
    for note in Notification.objects.filter(pk__in=list(notification_ids)).select_related("recipient"):
        person = note.recipient
        text = f"{note.title}。{note.body}" if note.body else note.title
        if person.email and Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).update(emailed_at=now):
            try:
                gateways.send_email(person.email, f"【职称申报】{note.title}", text)
            except Exception:  # a mail outage must not lose the in-app message
                logger.exception("email for notification %s failed", note.pk)
                Notification.objects.filter(pk=note.pk).update(emailed_at=None)
        sms = note.kind in SMS_KINDS and getattr(settings, "NOTIFICATIONS_SMS_ENABLED", True)
        unsent = Notification.objects.filter(pk=note.pk, texted_at__isnull=True)
        if sms and person.phone and unsent.update(texted_at=now):
            gateways.sms_gateway().send(person.phone, f"【职称申报】{text}"[:300])


def mark_read(*, actor: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    changed = qs.update(read_at=timezone.now())
    _refresh_unread([actor.pk])
    return changed


# --- who acts at a step ----------------------------------------------------------------------


def staff_of_step(step) -> list[User]:
    """The people who may act at a review step: its organisation's staff in the level's roles,
    plus the tenant admins where the level admits them."""
    from review.chain import DEFINITIONS, Level

    roles = DEFINITIONS[Level(step.level)].roles
    query = Q(organisation_id=step.organisation_id, role__in=[r for r in roles if r != Role.TENANT_ADMIN])
    if Role.TENANT_ADMIN in roles:
        query |= Q(role=Role.TENANT_ADMIN, tenant_id=step.application.tenant_id)
    return list(User.objects.filter(query, is_active=True))


def tenant_admins(tenant_id: int) -> list[User]:
    return list(User.objects.filter(role=Role.TENANT_ADMIN, tenant_id=tenant_id, is_active=True))


# --- events ----------------------------------------------------------------------------------


def on_submitted(application_id: int, submission_id: int) -> list[int]:
    from applications.models import Application
    from review.models import ReviewStep

    application = Application.objects.select_related("applicant").get(pk=application_id)
    revision = application.submissions.filter(pk=submission_id).values_list("revision", flat=True).first()
    ids = post(
        recipients=[application.applicant],
        kind=Kind.SUBMITTED,
        key=f"submitted:{submission_id}",
        title=f"您的申报已提交（第{revision}次提交）",
        body="申报材料已冻结，正在等待用人单位审核。",
        link=reverse("applications:status", args=[application.pk]),
    )
    first = (
        ReviewStep.objects.select_related("application")
        .filter(submission_id=submission_id, status=ReviewStep.Status.ACTIVE)
        .first()
    )
    if first is not None:
        ids += _to_review(first)
    return ids


def _to_review(step) -> list[int]:
    applicant = step.application.applicant
    return post(
        recipients=staff_of_step(step),
        kind=Kind.TO_REVIEW,
        key=f"to_review:{step.pk}",
        title=f"{applicant.full_name}的申报待您审核",
        body=f"审核截止：{chinese_datetime(step.deadline)}" if step.deadline else "",
        link=reverse("review:detail", args=[step.application_id]),
    )


def on_transition(transition_id: int) -> list[int]:
    from review.models import ReviewStep, ReviewTransition

    transition = ReviewTransition.objects.select_related(
        "application__applicant", "step__organisation"
    ).get(pk=transition_id)
    application = transition.application
    with translation.override("zh-hans"):  # the message is stored, in Chinese
        level = transition.step.get_level_display()
    link = reverse("applications:status", args=[application.pk])
    kind = transition.kind
    ids: list[int] = []
    if kind == "approve":
        following = (
            ReviewStep.objects.select_related("application__applicant")
            .filter(submission_id=transition.step.submission_id, order__gt=transition.step.order)
            .order_by("order")
            .first()
        )
        final = following is None
        ids += post(
            recipients=[application.applicant],
            kind=Kind.APPROVED,
            key=f"transition:{transition.pk}",
            title=f"{level}已审核通过您的申报" + ("，审核全部完成" if final else "，已报送上一级"),
            body=transition.opinion,
            link=link,
        )
        if following is not None and following.status == ReviewStep.Status.ACTIVE:
            ids += _to_review(following)
    elif kind == "return":
        problems = [f"{p.target_label}：{p.message}" for p in transition.problems.all()]
        ids += post(
            recipients=[application.applicant],
            kind=Kind.RETURNED,
            key=f"transition:{transition.pk}",
            title=f"{level}退回了您的申报，请修改后重新提交",
            body="\n".join([transition.opinion, *problems]).strip(),
            link=link,
        )
    elif kind == "reject":
        ids += post(
            recipients=[application.applicant],
            kind=Kind.REJECTED,
            key=f"transition:{transition.pk}",
            title=f"{level}审核未通过您的申报",
            body=transition.opinion,
            link=link,
        )
    return ids


def on_closed_overdue(application_id: int) -> list[int]:
    """A return not fixed by the deadline closed the application (003 四): the applicant, the
    applicant's unit and the level that returned it are told."""
    from applications.models import Application
    from review.models import ReviewStep

    application = Application.objects.select_related("applicant").get(pk=application_id)
    title = "您的申报逾期未补正，已关闭"
    body = f"退回修改的申报未在截止时间前补正并再次提交：{application.closed_reason}。"
    ids = post(
        recipients=[application.applicant],
        kind=Kind.RETURNED,
        key=f"closed_overdue:{application.pk}",
        title=title,
        body=body,
        link=reverse("applications:status", args=[application.pk]),
    )
    returned = (
        ReviewStep.objects.select_related("application")
        .filter(application=application, status=ReviewStep.Status.RETURNED)
        .order_by("-revision", "-order")
        .first()
    )
    staff = {u.pk: u for u in User.objects.filter(organisation_id=application.unit_id, role__in=UNIT_ROLES)}
    if returned is not None:
        staff.update({u.pk: u for u in staff_of_step(returned)})
    if staff:
        ids += post(
            recipients=staff.values(),
            kind=Kind.RETURNED,
            key=f"closed_overdue:{application.pk}",
            title=f"{application.applicant.full_name}的申报逾期未补正，已关闭",
            body=body,
            link=reverse("review:detail", args=[application.pk]),
        )
    return ids


def on_certificate(certificate_id: int) -> list[int]:
    from certificates.models import Certificate

    certificate = Certificate.objects.select_related("application__applicant").get(pk=certificate_id)
    return post(
        recipients=[certificate.application.applicant],
        kind=Kind.CERTIFICATE,
        key=f"certificate:{certificate.pk}",
        title="您的职称电子证书已签发",
        body=f"证书编号：{certificate.number}" if getattr(certificate, "number", "") else "",
        link=reverse("certificates:my_certificates"),
    )


# --- reminders (Celery beat, daily) ------------------------------------------------------------


def remind_drafts(at: datetime | None = None) -> list[int]:
    """Applicants with a draft when their tenant's window closes within three days."""
    from applications.models import Application
    from rules.windows import UnknownTenantError, window_status
    from units.models import Tenant

    at = at or timezone.now()
    ids: list[int] = []
    for tenant in Tenant.objects.all():
        try:
            status = window_status(tenant.code, at)
        except UnknownTenantError:
            continue
        window = status.get("window")
        if not status["submit_open"] or not window:
            continue
        closes = datetime.fromisoformat(window["submit_closes_at"])
        if closes - at > timedelta(days=DRAFT_REMINDER_DAYS):
            continue
        drafts = Application.objects.filter(tenant=tenant, status=Application.Status.DRAFT).select_related("applicant")
        for application in drafts:
            ids += post(
                recipients=[application.applicant],
                kind=Kind.DRAFT_REMINDER,
                key=f"draft:{application.pk}:{closes:%Y%m%d%H%M}",
                title=f"申报将于{chinese_datetime(closes, year=False)}截止，您还有未提交的申报",
                body="请尽快完善材料并提交，截止后将无法提交。",
                link=reverse("applications:detail", args=[application.pk]),
            )
    return ids


def remind_overdue(at: datetime | None = None) -> list[int]:
    """Daily: each overdue step's staff are reminded; once, the next level's staff and the
    tenant admins are told it is overdue (escalation)."""
    from review.models import ReviewStep

    at = at or timezone.now()
    day = timezone.localtime(at).strftime("%Y%m%d")
    ids: list[int] = []
    overdue = ReviewStep.objects.filter(status=ReviewStep.Status.ACTIVE, deadline__lt=at).select_related(
        "application__applicant", "organisation"
    )
    for step in overdue:
        name = step.application.applicant.full_name
        link = reverse("review:detail", args=[step.application_id])
        ids += post(
            recipients=staff_of_step(step),
            kind=Kind.OVERDUE,
            key=f"overdue:{step.pk}:{day}",
            title=f"{name}的申报已超过审核期限，请尽快办理",
            body=f"审核截止：{chinese_datetime(step.deadline)}",
            link=link,
        )
        following = (
            ReviewStep.objects.select_related("application")
            .filter(submission_id=step.submission_id, order__gt=step.order)
            .order_by("order")
            .first()
        )
        watchers = tenant_admins(step.application.tenant_id) + (staff_of_step(following) if following else [])
        ids += post(
            recipients=watchers,
            kind=Kind.ESCALATED,
            key=f"escalate:{step.pk}",
            title=f"超期督办：{step.organisation.name}未在期限内审核{name}的申报",
            body=f"审核层级：{_level_zh(step)}；截止：{chinese_datetime(step.deadline)}",
            link=link,
        )
    return ids


def _level_zh(step) -> str:
    """The level's name in Chinese: notifications are stored, whatever the actor's language."""
    with translation.override("zh-hans"):
        return step.get_level_display()


def escalated_step_ids(step_ids: Iterable[int]) -> set[int]:
    keys = [f"escalate:{pk}" for pk in step_ids]
    found = Notification.objects.filter(key__in=keys).values_list("key", flat=True).distinct()
    return {int(key.split(":")[1]) for key in found}
