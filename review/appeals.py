"""Appeals (申诉) against a decision and their re-examination (复查).

003_c25e803c7aeb4e62.txt 六(二)3: "申报人对初级职称考核、推荐、认定环节有异议，可向行业主管部门进行申诉。
行业主管部门应根据申诉、举报问题进行复查……申诉人对复查结果不服的，可向盘龙区人力资源和社会保障局进行
申诉。" So an appeal against an assessed (考核认定) application whose competent department reviewed it
goes to that department first, and an appeal against the department's re-examination to the city
bureau; any other appeal goes to the city bureau. The clause sets no term for the 复查, so the
tenant's document does: setting ``appeal_review_working_days`` (default 15) working days from the day
after lodging (rules.workdays). An appeal still pending after its last day is overdue: its handler's
list and the city bureau's (which supervises the procedure, 003 六(二)(三)) flag it; a conclusion is
still recorded after the term (the appellant is owed one), marked overdue on the timeline and in the
audit row.

A decision is appealable when it is the application's latest transition and it is a rejection
(不通过) or the final approval (已通过). Revoking reopens the application at the level that decided:
a fresh active ``ReviewStep`` copying that level (the later levels, never reached, follow it again),
the application back to 审核中, recorded as a ``ReviewTransition`` of kind ``reopen``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import UNIT_ROLES, Role, User
from applications.models import Application
from core.audit import audit
from core.dates import local_date
from review.chain import Level
from review.models import Appeal, ReviewStep, ReviewTransition
from units.models import Organisation
from units.services import Errors

DUE_WORKING_DAYS = 15  # the schema's default of ``appeal_review_working_days``
REASONS_MAX = 2000
FINDING_MAX = 2000
HANDLER_ROLES = {
    Appeal.HandlerLevel.DEPARTMENT: frozenset({Role.DEPARTMENT_REVIEWER}),
    Appeal.HandlerLevel.CITY: frozenset({Role.CITY_REVIEWER, Role.TENANT_ADMIN}),
}


def review_working_days(tenant) -> int:
    """The tenant's term of a re-examination in working days (its document's setting)."""
    from units.tenant_settings import setting

    return int(setting(tenant, "appeal_review_working_days"))


def due_on(lodged_on: date, working_days: int = DUE_WORKING_DAYS) -> date:
    """The last day of the re-examination: ``working_days`` counted from the day after lodging."""
    from rules.workdays import add_working_days

    return add_working_days(lodged_on + timedelta(days=1), working_days)


def working_days_of(appeal: Appeal) -> int | None:
    """How many working days the appeal's term ran (lodging day excluded), read back from its dates
    (so a later change of the setting does not rewrite what an earlier appeal was given)."""
    from rules.workdays import CalendarUnknownError, is_working_day, load_overrides

    start = timezone.localtime(appeal.lodged_at).date() + timedelta(days=1)
    overrides = load_overrides(start, appeal.due_on)
    span = (appeal.due_on - start).days + 1
    try:
        return sum(is_working_day(start + timedelta(days=n), overrides=overrides) for n in range(max(span, 0)))
    except CalendarUnknownError:
        return None


def _local_day(at: datetime | None) -> date:
    return timezone.localtime(at or timezone.now()).date()


def is_overdue(appeal: Appeal, at: datetime | None = None) -> bool:
    """Pending past its last day, or concluded after it."""
    if appeal.decided_at is not None:
        return _local_day(appeal.decided_at) > appeal.due_on
    return appeal.status == Appeal.Status.PENDING and _local_day(at) > appeal.due_on


def days_overdue(appeal: Appeal, at: datetime | None = None) -> int:
    """Calendar days past the last day (at the conclusion, or now while pending); 0 when in time."""
    end = _local_day(appeal.decided_at if appeal.decided_at is not None else at)
    return max(0, (end - appeal.due_on).days)


def plain_date(day: date) -> str:
    """The day in the page's language (the timeline and messages are read-time text, not stored)."""
    return local_date(day)


# --- Which decision, and who may appeal -----------------------------------------------------------


