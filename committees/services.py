"""Every state change of committees: pool, plan filing, draw, votes, close, report.

Sources: 001_272b0a6ee81b04e4.txt 五(三) (pool under dynamic management), 五(四) (plan ≥5 working days
before the meeting, no meeting across years, results and minutes within 5 working days, published);
the national rule that a meeting needs at least two thirds of its experts present and a title passes
with the agreement of at least two thirds of the experts present (人社部令第40号《职称评审管理暂行
规定》第二十四条, restated by 002_743bb57fc6424707.txt and 004 for their committees).
"""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from applications.models import Application
from committees import permissions, selectors
from committees.models import AgendaItem, Committee, Expert, Meeting, MeetingExpert, Vote
from core.audit import audit
from core.outbox import enqueue
from review.chain import Action
from review.models import ReviewStep
from rules.windows import CST
from rules.workdays import CalendarUnknownError, add_working_days
from units.services import Errors

PLAN_LEAD_WORKING_DAYS = 5
REPORT_WORKING_DAYS = 5
PUBLICITY_WORKING_DAYS = 5
DISCUSSION_MAX = 4000
MIN_EXPERTS = 3
MAX_EXPERTS = 50


def _local(value: datetime) -> datetime:
    return value.astimezone(CST)


def first_allowed_meeting_date(filed_on: date) -> date:
    """The earliest meeting day for a plan filed on ``filed_on``: five whole working days must lie
    between filing and meeting (001 五(四) 于拟召开评审会议前至少5个工作日报备)."""
    return add_working_days(filed_on + timedelta(days=1), PLAN_LEAD_WORKING_DAYS) + timedelta(days=1)


