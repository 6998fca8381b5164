"""Tenancy in one place for the applications app: anything outside the user's remit is 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import UNIT_ROLES, Role, User
from applications.models import (
    Achievement,
    Application,
    ApplicationFile,
    Attachment,
    ExceptionalPromotionApproval,
    Submission,
)
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
    forms_to_approve = exceptional_approvals_for_user(user).values("attachment_id")
    return Attachment.objects.filter(
        Q(owner=user) | Q(pk__in=visible_files) | Q(pk__in=visible_proofs) | Q(pk__in=forms_to_approve)
    )


def get_attachment_for_user(user: User, pk: int) -> Attachment:
    return get_object_or_404(attachments_for_user(user), pk=pk)


def submissions_for_application(application: Application) -> QuerySet[Submission]:
    return application.submissions.order_by("-revision")


def get_record_entry_for_user(user: User, kind: str, pk: int):
    """An entry of the user's own personal record (anyone else's is 404)."""
    from applications.services import RECORD_KINDS

    model = RECORD_KINDS.get(kind)
    if model is None or not user.is_authenticated:
        raise Http404
    return get_object_or_404(model.objects.filter(person=user), pk=pk)


def exceptional_approvals_for_user(user: User) -> QuerySet[ExceptionalPromotionApproval]:
    """破格 forms the user's 市人社局 decides (004 附件 审批表): their tenant's only."""
    qs = ExceptionalPromotionApproval.objects.select_related(
        "application__applicant", "application__unit", "attachment", "decided_by"
    )
    if not user.is_authenticated or user.role not in (Role.CITY_REVIEWER, Role.TENANT_ADMIN) or not user.tenant_id:
        return qs.none()
    return qs.filter(application__tenant_id=user.tenant_id)


def get_exceptional_approval_for_user(user: User, pk: int) -> ExceptionalPromotionApproval:
    return get_object_or_404(exceptional_approvals_for_user(user), pk=pk)


def get_application_for_unit_materials(user: User, pk: int) -> Application:
    """An application of the user's own unit (submitted or later); any other is 404."""
    if not user.is_authenticated or user.role not in UNIT_ROLES:
        raise Http404
    return get_object_or_404(applications_for_user(user).filter(unit_id=user.organisation_id), pk=pk)


def _cn_moment(moment) -> str:
    from applications.wording import reader_moment

    return reader_moment(moment, spaced=False)


def roster_filing_of(unit_id: int, window_name: str):
    """The unit's current 推荐人员名单 filing for the window, or None."""
    from applications.models import UnitRosterFiling

    found = UnitRosterFiling.objects.filter(unit_id=unit_id, window_name=window_name)
    return found.order_by("-filed_at", "-id").first()


def roster_exclusion(application, at=None) -> str:
    """Why the application is excluded from online review because its unit did not file its
    推荐人员名单 (附件3) by the window's cut-off (003_c25e803c7aeb4e62.txt 三(一)3), or "".

    The cut-off is the tenant's window's ``roster_closes_at``; before it, or for a window without one,
    nothing is excluded."""
    from django.utils import timezone

    from applications.models import UnitRosterFiling
    from rules.windows import roster_deadline

    deadline = roster_deadline(application.tenant.code, application.window_name)
    if deadline is None or (at or timezone.now()) <= deadline:
        return ""
    filed = UnitRosterFiling.objects.filter(
        unit_id=application.unit_id, window_name=application.window_name, filed_at__lte=deadline
    ).exists()
    if filed:
        return ""
    from django.utils.translation import gettext as _

    return _(
        "%(unit)s未在%(deadline)s前报送“%(window)s”的推荐人员名单（附件3），按规定该单位本批次的申报不予网络审核。"
    ) % {"unit": application.unit.name, "deadline": _cn_moment(deadline), "window": application.window_name}