def appealable_decision(application: Application) -> ReviewTransition | None:
    """The decision an appeal would be against: the latest transition, a rejection or the final approval."""
    if application.status not in (Application.Status.REJECTED, Application.Status.APPROVED):
        return None
    last = (
        ReviewTransition.objects.filter(application=application)
        .select_related("step__organisation")
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None:
        return None
    if last.kind == ReviewTransition.Kind.REJECT or (
        last.kind == ReviewTransition.Kind.APPROVE and last.to_status == Application.Status.APPROVED
    ):
        return last
    return None


def may_lodge(user: User, application: Application) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.APPLICANT:
        return application.applicant_id == user.pk
    return user.role in UNIT_ROLES and user.organisation_id == application.unit_id


def _city_bureau(tenant_id: int) -> Organisation | None:
    return Organisation.objects.filter(tenant_id=tenant_id, kind=Organisation.Kind.CITY_BUREAU).order_by("id").first()


def next_handler(application: Application, decision: ReviewTransition) -> tuple[str, Organisation] | None:
    """Who re-examines the next appeal against ``decision``, or None when no appeal is left."""
    earlier = list(Appeal.objects.filter(decision=decision).order_by("lodged_at", "id"))
    if any(a.status == Appeal.Status.PENDING or a.handler_level == Appeal.HandlerLevel.CITY for a in earlier):
        return None  # one re-examination at a time, and the bureau's is the last
    city = _city_bureau(application.tenant_id)
    if earlier:  # the department upheld: the appellant may go on to the bureau (003 六(二)3)
        return (Appeal.HandlerLevel.CITY, city) if city else None
    department_step = (
        ReviewStep.objects.filter(application=application, level=Level.DEPARTMENT, organisation__isnull=False)
        .select_related("organisation")
        .order_by("-revision", "order")
        .first()
    )
    if application.evaluation_method == Application.EvaluationMethod.ASSESSMENT and department_step is not None:
        return Appeal.HandlerLevel.DEPARTMENT, department_step.organisation
    return (Appeal.HandlerLevel.CITY, city) if city else None


def appeal_offer(application: Application) -> dict | None:
    """What the applicant's page offers: the decision and who would re-examine, or None."""
    decision = appealable_decision(application)
    if decision is None:
        return None
    handler = next_handler(application, decision)
    if handler is None:
        return None
    level, organisation = handler
    return {"decision": decision, "handler_level": level, "handler": organisation}


# --- Writes ------------------------------------------------------------------------------------


def appeal_lodge(*, actor: User, application: Application, reasons: str, request=None, at: datetime | None = None
                 ) -> Appeal:
    at = at or timezone.now()
    reasons = (reasons or "").strip()
    errors = Errors()
    if not reasons:
        errors.add("reasons", _("请写明申诉理由。"))
    elif len(reasons) > REASONS_MAX:
        errors.add("reasons", _("申诉理由不能超过%(max)d字。") % {"max": REASONS_MAX})
    errors.raise_if_any()
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if not may_lodge(actor, locked):
            raise PermissionDenied
        decision = appealable_decision(locked)
        if decision is None:
            message = _("申报当前状态为“%(status)s”，没有可以申诉的决定。") % {"status": locked.get_status_display()}
            raise ValidationError({"__all__": [message]})
        handler = next_handler(locked, decision)
        if handler is None:
            raise ValidationError({"__all__": [_("对该决定的申诉已在复查中或已复查完毕，不能再申诉。")]})
        level, organisation = handler
        previous = Appeal.objects.filter(decision=decision).order_by("-lodged_at", "-id").first()
        appeal = Appeal.objects.create(
            application=locked,
            decision=decision,
            previous=previous,
            handler_level=level,
            handler=organisation,
            lodged_by=actor,
            lodged_by_role=actor.role,
            reasons=reasons,
            lodged_at=at,
            due_on=due_on(timezone.localtime(at).date(), review_working_days(locked.tenant)),
        )
        audit(
            action="appeal_lodged",
            actor=actor,
            target=locked,
            request=request,
            appeal=appeal.pk,
            decision=decision.pk,
            handler=organisation.pk,
            due_on=appeal.due_on.isoformat(),
            working_days=review_working_days(locked.tenant),
        )
    return appeal


def may_decide(user: User, appeal: Appeal) -> bool:
    if not getattr(user, "is_authenticated", False) or user.role not in HANDLER_ROLES[appeal.handler_level]:
        return False
    if user.role == Role.TENANT_ADMIN:
        return user.tenant_id == appeal.handler.tenant_id
    return user.organisation_id == appeal.handler_id


def _reopen(*, actor: User, application: Application, appeal: Appeal, at: datetime) -> ReviewTransition:
    """The deciding level acts again: a fresh active step copying it, the levels after it that were
    never reached renumbered to follow it, the application back to 审核中."""
    decided = appeal.decision.step
    top = ReviewStep.objects.filter(submission_id=decided.submission_id).aggregate(n=Max("order"))["n"] or 0
    fresh = ReviewStep.objects.create(
        application=application,
        submission_id=decided.submission_id,
        revision=decided.revision,
        order=top + 1,
        level=decided.level,
        organisation_id=decided.organisation_id,
        status=ReviewStep.Status.ACTIVE,
        active_since=at,
        chain_version=decided.chain_version,
    )
    later = ReviewStep.objects.filter(
        submission_id=decided.submission_id, order__gt=decided.order, order__lte=top, status=ReviewStep.Status.WAITING
    ).order_by("order")
    for index, step in enumerate(later, start=2):
        step.order = top + index
        step.save(update_fields=["order"])
    from_status = application.status
    application.status = Application.Status.IN_REVIEW
    application.save(update_fields=["status", "updated_at"])
    return ReviewTransition.objects.create(
        application=application,
        step=fresh,
        revision=fresh.revision,
        kind=ReviewTransition.Kind.REOPEN,
        from_status=from_status,
        to_status=application.status,
        actor=actor,
        actor_role=actor.role,
        opinion=appeal.finding,
        created_at=at,
    )


def appeal_decide(
    *, actor: User, appeal: Appeal, revoke: bool | None, finding: str, request=None, at: datetime | None = None
) -> Appeal:
    """Uphold or revoke the appealed decision, with the re-examination's finding."""
    at = at or timezone.now()
    finding = (finding or "").strip()
    errors = Errors()
    if revoke is None:
        errors.add("outcome", _("请选择复查结论：维持原决定或撤销原决定。"))
    if not finding:
        errors.add("finding", _("请写明复查意见。"))
    elif len(finding) > FINDING_MAX:
        errors.add("finding", _("复查意见不能超过%(max)d字。") % {"max": FINDING_MAX})
    errors.raise_if_any()
    with transaction.atomic():
        application = Application.objects.select_for_update(of=("self",)).get(pk=appeal.application_id)
        locked = Appeal.objects.select_for_update().select_related("handler", "decision__step").get(pk=appeal.pk)
        if not may_decide(actor, locked):
            raise PermissionDenied
        if locked.status != Appeal.Status.PENDING:
            message = _("该申诉已复查完毕（%(status)s）。") % {"status": locked.get_status_display()}
            raise ValidationError({"__all__": [message]})
        if revoke and appealable_decision(application) != locked.decision:
            raise ValidationError({"__all__": [_("申报在申诉后已有新的审核结果，不能撤销原决定。")]})
        locked.status = Appeal.Status.REVOKED if revoke else Appeal.Status.UPHELD
        locked.finding = finding
        locked.decided_by = actor
        locked.decided_at = at
        if revoke:
            locked.reopen = _reopen(actor=actor, application=application, appeal=locked, at=at)
        locked.save(update_fields=["status", "finding", "decided_by", "decided_at", "reopen"])
        audit(
            action="appeal_revoked" if revoke else "appeal_upheld",
            actor=actor,
            target=application,
            request=request,
            appeal=locked.pk,
            decision=locked.decision_id,
            reopened_level=locked.decision.step.level if revoke else "",
            due_on=locked.due_on.isoformat(),
            overdue=is_overdue(locked),
            days_overdue=days_overdue(locked),
        )
    appeal.refresh_from_db()
    return appeal


# --- Reads ---------------------------------------------------------------------------------------


def appeals_for_handler(user: User) -> QuerySet[Appeal]:
    """The appeals the user's organisation re-examines (the tenant admin: all of the city bureau's)."""
    qs = Appeal.objects.select_related("application__applicant", "application__unit", "handler", "decision__step")
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return qs.none()
    if user.role == Role.TENANT_ADMIN:
        return qs.filter(handler__tenant_id=user.tenant_id, handler_level=Appeal.HandlerLevel.CITY)
    if user.role == Role.CITY_REVIEWER:
        return qs.filter(handler_id=user.organisation_id, handler_level=Appeal.HandlerLevel.CITY)
    if user.role == Role.DEPARTMENT_REVIEWER:
        return qs.filter(handler_id=user.organisation_id, handler_level=Appeal.HandlerLevel.DEPARTMENT)
    return qs.none()


def overdue_for_supervisor(user: User, at: datetime | None = None) -> QuerySet[Appeal]:
    """Appeals of the user's tenant still pending past their last day, whoever re-examines them: the
    city bureau (its reviewers and the tenant admin) supervises the procedure (003 六(二)(三))."""
    qs = Appeal.objects.select_related("application__applicant", "application__unit", "handler")
    if not getattr(user, "is_authenticated", False) or user.role not in (Role.CITY_REVIEWER, Role.TENANT_ADMIN):
        return qs.none()
    if user.tenant_id is None:
        return qs.none()
    return qs.filter(
        handler__tenant_id=user.tenant_id, status=Appeal.Status.PENDING, due_on__lt=_local_day(at)
    ).order_by("due_on", "id")


def is_handler(user: User) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in (
        Role.TENANT_ADMIN, Role.CITY_REVIEWER, Role.DEPARTMENT_REVIEWER
    )


def get_appeal_for_handler(user: User, application_pk: int) -> Appeal:
    """The latest appeal of an application that the user re-examines, else 404."""
    appeal = appeals_for_handler(user).filter(application_id=application_pk).order_by("-lodged_at", "-id").first()
    if appeal is None:
        raise Http404
    return appeal


def get_application_for_appellant(user: User, pk: int) -> Application:
    from applications.selectors import applications_for_user

    if not getattr(user, "is_authenticated", False):
        raise Http404
    if user.role == Role.APPLICANT:
        scope = Q(applicant_id=user.pk)
    elif user.role in UNIT_ROLES:
        scope = Q(unit_id=user.organisation_id)
    else:
        raise Http404
    return get_object_or_404(applications_for_user(user).filter(scope), pk=pk)


def notes(application: Application) -> list[tuple[datetime, str]]:
    """Timeline lines: every appeal lodged and re-examined."""
    lines: list[tuple[datetime, str]] = []
    for appeal in Appeal.objects.filter(application=application).select_related("handler").order_by("lodged_at", "id"):
        who = _("申报人") if appeal.lodged_by_role == Role.APPLICANT else _("用人单位")
        handler = appeal.handler.name
        lines.append(
            (
                appeal.lodged_at,
                _("%(who)s提出申诉，由%(handler)s复查，复查期限至%(due)s。")
                % {"who": who, "handler": handler, "due": plain_date(appeal.due_on)},
            )
        )
        if appeal.decided_at:
            outcome = _("撤销原决定，重新审核") if appeal.status == Appeal.Status.REVOKED else _("维持原决定")
            late = (
                _("（逾期作出：超过复查期限%(days)s天）") % {"days": days_overdue(appeal)} if is_overdue(appeal) else ""
            )
            text = _("%(handler)s复查结论%(late)s：%(outcome)s。复查意见：%(finding)s") % {
                "handler": handler, "late": late, "outcome": outcome, "finding": appeal.finding,
            }
            lines.append((appeal.decided_at, text))
        elif is_overdue(appeal):
            lines.append(
                (
                    # The moment the term ran out: the start of the day after its last day.
                    timezone.make_aware(datetime.combine(appeal.due_on + timedelta(days=1), datetime.min.time())),
                    _("复查期限（%(due)s）已过，%(handler)s尚未作出复查结论，已提示市人社部门督办。")
                    % {"due": plain_date(appeal.due_on), "handler": handler},
                )
            )
    return lines