def quorum(drawn: int) -> int:
    """Experts who must be present: at least two thirds of those drawn (rounded up)."""
    return -(-2 * drawn // 3)


def passes(agree: int, present: int) -> bool:
    """At least two thirds of the experts present agree."""
    return present > 0 and 3 * agree >= 2 * present


# --- Committees and the pool ---------------------------------------------------------------------


def committee_create(
    *, actor: User, name: str, series: list[str], levels: list[str], host=None, self_review_unit=None,
    filing_number: str = "", request=None,
) -> Committee:
    if not permissions.is_secretary(actor):
        raise PermissionDenied
    from applications.models import LEVEL_CHOICES, SERIES_CHOICES

    errors = Errors()
    name = (name or "").strip()
    if not name or len(name) > 120:
        errors.add("name", "请填写评委会名称（不超过120字）。")
    known_series, known_levels = dict(SERIES_CHOICES), dict(LEVEL_CHOICES)
    if not series or any(code not in known_series for code in series):
        errors.add("series", "请至少选择一个评审系列。")
    if not levels or any(code not in known_levels for code in levels):
        errors.add("levels", "请至少选择一个评审级别。")
    for org, field in ((host, "host"), (self_review_unit, "self_review_unit")):
        if org is not None and org.tenant_id != actor.tenant_id:
            errors.add(field, "所选机构不属于本市。")
    errors.raise_if_any()
    with transaction.atomic():
        committee = Committee.objects.create(
            tenant_id=actor.tenant_id, name=name, series=list(series), levels=list(levels), host=host,
            self_review_unit=self_review_unit, filing_number=filing_number.strip()[:60],
        )
        audit(action="committee_created", actor=actor, target=committee, request=request)
    return committee


def expert_enrol(
    *, actor: User, committee: Committee, user: User, series: str, specialty: str, title_name: str,
    unit_name: str, birth_date: date, is_external: bool = False, unit=None, request=None,
) -> Expert:
    """Put an expert account into a committee's pool (creating its profile on first enrolment)."""
    if not permissions.can_manage(actor, committee):
        raise PermissionDenied
    errors = Errors()
    if user.role != Role.EXPERT or user.tenant_id != actor.tenant_id:
        errors.add("user", "只能将本市的评审专家账号加入专家库。")
    if series not in committee.series:
        errors.add("series", "专家的专业须属于本评委会的评审系列。")
    for field, value, limit in (("specialty", specialty, 60), ("title_name", title_name, 60),
                                ("unit_name", unit_name, 120)):
        if not (value or "").strip() or len(value) > limit:
            errors.add(field, f"请填写该项（不超过{limit}字）。")
    if birth_date is None or birth_date.year < 1930:
        errors.add("birth_date", "请填写正确的出生日期。")
    errors.raise_if_any()
    with transaction.atomic():
        expert, _ = Expert.objects.update_or_create(
            user=user,
            defaults={
                "tenant_id": actor.tenant_id, "series": series, "specialty": specialty.strip(),
                "title_name": title_name.strip(), "unit": unit, "unit_name": unit_name.strip(),
                "birth_date": birth_date, "is_external": is_external,
            },
        )
        expert.committees.add(committee)
        audit(action="expert_enrolled", actor=actor, target=expert, request=request, committee=committee.pk)
    return expert


def expert_set_status(*, actor: User, expert: Expert, status: str, reason: str = "", request=None) -> Expert:
    """Dynamic management (001 五(三)): move an expert out of (or back into) the selectable pool."""
    if not permissions.is_secretary(actor) or expert.tenant_id != actor.tenant_id:
        raise PermissionDenied
    errors = Errors()
    if status not in Expert.Status.values:
        errors.add("status", "无效的专家状态。")
    reason = (reason or "").strip()
    if status != Expert.Status.ACTIVE and not reason:
        errors.add("reason", "调整出库须写明原因。")
    if len(reason) > 200:
        errors.add("reason", "原因不能超过200字。")
    errors.raise_if_any()
    with transaction.atomic():
        expert.status, expert.status_reason = status, reason
        expert.save(update_fields=["status", "status_reason", "updated_at"])
        audit(action="expert_status_changed", actor=actor, target=expert, request=request, status=status)
    return expert


# --- Meetings ------------------------------------------------------------------------------------


def meeting_plan_file(
    *, actor: User, committee: Committee, title: str, starts_at: datetime, ends_at: datetime,
    expert_count: int, application_ids: list[int], location: str = "", at: datetime | None = None, request=None,
) -> Meeting:
    """The secretary files the review plan (评审工作方案) with its agenda."""
    if not permissions.can_manage(actor, committee):
        raise PermissionDenied
    at = at or timezone.now()
    errors = Errors()
    title = (title or "").strip()
    if not title or len(title) > 120:
        errors.add("title", "请填写会议名称（不超过120字）。")
    if starts_at is None or ends_at is None:
        errors.add("starts_at", "请填写会议开始和结束时间。")
    else:
        if ends_at <= starts_at:
            errors.add("ends_at", "会议结束时间须晚于开始时间。")
        if _local(starts_at).year != _local(ends_at).year:
            errors.add("ends_at", "评审会议不得跨年度（须在同一年内开始和结束）。")
        filed_on = _local(at).date()
        try:
            earliest = first_allowed_meeting_date(filed_on)
        except CalendarUnknownError as error:
            errors.add("starts_at", str(error))
        else:
            if _local(starts_at).date() < earliest:
                errors.add(
                    "starts_at",
                    f"评审工作方案须在会议召开前至少{PLAN_LEAD_WORKING_DAYS}个工作日报备；"
                    f"今天报备，会议最早可安排在{earliest:%Y年%-m月%-d日}。",
                )
    if not isinstance(expert_count, int) or not MIN_EXPERTS <= expert_count <= MAX_EXPERTS:
        errors.add("expert_count", f"抽取专家人数须在{MIN_EXPERTS}至{MAX_EXPERTS}人之间。")
    candidates = {a.pk: a for a in selectors.agenda_candidates(committee)}
    ids = list(dict.fromkeys(int(pk) for pk in application_ids or []))
    if not ids:
        errors.add("applications", "请至少选择一份待评审的申报。")
    elif any(pk not in candidates for pk in ids):
        errors.add("applications", "所选申报不在本评委会待评审范围内，或已列入其他会议。")
    errors.raise_if_any()
    with transaction.atomic():
        meeting = Meeting.objects.create(
            tenant_id=committee.tenant_id, committee=committee, title=title, location=(location or "").strip()[:120],
            starts_at=starts_at, ends_at=ends_at, expert_count=expert_count, plan_filed_at=at, plan_filed_by=actor,
        )
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    meeting=meeting, application_id=pk, order=index,
                    submission=candidates[pk].submissions.order_by("-revision").first(),
                )
                for index, pk in enumerate(ids, start=1)
            ]
        )
        audit(action="committee_plan_filed", actor=actor, target=meeting, request=request, items=len(ids))
    return meeting


def conflicts(meeting: Meeting) -> dict[int, str]:
    """Expert id → why they may not sit on this meeting (回避): same unit as an applicant on the agenda,
    or they decided an agenda application at an earlier level of its chain."""
    items = list(meeting.items.select_related("application__unit"))
    units = {item.application.unit_id for item in items}
    deciders = set(
        ReviewStep.objects.filter(application_id__in=[i.application_id for i in items], decided_by__isnull=False)
        .values_list("decided_by_id", flat=True)
    )
    found: dict[int, str] = {}
    for expert in Expert.objects.filter(tenant_id=meeting.tenant_id):
        if expert.unit_id is not None and expert.unit_id in units:
            found[expert.pk] = "与申报人同一单位"
        elif expert.user_id in deciders:
            found[expert.pk] = "曾在审核链中审核该申报"
    return found


