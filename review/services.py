"""Every state change of the review chain.

``chain_start`` lays out the chain of a submitted revision (called on ``application_submitted``);
``review_decide`` is the one generic transition: lock the application, check the active step,
the edge and the actor, save, record the transition, audit, notify on commit. Reviewers never
change what the applicant filed: only the application's status moves.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from applications import materials
from applications.models import Application, Submission
from core.audit import audit
from core.dates import local_datetime
from core.outbox import enqueue
from review.chain import DEFINITIONS, Action, Level, PlannedStep, chain_of, may_act, plan_chain
from review.models import ReturnProblem, ReviewStep, ReviewTransition
from rules.catalog import UnknownRuleSetError
from rules.windows import CST, UnknownTenantError, window_status
from units.models import FilingRestriction
from units.services import Errors

logger = logging.getLogger(__name__)

OPINION_MAX = 2000
PROBLEM_MAX = 500

# The parts of an application a return may point at, besides its upload slots (stored in Chinese as
# ReturnProblem.target_label; the return form shows them translated).
RETURN_FIELDS: dict[str, str] = {
    "series": gettext_noop("职称系列"),
    "specialty": gettext_noop("专业"),
    "level": gettext_noop("申报级别"),
    "exceptional_promotion": gettext_noop("破格申报"),
    "self_statement": gettext_noop("本人述职"),
    "main_achievements": gettext_noop("主要工作业绩"),
    "achievements": gettext_noop("选用业绩"),
    "record.basics": gettext_noop("个人基本信息"),
    "record.education": gettext_noop("学历"),
    "record.work": gettext_noop("工作经历"),
    "record.titles": gettext_noop("已取得职称"),
    "record.assessments": gettext_noop("年度考核"),
    "record.continuing_education": gettext_noop("继续教育学时"),
    "record.skills": gettext_noop("技能等级"),
    "pledge": gettext_noop("诚信承诺书"),
}


@dataclass(frozen=True)
class Problem:
    """What a reviewer says must change: ``target`` is ``field:<name>`` or ``slot:<id>``."""

    target: str
    message: str


def return_targets(application: Application, submission: Submission | None = None) -> list[tuple[str, str]]:
    """(key, label) of every field and attachment slot a return may name, in form order."""
    targets = [(f"field:{name}", label) for name, label in RETURN_FIELDS.items()]
    slots: dict[str, str] = {}
    try:
        for slot in materials.checklist(application)[0]:
            slots[slot.id] = slot.name
    except UnknownRuleSetError:
        pass
    if submission is not None:
        for item in submission.snapshot.get("files", []):
            slots.setdefault(item["slot"], item["slot"])
    targets += [(f"slot:{slot_id}", f"材料：{name}") for slot_id, name in slots.items()]
    return targets


def _planned(step: ReviewStep) -> PlannedStep:
    definition = DEFINITIONS[Level(step.level)]
    return PlannedStep(
        order=step.order,
        level=Level(step.level),
        organisation=step.organisation,
        roles=definition.roles,
        actions=definition.actions,
    )


def deadline_passed(step: ReviewStep, at: datetime) -> bool:
    """Whether the level's own deadline (declared in the tenant's chain) has passed at ``at``.
    Inclusive to the second: a decision at 17:00:00 is in time, one at 17:00:01 is not."""
    return bool(step.deadline_enforced and step.deadline and at.replace(microsecond=0) > step.deadline)


def deadline_message(step: ReviewStep, tenant) -> str:
    """Why a level can no longer decide, and whom to contact; the file stays readable."""
    return _(
        "本级审核已于%(when)s截止，不能再通过、退回或不通过，申报材料仍可查看。"
        "如有特殊情况，请联系%(authority)s。"
    ) % {"when": local_datetime(step.deadline), "authority": tenant.authority_name or tenant.name}


def can_decide(user: User, step: ReviewStep, action: str) -> bool:
    return step.status == ReviewStep.Status.ACTIVE and may_act(user=user, step=_planned(step), action=action)


def _window(tenant_code: str, at: datetime) -> dict[str, Any]:
    try:
        return window_status(tenant_code, at)
    except UnknownTenantError:
        # A tenant without declaration windows sets no deadlines.
        return {"returns_open": True, "review_open": True, "window": None}


def _review_deadline(window: dict[str, Any]) -> datetime | None:
    value = window.get("review_closes_at") or window.get("return_closes_at") or window.get("submit_closes_at")
    return datetime.fromisoformat(value) if value else None


def _level_deadline(window: dict[str, Any], key: str | None, revision: int) -> datetime | None:
    """The window instant the chain names for a level; a resubmission (after a return) may reach a
    level whose deadline was the submission close, so it has until the return deadline."""
    if not key:
        return None
    value = window.get(key)
    if value is None:
        return None
    deadline = datetime.fromisoformat(value)
    if key == "submit_closes_at" and revision > 1 and window.get("return_closes_at"):
        deadline = max(deadline, datetime.fromisoformat(window["return_closes_at"]))
    return deadline


def _chain_for(application: Application, submission: Submission) -> tuple[list[dict], int | None]:
    """The chain this revision is laid out with: an earlier revision's (an application keeps the
    chain it was first laid out with), else the tenant's current one."""
    from units.models import TenantVersion

    tenant = application.tenant
    earlier = (
        ReviewStep.objects.filter(application=application, revision__lt=submission.revision)
        .order_by("revision")
        .values_list("chain_version", flat=True)
        .first()
    )
    if earlier is not None and earlier != tenant.version:
        versions = TenantVersion.objects.filter(tenant=tenant, number=earlier)
        document = versions.values_list("document", flat=True).first()
        if document is not None:
            return list(document.get("chain") or chain_of(None)), earlier
    return chain_of(tenant), (tenant.version or None)


