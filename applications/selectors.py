"""Tenancy in one place for the applications app: anything outside the user's remit is 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import UNIT_ROLES, Role, User
from applications.models import Achievement, Application, ApplicationFile, Attachment, Submission
from units.selectors import organisations_for_user


def applications_for_user(user: User) -> QuerySet[Application]:
    """Applicants see their own; unit staff their unit's submitted ones; bureaus those of the
    organisations they oversee (never drafts: a draft is the applicant's own)."""
    qs = Application.objects.select_related("applicant", "unit", "tenant")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.APPLICANT:
        return qs.filter(applicant=user)
    visible = qs.exclude(status=Application.Status.DRAFT)
    if user.role == Role.PLATFORM_ADMIN:
        return visible
    if user.role in UNIT_ROLES:
        return visible.filter(unit_id=user.organisation_id)
    if user.role in (Role.EXPERT, Role.COMMITTEE_SECRETARY):
        return qs.none()
    return visible.filter(tenant_id=user.tenant_id, unit__in=organisations_for_user(user))


def get_application_for_user(user: User, pk: int) -> Application:
    return get_object_or_404(applications_for_user(user), pk=pk)


def get_own_application(user: User, pk: int) -> Application:
    """An application the user files themself (the only one they may change)."""
    return get_object_or_404(applications_for_user(user).filter(applicant=user), pk=pk)


def achievements_for_user(user: User) -> QuerySet[Achievement]:
    qs = Achievement.objects.select_related("person", "proof")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.APPLICANT:
        return qs.filter(person=user)
    if user.role in UNIT_ROLES:
        return qs.filter(person__organisation_id=user.organisation_id, person__role=Role.APPLICANT)
    return qs.none()


def get_achievement_for_user(user: User, pk: int) -> Achievement:
    return get_object_or_404(achievements_for_user(user), pk=pk)


def attachments_for_user(user: User) -> QuerySet[Attachment]:
    """Files the user may download: their own, and those of applications or archive entries
    they may see."""
    if not user.is_authenticated:
        return Attachment.objects.none()
    visible_files = ApplicationFile.objects.filter(application__in=applications_for_user(user)).values("attachment_id")
    visible_proofs = achievements_for_user(user).exclude(proof=None).values("proof_id")
    return Attachment.objects.filter(Q(owner=user) | Q(pk__in=visible_files) | Q(pk__in=visible_proofs))


def get_attachment_for_user(user: User, pk: int) -> Attachment:
    return get_object_or_404(attachments_for_user(user), pk=pk)


def submissions_for_application(application: Application) -> QuerySet[Submission]:
    return application.submissions.order_by("-revision")