def meeting_draw_experts(
    *, actor: User, meeting: Meeting, seed: str | None = None, at: datetime | None = None, request=None
) -> list[MeetingExpert]:
    """Draw the meeting's experts at random from the eligible pool, conflicts excluded; the seed,
    the pool and each exclusion are recorded so the draw can be re-run and checked."""
    if not permissions.can_manage(actor, meeting.committee):
        raise PermissionDenied
    at = at or timezone.now()
    seed = (seed or "").strip() or secrets.token_hex(8)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != Meeting.Status.PLANNED:
            raise ValidationError({"__all__": ["本次会议已抽取专家，不能重复抽取。"]})
        pool = selectors.eligible_experts(locked.committee, _local(locked.starts_at).date())
        excluded = conflicts(locked)
        candidates = [e for e in pool if e.pk not in excluded]
        if len(candidates) < locked.expert_count:
            raise ValidationError(
                {"expert_count": [
                    f"可抽取的专家只有{len(candidates)}人（已排除回避人员），不足{locked.expert_count}人。"
                ]}
            )
        chosen = random.Random(seed).sample(candidates, locked.expert_count)
        rows = MeetingExpert.objects.bulk_create(
            [MeetingExpert(meeting=locked, expert=e, draw_order=i) for i, e in enumerate(chosen, start=1)]
        )
        locked.status = Meeting.Status.DRAWN
        locked.draw_seed = seed
        locked.drawn_at = at
        locked.draw_record = {
            "seed": seed,
            "pool": [e.pk for e in pool],
            "excluded": {str(pk): reason for pk, reason in excluded.items() if any(e.pk == pk for e in pool)},
            "chosen": [e.pk for e in chosen],
        }
        locked.save(update_fields=["status", "draw_seed", "drawn_at", "draw_record"])
        audit(action="committee_experts_drawn", actor=actor, target=locked, request=request, seed=seed,
              chosen=len(chosen))
    meeting.refresh_from_db()
    return rows


def attendance_set(*, actor: User, meeting: Meeting, absent_expert_ids: list[int], request=None) -> None:
    if not permissions.can_manage(actor, meeting.committee):
        raise PermissionDenied
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != Meeting.Status.DRAWN:
            raise ValidationError({"__all__": ["只能在表决期间登记出席情况。"]})
        absent = {int(pk) for pk in absent_expert_ids}
        for row in locked.assignments.all():
            present = row.expert_id not in absent
            if row.present != present:
                row.present = present
                row.save(update_fields=["present"])
        audit(action="committee_attendance_set", actor=actor, target=locked, request=request, absent=len(absent))


def vote_cast(*, actor: User, item: AgendaItem, choice: str, at: datetime | None = None, request=None) -> Vote:
    """An expert's vote on one agenda item, changeable until the meeting closes."""
    at = at or timezone.now()
    if choice not in Vote.Choice.values:
        raise ValidationError({"choice": ["请选择同意、不同意或弃权。"]})
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
        assignment = (
            MeetingExpert.objects.select_related("expert")
            .filter(meeting=meeting, expert__user=actor, expert__tenant_id=actor.tenant_id)
            .first()
        )
        if assignment is None or actor.role != Role.EXPERT:
            raise PermissionDenied
        if meeting.status != Meeting.Status.DRAWN:
            raise ValidationError({"__all__": ["会议已结束，表决结果不可更改。"]
                                   if meeting.status != Meeting.Status.PLANNED else ["会议尚未开始表决。"]})
        if not assignment.present:
            raise ValidationError({"__all__": ["您已登记为缺席，不能参加本次表决。"]})
        application = Application.objects.get(pk=item.application_id)
        expert = assignment.expert
        if expert.unit_id is not None and expert.unit_id == application.unit_id:
            raise ValidationError({"__all__": ["您与该申报人同一单位，须回避，不能对其表决。"]})
        vote, _ = Vote.objects.update_or_create(item=item, expert=expert, defaults={"choice": choice, "cast_at": at})
        # The audit row records that a vote was cast, never its content: votes are secret.
        audit(action="committee_vote_cast", actor=actor, target=item, request=request)
    return vote