def chain_start(*, application: Application, submission: Submission) -> list[ReviewStep]:
    """Lay out the chain for a newly submitted revision and hand it to its first level.

    Runs inside the submitting transaction; a second call for the same revision changes nothing.
    """
    existing = list(ReviewStep.objects.filter(submission=submission).order_by("order"))
    if existing:
        return existing
    at = submission.submitted_at
    window = _window(application.tenant.code, at).get("window") or {}
    informative = _review_deadline(window)
    chain, chain_version = _chain_for(application, submission)
    planned = plan_chain(unit=application.unit, evaluation_method=application.evaluation_method, chain=chain)
    steps = []
    for index, item in enumerate(planned):
        binding = _level_deadline(window, item.deadline, submission.revision)
        steps.append(
            ReviewStep(
                application=application,
                submission=submission,
                revision=submission.revision,
                order=item.order,
                level=item.level,
                organisation=item.organisation,
                status=ReviewStep.Status.ACTIVE if index == 0 else ReviewStep.Status.WAITING,
                active_since=at if index == 0 else None,
                deadline=binding or informative,
                deadline_enforced=binding is not None,
                chain_version=chain_version,
            )
        )
    steps = ReviewStep.objects.bulk_create(steps)
    first = ReviewStep.objects.get(submission=submission, order=1)
    ReviewTransition.objects.create(
        application=application,
        step=first,
        revision=submission.revision,
        kind=ReviewTransition.Kind.START,
        from_status=Application.Status.DRAFT if submission.revision == 1 else Application.Status.RETURNED,
        to_status=Application.Status.SUBMITTED,
        actor=submission.submitted_by,
        actor_role=submission.submitted_by.role,
        created_at=at,
    )
    return steps


def _year_bounds(at: datetime) -> tuple[datetime, datetime]:
    local = at.astimezone(CST)
    start = datetime.combine(local.date().replace(month=1, day=1), time.min, tzinfo=CST)
    return start, start.replace(year=start.year + 1)


def returns_in_year(applicant: User, at: datetime) -> int:
    """How many times the applicant's filings were returned in the calendar year of ``at``."""
    start, end = _year_bounds(at)
    return ReviewTransition.objects.filter(
        application__applicant=applicant,
        kind=ReviewTransition.Kind.RETURN,
        created_at__gte=start,
        created_at__lt=end,
    ).count()


def filing_closed(applicant: User, at: datetime) -> bool:
    """Whether the tenant no longer accepts this applicant's filings this year (003 三: after
    3 rounds of review opinions with problems still open, 本年度不再受理)."""
    start, end = _year_bounds(at)
    return ReviewTransition.objects.filter(
        application__applicant=applicant, closes_filing=True, created_at__gte=start, created_at__lt=end
    ).exists()


def _clean_problems(application: Application, problems: Iterable[Problem | dict], errors: Errors) -> list[Problem]:
    labels = dict(return_targets(application, application.submissions.order_by("-revision").first()))
    cleaned: list[Problem] = []
    for index, raw in enumerate(problems):
        item = raw if isinstance(raw, Problem) else Problem(str(raw.get("target", "")), str(raw.get("message", "")))
        target, message = item.target.strip(), item.message.strip()
        if not target and not message:
            continue
        if target not in labels:
            errors.add(f"problems.{index}.target", _("请选择问题所在的填报项或材料。"))
        if not message:
            errors.add(f"problems.{index}.message", _("请写明需要修改的内容。"))
        elif len(message) > PROBLEM_MAX:
            errors.add(f"problems.{index}.message", _("问题说明不能超过%(max)d字。") % {"max": PROBLEM_MAX})
        cleaned.append(Problem(target, message))
    if not cleaned:
        errors.add("problems", _("退回修改时须逐项列明全部问题（一次告知）。"))
    return cleaned