def meeting_close(
    *, actor: User, meeting: Meeting, discussion: str = "", at: datetime | None = None, request=None
) -> Meeting:
    """Close the meeting: count the votes, decide each application's committee step through
    ``review_decide`` (approve = passed, reject = failed, the tally as opinion) and queue the minutes."""
    from review.services import review_decide

    if not permissions.can_manage(actor, meeting.committee):
        raise PermissionDenied
    at = at or timezone.now()
    discussion = (discussion or "").strip()
    if len(discussion) > DISCUSSION_MAX:
        raise ValidationError({"discussion": [f"讨论意见不能超过{DISCUSSION_MAX}字。"]})
    with transaction.atomic():
        locked = Meeting.objects.select_for_update(of=("self",)).select_related("committee").get(pk=meeting.pk)
        if locked.status != Meeting.Status.DRAWN:
            raise ValidationError({"__all__": ["只有正在表决的会议才能结束。"]})
        drawn = locked.assignments.count()
        present_ids = set(locked.assignments.filter(present=True).values_list("expert_id", flat=True))
        if len(present_ids) < quorum(drawn):
            raise ValidationError(
                {"__all__": [f"出席专家{len(present_ids)}人，不足抽取人数{drawn}人的三分之二（{quorum(drawn)}人），"
                             "不能形成有效表决。"]}
            )
        items = list(locked.items.select_related("application").order_by("order"))
        for item in items:
            votes = [v for v in item.votes.all() if v.expert_id in present_ids]
            item.present = len(present_ids)
            item.agree = sum(1 for v in votes if v.choice == Vote.Choice.AGREE)
            item.disagree = sum(1 for v in votes if v.choice == Vote.Choice.DISAGREE)
            item.abstain = item.present - item.agree - item.disagree
            item.outcome = AgendaItem.Outcome.PASSED if passes(item.agree, item.present) else AgendaItem.Outcome.FAILED
            item.save(update_fields=["present", "agree", "disagree", "abstain", "outcome"])
            passed = item.outcome == AgendaItem.Outcome.PASSED
            review_decide(
                actor=actor,
                application=item.application,
                action=Action.APPROVE if passed else Action.REJECT,
                opinion=f"{locked.committee.name}评审{'通过' if passed else '未通过'}：{item.tally}。",
                request=request,
                at=at,
                via_committee=True,
            )
        locked.status = Meeting.Status.CLOSED
        locked.closed_at = at
        locked.discussion = discussion
        try:
            locked.report_due_on = add_working_days(_local(at).date() + timedelta(days=1), REPORT_WORKING_DAYS)
        except CalendarUnknownError:
            locked.report_due_on = None
        locked.save(update_fields=["status", "closed_at", "discussion", "report_due_on"])
        audit(action="committee_meeting_closed", actor=actor, target=locked, request=request, items=len(items))
        meeting_id = locked.pk
        enqueue("committees.tasks.render_minutes", meeting_id)
    meeting.refresh_from_db()
    return meeting


def meeting_report(*, actor: User, meeting: Meeting, at: datetime | None = None, request=None) -> Meeting:
    """Report the results to the bureau and publish them (001 五(四): within 5 working days)."""
    if not permissions.can_manage(actor, meeting.committee):
        raise PermissionDenied
    at = at or timezone.now()
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == Meeting.Status.REPORTED:
            return locked
        if locked.status != Meeting.Status.CLOSED:
            raise ValidationError({"__all__": ["会议结束后才能报送评审结果。"]})
        locked.status = Meeting.Status.REPORTED
        locked.reported_at = at
        try:
            locked.publicity_ends_on = add_working_days(_local(at).date() + timedelta(days=1), PUBLICITY_WORKING_DAYS)
        except CalendarUnknownError:
            locked.publicity_ends_on = None
        locked.save(update_fields=["status", "reported_at", "publicity_ends_on"])
        late = locked.report_due_on is not None and _local(at).date() > locked.report_due_on
        audit(action="committee_results_reported", actor=actor, target=locked, request=request, late=late)
    meeting.refresh_from_db()
    return meeting


def minutes_render(*, meeting_id: int) -> Meeting:
    """Render the minutes PDF of a closed meeting; a second run keeps the first file."""
    from django.core.files.base import ContentFile
    from django.template.loader import render_to_string

    from certificates.rendering import font_face_css, render_pdf

    meeting = Meeting.objects.select_related("committee", "tenant").get(pk=meeting_id)
    if meeting.status not in (Meeting.Status.CLOSED, Meeting.Status.REPORTED) or meeting.minutes_pdf:
        return meeting
    html = render_to_string("committees/minutes_pdf.html", {**minutes_context(meeting), "font_css": font_face_css()})
    pdf = render_pdf(html)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting_id)
        if not locked.minutes_pdf:
            locked.minutes_pdf.save(f"minutes-{meeting_id}.pdf", ContentFile(pdf.content), save=False)
            locked.minutes_sha256 = pdf.sha256
            locked.save(update_fields=["minutes_pdf", "minutes_sha256"])
    return locked


def minutes_context(meeting: Meeting) -> dict:
    """Time, members, agenda, tallies and discussion (001 五(四) 会议纪要)."""
    return {
        "meeting": meeting,
        "members": list(meeting.assignments.select_related("expert__user").order_by("draw_order")),
        "items": list(meeting.items.select_related("application__applicant", "application__unit").order_by("order")),
    }