def _replay(application: Application, actor: User, action: str) -> ReviewTransition | None:
    """The decision this actor's level already took with the same action on the current
    revision: a double click, a second tab or a colleague got there first."""
    last = (
        ReviewTransition.objects.select_related("step__organisation")
        .filter(application=application, kind=action)
        .order_by("-revision", "-created_at", "-id")
        .first()
    )
    current = application.submissions.order_by("-revision").values_list("revision", flat=True).first()
    if last is None or last.revision != current:
        return None
    if may_act(user=actor, step=_planned(last.step), action=action):
        return last
    return None


def _notify(transition_id: int) -> None:
    """Tell the applicant and the next level (notifications app, a Celery task taking the id)."""
    logger.info("review transition %s committed", transition_id)
    enqueue("notifications.tasks.notify_review_transition", transition_id)


def _entrusted_decides(actor: User, application: Application, step: ReviewStep) -> bool:
    """Entrusted review (001 四): the bureau that issued the 委托评审函 records the entrusted
    committee's result at the committee step (review/entrusted.py)."""
    from review.entrusted import may_decide_committee_step

    return may_decide_committee_step(actor=actor, application=application, step=step)


def review_decide(
    *,
    actor: User,
    application: Application,
    action: str,
    opinion: str = "",
    problems: Iterable[Problem | dict] = (),
    request=None,
    at: datetime | None = None,
    via_committee: bool = False,
) -> ReviewTransition:
    """Approve, return (listing every problem at once) or reject at the application's active step.

    The committee level is decided only by ``committees.services.meeting_close`` (``via_committee``).

    Idempotent: a repeated decision by the same level returns the transition already recorded.
    """
    at = at or timezone.now()
    opinion = (opinion or "").strip()
    errors = Errors()
    if action not in Action.values:
        raise ValidationError({"action": [_("无效的审核决定。")]})
    if len(opinion) > OPINION_MAX:
        errors.add("opinion", _("审核意见不能超过%(max)d字。") % {"max": OPINION_MAX})
    cleaned: list[Problem] = []
    if action == Action.RETURN:
        cleaned = _clean_problems(application, problems, errors)
    if action == Action.REJECT and not opinion:
        errors.add("opinion", _("不通过时须写明理由。"))
    errors.raise_if_any()

    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("tenant", "applicant").get(pk=application.pk)
        )
        step = (
            ReviewStep.objects.select_related("organisation")
            .filter(application=locked, status=ReviewStep.Status.ACTIVE)
            .order_by("-revision", "order")
            .first()
        )
        if step is None or not (
            may_act(user=actor, step=_planned(step), action=action)
            or (via_committee and _entrusted_decides(actor, locked, step))
        ):
            replay = _replay(locked, actor, action)
            if replay is not None:
                return replay
            own_step_done = ReviewStep.objects.filter(
                application=locked,
                revision=step.revision if step else -1,
                status=ReviewStep.Status.APPROVED,
                organisation_id=actor.organisation_id,
            ).exists()
            if own_step_done:
                raise ValidationError({"__all__": [_("本级已审核通过并报送上级，不能再退回或更改审核结果。")]})
            if step is None:
                message = _("申报当前状态为“%(status)s”，没有待审核的环节。") % {"status": locked.get_status_display()}
                raise ValidationError({"__all__": [message]})
            raise PermissionDenied
        if (step.level == Level.COMMITTEE) != via_committee:
            raise ValidationError({"__all__": [_("评审委员会的表决在评委会流程中办理。")]})
        if deadline_passed(step, at):
            raise ValidationError({"__all__": [deadline_message(step, locked.tenant)]})
        if action != Action.REJECT:
            # The unit filed no 推荐人员名单 by the window's cut-off: no online review (003 三(一)3).
            from applications.selectors import roster_exclusion

            excluded = roster_exclusion(locked, at)
            if excluded:
                raise ValidationError({"__all__": [excluded + _("只能作出不通过的决定。")]})
        if action == Action.APPROVE and step.level == Level.UNIT:
            from review.bureau import suspension_message, unit_suspension

            suspended = unit_suspension(locked.unit_id, at.astimezone(CST).date())
            if suspended is not None:
                raise ValidationError({"__all__": [suspension_message(suspended)]})
            materials.unit_approval_blocker(locked)  # the unit's own materials first (000 八(二))
        if action == Action.RETURN and not _window(locked.tenant.code, at)["returns_open"]:
            raise ValidationError({"__all__": [_("已过退回修改截止时间，不能再退回；请作出通过或不通过的决定。")]})
        if step.level == Level.UNIT and action == Action.APPROVE:
            # The unit's own procedure and the dispatch company's approval (review/procedure.py).
            from review.procedure import unit_approval_blocker

            blocker = unit_approval_blocker(locked, at)
            if blocker:
                raise ValidationError({"__all__": [blocker]})

        from_status = locked.status
        closes = False
        step.decided_by = actor
        step.decided_at = at
        step.opinion = opinion
        if action == Action.APPROVE:
            step.status = ReviewStep.Status.APPROVED
            following = (
                ReviewStep.objects.filter(submission_id=step.submission_id, order__gt=step.order)
                .order_by("order")
                .first()
            )
            if following is not None:
                following.status = ReviewStep.Status.ACTIVE
                following.active_since = at
                following.save(update_fields=["status", "active_since"])
                locked.status = Application.Status.IN_REVIEW
            else:
                locked.status = Application.Status.APPROVED
        elif action == Action.RETURN:
            step.status = ReviewStep.Status.RETURNED
            limit = locked.tenant.max_returns_per_year
            closes = limit is not None and returns_in_year(locked.applicant, at) + 1 >= limit
            locked.status = Application.Status.REJECTED if closes else Application.Status.RETURNED
        else:
            step.status = ReviewStep.Status.REJECTED
            locked.status = Application.Status.REJECTED
        step.save(update_fields=["status", "decided_by", "decided_at", "opinion"])
        locked.save(update_fields=["status", "updated_at"])
        transition = ReviewTransition.objects.create(
            application=locked,
            step=step,
            revision=step.revision,
            kind=action,
            from_status=from_status,
            to_status=locked.status,
            closes_filing=closes,
            actor=actor,
            actor_role=actor.role,
            opinion=opinion,
            created_at=at,
        )
        if cleaned:
            labels = dict(return_targets(locked))
            labels.update(dict(return_targets(locked, step.submission)))
            ReturnProblem.objects.bulk_create(
                [
                    ReturnProblem(
                        application=locked,
                        step=step,
                        transition=transition,
                        revision=step.revision,
                        target_kind=problem.target.split(":", 1)[0],
                        target=problem.target.split(":", 1)[1],
                        target_label=labels[problem.target][:120],
                        message=problem.message,
                    )
                    for problem in cleaned
                ]
            )
        audit(
            action=f"review_{action}",
            actor=actor,
            target=locked,
            request=request,
            revision=step.revision,
            level=step.level,
            problems=len(cleaned),
            closes_filing=closes,
        )
        if closes:
            FilingRestriction.objects.create(
                tenant_id=locked.tenant_id, person_id=locked.applicant_id, kind=FilingRestriction.Kind.RETURN_LIMIT,
                reason=f"本年度已被退回修改{limit}次", starts_on=at.astimezone(CST).date(),
                ends_on=date(at.astimezone(CST).year, 12, 31),
            )
        transaction.on_commit(lambda: _notify(transition.pk))
    application.refresh_from_db()
    return transition


@dataclass(frozen=True)
class BulkResult:
    approved: list[int]
    failed: dict[int, str]


def review_bulk_approve(
    *, actor: User, applications: Iterable[Application], opinion: str = "", request=None, at: datetime | None = None
) -> BulkResult:
    """Approve several applications with one opinion; each is its own transition, and one that
    cannot be approved leaves the others approved."""
    approved: list[int] = []
    failed: dict[int, str] = {}
    for application in applications:
        try:
            review_decide(
                actor=actor, application=application, action=Action.APPROVE, opinion=opinion, request=request, at=at
            )
        except ValidationError as error:
            failed[application.pk] = _("；").join(error.messages)
        except PermissionDenied:
            failed[application.pk] = _("您无权审核该申报。")
        else:
            approved.append(application.pk)
    return BulkResult(approved, failed)


def is_overdue(step: ReviewStep, at: datetime | None = None) -> bool:
    at = at or timezone.now()
    return step.status == ReviewStep.Status.ACTIVE and step.deadline is not None and step.deadline < at
