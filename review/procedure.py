"""Every state change of the unit's own recommendation procedure (单位评审推荐程序).

Sources (cited per rule below):
- 002_743bb57fc6424707.txt 第七条 (Tangshan): 申报推荐考核小组 "一般应不少于7人", 量化赋分, 综合排序,
  单位领导集体研究确定上报人选; Hebei part: 考核推荐小组 "不少于5人".
- 002 第八条 (一)(二)(三): publicity of conditions and vacant posts, candidates, scores and ranking,
  "公示时间一般为5——10天（公休日不计算在内）"; problems raised during publicity are investigated.
- 002 第九条4: "同一单位或部门的排名人数、排名次序必须一致".
- 003_c25e803c7aeb4e62.txt 二(一)2: publicity ≥ 5 working days, "公示无异议的，方可进行推荐";
  dispatched applicants need the dispatch company's and the user unit's "双公示、双审核、双盖章".
- 004_318552047dacbbf4.txt 三(三): public institutions recommend within the post-structure ratio,
  by vacant posts; green-channel applicants are outside the quota (001 二(三), units green channel).

Order (002 第七条 then 第八条): group and candidates → quantified scores → publicity (of the scores
and ranking, with the 公示表) → objections resolved → close → recommend. Recommending approves each
recommended application at the unit level through ``review.services.review_decide``.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from applications.models import LEVEL_CHOICES, Application
from core.audit import audit
from core.dates import local_date as cn_date  # messages read in the page's language
from core.outbox import enqueue
from review import procedure_selectors as sel
from review import publicity_sheet
from review.chain import Level
from review.models import (
    DispatchApproval,
    Objection,
    PostQuota,
    ProcedureCandidate,
    ProcedureScore,
    ReviewGroupMember,
    ReviewStep,
    UnitProcedure,
)
from rules import labels as rule_labels
from rules.windows import CST
from rules.workdays import CalendarUnknownError, add_working_days, is_working_day, load_overrides
from units.models import Organisation
from units.services import Errors
from units.tenant_settings import setting

logger = logging.getLogger(__name__)

PUBLICITY_MAX_DAYS = 10  # 002 第八条(二)1: 5——10天
SCORE_MAX = Decimal("100")
ANONYMOUS_NAMES = frozenset({"匿名", "无名", "无名氏", "群众", "知情人", "某某", "不具名", "anonymous"})
Status = UnitProcedure.Status


def _require(actor: User, procedure: UnitProcedure) -> None:
    if not sel.can_run_procedure(actor, procedure.unit):
        raise PermissionDenied


def _today(at: datetime | None) -> date:
    return (at or timezone.now()).astimezone(CST).date()


def _locked(procedure: UnitProcedure) -> UnitProcedure:
    return UnitProcedure.objects.select_for_update(of=("self",)).select_related("tenant", "unit").get(pk=procedure.pk)


def _in_status(procedure: UnitProcedure, *allowed: str, what: str) -> None:
    if procedure.status not in allowed:
        status = procedure.get_status_display()
        message = _("当前阶段为“%(status)s”，不能%(what)s。") % {"status": status, "what": _(what)}
        raise ValidationError({"__all__": [message]})


def _group_errors(procedure: UnitProcedure, errors: Errors) -> None:
    minimum = procedure.tenant.review_group_min_size
    count = procedure.members.count()
    if count < minimum:
        errors.add("members", _("评审推荐小组至少须有%(minimum)s人（本地规定），现有%(count)s人，请先补齐成员。")
                   % {"minimum": minimum, "count": count})


def local_steps(tenant) -> dict:
    """The tenant's own steps of the procedure (setting ``unit_procedure_steps``): whether the
    scoring rules need the 职代会's and the competent department's approval, whether hearings are
    recorded, and which documents the procedure page offers (002 第一篇 第七条(三)—(五), 第九条)."""
    return setting(tenant, "unit_procedure_steps") or {}


def rules_approval_missing(procedure: UnitProcedure) -> list[str]:
    """What of the 《量化考核实施细则》's approvals is not yet recorded, where the tenant requires
    them (002 第一篇 第七条(三): "须经单位职代会讨论通过，并连同职代会会议纪要报上级主管部门同意后，
    方可实施")."""
    if not local_steps(procedure.tenant).get("rules_approval"):
        return []
    missing = []
    if procedure.rules_congress_on is None or not procedure.rules_congress_document:
        missing.append(_("职代会讨论通过（日期、会议纪要）"))
    if procedure.rules_department_on is None or not procedure.rules_department_document:
        missing.append(_("上级主管部门同意（日期、文件）"))
    return missing


def _document_name(errors: Errors, field: str, label: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        errors.add(field, _("请填写%(label)s。") % {"label": _(label)})
    elif len(value) > 100:
        errors.add(field, _("%(label)s不能超过100字，现为%(count)s字。") % {"label": _(label), "count": len(value)})
    return value


def rules_approval_record(
    *,
    actor: User,
    procedure: UnitProcedure,
    congress_on: date | None,
    congress_document: str,
    department_on: date | None,
    department_document: str,
    request=None,
    at: datetime | None = None,
) -> UnitProcedure:
    """Record that the unit's 《量化考核实施细则》 was passed by the 职代会 and agreed by the competent
    department (002 第一篇 第七条(三)); both are needed before any score is recorded."""
    _require(actor, procedure)
    today = _today(at)
    errors = Errors()
    if congress_on is None:
        errors.add("congress_on", _("请填写职代会讨论通过日期。"))
    elif congress_on > today:
        errors.add("congress_on", _("职代会讨论通过日期不能晚于今天（%(today)s）。") % {"today": cn_date(today)})
    congress_document = _document_name(
        errors, "congress_document", gettext_noop("职代会会议纪要名称或编号"), congress_document
    )
    if department_on is None:
        errors.add("department_on", _("请填写上级主管部门同意日期。"))
    elif department_on > today:
        errors.add("department_on", _("上级主管部门同意日期不能晚于今天（%(today)s）。") % {"today": cn_date(today)})
    elif congress_on is not None and department_on < congress_on:
        errors.add(
            "department_on",
            _("细则须经职代会通过后连同会议纪要报上级主管部门同意：主管部门同意日期（%(department)s）"
              "不能早于职代会通过日期（%(congress)s）。")
            % {"department": cn_date(department_on), "congress": cn_date(congress_on)},
        )
    department_document = _document_name(errors, "department_document", gettext_noop("主管部门同意文件名称或文号"),
                                         department_document)
    errors.raise_if_any()
    with transaction.atomic():
        locked = _locked(procedure)
        _in_status(locked, Status.PREPARING, what=gettext_noop("修改量化考核实施细则的审批情况"))
        locked.rules_congress_on, locked.rules_congress_document = congress_on, congress_document
        locked.rules_department_on, locked.rules_department_document = department_on, department_document
        locked.save(update_fields=["rules_congress_on", "rules_congress_document", "rules_department_on",
                                   "rules_department_document"])
        audit(action="unit_scoring_rules_approved", actor=actor, target=locked, request=request,
              congress_on=congress_on.isoformat(), department_on=department_on.isoformat())
    procedure.refresh_from_db()
    return locked


def _place(errors: Errors, field: str, label: str, value: str, given: bool) -> str:
    value = (value or "").strip()
    if given and not value:
        errors.add(field, _("请填写%(label)s。") % {"label": _(label)})
    elif len(value) > 200:
        errors.add(field, _("%(label)s不能超过200字，现为%(count)s字。") % {"label": _(label), "count": len(value)})
    return value


def hearing_record(
    *,
    actor: User,
    procedure: UnitProcedure,
    candidate_id: int,
    report_on: date | None,
    report_place: str,
    defence_on: date | None,
    defence_notes: str,
    request=None,
    at: datetime | None = None,
) -> ProcedureCandidate:
    """A candidate's 公开述职 before the unit's professionals and 考核答辩 before its experts
    (002 第一篇 第七条(三)(四)), where the tenant records them; either may be entered first, the
    defence is not dated before the report, and neither after today."""
    _require(actor, procedure)
    if not local_steps(procedure.tenant).get("hearings"):
        raise ValidationError({"__all__": [_("本地推荐程序不记录公开述职和考核答辩。")]})
    today = _today(at)
    errors = Errors()
    if report_on is None and defence_on is None:
        errors.add("report_on", _("请填写公开述职日期或考核答辩日期。"))
    for field, label, day in (("report_on", gettext_noop("公开述职日期"), report_on),
                             ("defence_on", gettext_noop("考核答辩日期"), defence_on)):
        if day is not None and day > today:
            errors.add(field, _("%(label)s不能晚于今天（%(today)s）。") % {"label": _(label), "today": cn_date(today)})
    if report_on is not None and defence_on is not None and defence_on < report_on:
        errors.add("defence_on", _("考核答辩（%(defence)s）在公开述职之后进行，不能早于述职日期（%(report)s）。")
                   % {"defence": cn_date(defence_on), "report": cn_date(report_on)})
    report_place = _place(
        errors, "report_place", gettext_noop("述职地点及情况"), report_place, report_on is not None
    )
    defence_notes = _place(
        errors, "defence_notes", gettext_noop("答辩地点及情况"), defence_notes, defence_on is not None
    )
    errors.raise_if_any()
    with transaction.atomic():
        locked = _locked(procedure)
        _in_status(locked, Status.PREPARING, what=gettext_noop("修改公开述职和考核答辩记录"))
        candidate = locked.candidates.filter(pk=candidate_id).first()
        if candidate is None:
            raise ValidationError({"candidate": [_("请选择本轮推荐的候选人。")]})
        candidate.report_on, candidate.report_place = report_on, report_place
        candidate.defence_on, candidate.defence_notes = defence_on, defence_notes
        candidate.save(update_fields=["report_on", "report_place", "defence_on", "defence_notes"])
        audit(action="unit_candidate_hearing_recorded", actor=actor, target=locked, request=request,
              candidate=candidate.pk, report_on=report_on.isoformat() if report_on else None,
              defence_on=defence_on.isoformat() if defence_on else None)
    return candidate


# --- The procedure and its group -------------------------------------------------------------------


def procedure_create(*, actor: User, title: str, request=None) -> UnitProcedure:
    if not sel.can_run_procedure(actor):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("请填写本次推荐工作的名称，如“2026年度职称申报推荐”。")]})
    if len(title) > 100:
        raise ValidationError({"title": [_("名称不能超过100字。")]})
    unit = Organisation.objects.select_related("tenant").get(pk=actor.organisation_id)
    with transaction.atomic():
        procedure = UnitProcedure.objects.create(tenant=unit.tenant, unit=unit, title=title, created_by=actor)
        audit(action="unit_procedure_created", actor=actor, target=procedure, request=request)
    return procedure


def group_member_add(
    *, actor: User, procedure: UnitProcedure, name: str, position: str, request=None
) -> ReviewGroupMember:
    """002 第七条(二): the group is made of unit leaders, department heads and experts."""
    _require(actor, procedure)
    name, position = (name or "").strip(), (position or "").strip()
    errors = Errors()
    if not name:
        errors.add("name", _("请填写成员姓名。"))
    elif len(name) > 40:
        errors.add("name", _("姓名不能超过40字。"))
    if not position:
        errors.add("position", _("请填写成员职务（如单位领导、部门负责人、业务骨干）。"))
    elif len(position) > 60:
        errors.add("position", _("职务不能超过60字。"))
    errors.raise_if_any()
    with transaction.atomic():
        locked = _locked(procedure)
        _in_status(locked, Status.PREPARING, what=gettext_noop("调整评议组成员"))
        if locked.members.filter(name=name).exists():
            raise ValidationError({"name": [_("评议组中已有成员“%(name)s”。") % {"name": name}]})
        member = ReviewGroupMember.objects.create(procedure=locked, name=name, position=position, added_by=actor)
        audit(action="review_group_member_added", actor=actor, target=locked, request=request, member=name)
    return member


def group_member_remove(*, actor: User, procedure: UnitProcedure, member_id: int, request=None) -> None:
    _require(actor, procedure)
    with transaction.atomic():
        locked = _locked(procedure)
        _in_status(locked, Status.PREPARING, what=gettext_noop("调整评议组成员"))
        member = locked.members.filter(pk=member_id).first()
        if member is None:
            raise ValidationError({"member": [_("该成员不在本评议组中。")]})
        member.delete()
        audit(action="review_group_member_removed", actor=actor, target=locked, request=request, member=member.name)


def candidates_add(
    *, actor: User, procedure: UnitProcedure, application_ids: list[int], request=None
) -> list[ProcedureCandidate]:
    """Take up applications waiting at this unit's level."""
    _require(actor, procedure)
    if not application_ids:
        raise ValidationError({"applications": [_("请至少选择一份待本单位审核的申报。")]})
    applications = list(sel.eligible_applications(actor).filter(pk__in=application_ids))
    if len(applications) != len(set(application_ids)):
        raise ValidationError({"applications": [_("所选申报中有不在本单位待审核状态的，请刷新后重选。")]})
    with transaction.atomic():
        locked = _locked(procedure)
        _in_status(locked, Status.PREPARING, what=gettext_noop("增加推荐候选人"))
        taken = set(
            ProcedureCandidate.objects.filter(
                application__in=applications, procedure__unit=locked.unit, recommended=False, excluded=False
            )
            .exclude(procedure__status=Status.RECOMMENDED)
            .values_list("application_id", flat=True)
        )
        if taken:
            raise ValidationError({"applications": [_("所选申报已在本单位另一轮推荐中，不能重复列入。")]})
        created = ProcedureCandidate.objects.bulk_create(
            [
                ProcedureCandidate(procedure=locked, application=a, green_channel=a.applicant.green_channel)
                for a in applications
            ]
        )
        audit(action="unit_procedure_candidates_added", actor=actor, target=locked, request=request,
              applications=[a.pk for a in applications])
    return created


def scores_record(
    *, actor: User, procedure: UnitProcedure, member_id: int, scores: dict[int, str | Decimal], request=None
) -> list[ProcedureScore]:
    """One member's quantified scores (002 第七条(六) 量化赋分), 0–100 with two decimals.

    Scores are published (002 第八条(一)3), so they close when publicity starts.
    """
    _require(actor, procedure)
    errors = Errors()
    parsed: dict[int, Decimal] = {}
    for candidate_id, raw in scores.items():
        text = str(raw).strip()
        if text == "":
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            errors.add(f"score_{candidate_id}", _("得分“%(text)s”不是数字。") % {"text": text})
            continue
        if not value.is_finite() or value < 0 or value > SCORE_MAX:
            errors.add(
                f"score_{candidate_id}", _("得分须在0至%(max)s之间，现为%(text)s。") % {"max": SCORE_MAX, "text": text}
            )
        elif value != value.quantize(Decimal("0.01")):
            errors.add(f"score_{candidate_id}", _("得分最多保留两位小数。"))
        else:
            parsed[int(candidate_id)] = value
    if not parsed and not errors.by_field:
        errors.add("scores", _("请至少填写一名候选人的得分。"))
    errors.raise_if_any()
    with transaction.atomic():
        locked = _locked(procedure)
        _in_status(locked, Status.PREPARING, what=gettext_noop("修改量化赋分（得分已随公示公开）"))
        missing = rules_approval_missing(locked)
        if missing:
            raise ValidationError({"rules_approval": [
                _("本单位《量化考核实施细则》尚未录入%(missing)s：细则须经单位职代会讨论通过，"
                  "并连同职代会会议纪要报上级主管部门同意后方可实施，录入前不能量化赋分。")
                % {"missing": _("和").join(missing)}
            ]})
        member = locked.members.filter(pk=member_id).first()
        if member is None:
            raise ValidationError({"member": [_("请选择评议组成员。")]})
        candidates = {c.pk: c for c in locked.candidates.filter(pk__in=parsed)}
        if set(parsed) - set(candidates):
            raise ValidationError({"scores": [_("得分中有不属于本轮推荐的候选人。")]})
        rows = []
        for candidate_id, value in parsed.items():
            row, _created = ProcedureScore.objects.update_or_create(
                candidate_id=candidate_id, member=member, defaults={"score": value, "recorded_by": actor}
            )
            rows.append(row)
        audit(action="unit_procedure_scored", actor=actor, target=locked, request=request, member=member.name,
              candidates=sorted(parsed))
    return rows


def quota_set(*, actor: User, procedure: UnitProcedure, level: str, vacant_posts: int | str, request=None) -> PostQuota:
    """004 三(三): a public institution recommends within its vacant posts per level."""
    _require(actor, procedure)
    labels = dict(LEVEL_CHOICES)
    errors = Errors()
    if level not in labels:
        errors.add("level", _("请选择岗位级别。"))
    try:
        vacant = int(str(vacant_posts).strip())
    except ValueError:
        vacant = -1
    if vacant < 0 or vacant > 999:
        errors.add("vacant_posts", _("空余岗位数须为0至999之间的整数。"))
    errors.raise_if_any()
    with transaction.atomic():
        locked = _locked(procedure)
        if locked.unit.unit_kind != Organisation.UnitKind.PUBLIC_INSTITUTION:
            raise ValidationError({"__all__": [_("岗位结构比例只适用于事业单位。")]})
        _in_status(locked, Status.PREPARING, what=gettext_noop("修改空余岗位数（已随公示公开）"))
        quota, _created = PostQuota.objects.update_or_create(
            procedure=locked, level=level, defaults={"vacant_posts": vacant}
        )
        audit(action="unit_procedure_quota_set", actor=actor, target=locked, request=request, level=level,
              vacant_posts=vacant)
    return quota


# --- Publicity ---------------------------------------------------------------------------------------


def publicity_start(
    *,
    actor: User,
    procedure: UnitProcedure,
    starts_on: date,
    working_days: int | None = None,
    request=None,
    at: datetime | None = None,
) -> UnitProcedure:
    """Publish candidates, scores and ranking for the tenant's working days (002 第八条(二)1;
    003 二(一)2 ≥ 5 working days), weekends and holidays excluded via ``rules.workdays``."""
    _require(actor, procedure)
    tenant = procedure.tenant
    minimum = tenant.publicity_working_days
    days = minimum if working_days in (None, "") else int(working_days)
    errors = Errors()
    if days < minimum or days > PUBLICITY_MAX_DAYS:
        errors.add("working_days", _("公示时间须为%(minimum)s至%(maximum)s个工作日，现为%(days)s个。")
                   % {"minimum": minimum, "maximum": PUBLICITY_MAX_DAYS, "days": days})
    if starts_on < _today(at):
        errors.add("starts_on", _("公示开始日期不能早于今天。"))
    errors.raise_if_any()
    try:
        overrides = load_overrides(starts_on, starts_on.replace(year=starts_on.year + 1))
        if not is_working_day(starts_on, overrides=overrides):
            message = _("%(day)s不是工作日，公示须从工作日开始。") % {"day": cn_date(starts_on)}
            raise ValidationError({"starts_on": [message]})
        ends_on = add_working_days(starts_on, days, overrides=overrides)
    except CalendarUnknownError as error:
        raise ValidationError({"starts_on": [str(error)]}) from None
    with transaction.atomic():
        locked = _locked(procedure)
        _in_status(locked, Status.PREPARING, what=gettext_noop("开始公示"))
        _group_errors(locked, errors)
        candidates = sel.candidates_with_scores(locked)
        if not candidates:
            errors.add("candidates", _("请先列入推荐候选人。"))
        member_count = locked.members.count()
        unscored = [c.application.applicant.full_name for c in candidates if len(c.scores.all()) < member_count]
        if unscored:
            names = _("、").join(unscored)
            errors.add("scores", _("以下候选人尚未由评议组全体成员量化赋分：%(names)s。") % {"names": names})
        # 003 五(六): the pledge on the sheet is dated before the publicity.
        publicity_sheet.pledge_errors([c for c in candidates if not c.excluded], starts_on, errors)
        errors.raise_if_any()
        for row in sel.ranking(locked, candidates):
            row.candidate.rank, row.candidate.total_score = row.rank, row.total
        ProcedureCandidate.objects.bulk_update(candidates, ["rank", "total_score"])
        locked.status = Status.PUBLICITY
        locked.publicity_working_days = days
        locked.publicity_starts_on = starts_on
        locked.publicity_ends_on = ends_on
        # The outbox row: the sheet job is recorded with the change that causes it.
        locked.sheet_status = UnitProcedure.SheetStatus.QUEUED
        locked.sheet_sha256 = ""
        locked.save()
        audit(action="unit_publicity_started", actor=actor, target=locked, request=request,
              starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat(), working_days=days)
        # Rendering is the documents app's (certificates.publicity); it is sent on commit by name.
        enqueue("certificates.tasks.render_publicity_sheet", locked.pk)
    procedure.refresh_from_db()
    return locked


def objection_lodge(
    *,
    actor: User,
    procedure: UnitProcedure,
    candidate_id: int,
    name: str,
    phone: str = "",
    content: str,
    request=None,
    at: datetime | None = None,
) -> Objection:
    """Record an objection raised during publicity by a named person; anonymous ones are refused
    (reports must be 实名 to be investigated and answered; 002 第八条(三) 调查核实)."""
    _require(actor, procedure)
    at = at or timezone.now()
    name, phone, content = (name or "").strip(), (phone or "").strip(), (content or "").strip()
    errors = Errors()
    if not name or name.lower() in ANONYMOUS_NAMES or "匿名" in name:
        errors.add("name", _("异议须实名提出：请填写反映人的真实姓名，匿名反映不予受理。"))
    elif len(name) > 40:
        errors.add("name", _("姓名不能超过40字。"))
    if len(phone) > 20:
        errors.add("phone", _("联系电话不能超过20位。"))
    if not content:
        errors.add("content", _("请填写反映的具体问题。"))
    elif len(content) > 2000:
        errors.add("content", _("反映内容不能超过2000字。"))
    errors.raise_if_any()
    with transaction.atomic():
        locked = _locked(procedure)
        _in_status(locked, Status.PUBLICITY, what=gettext_noop("受理异议（只在公示期间受理）"))
        today = _today(at)
        if not (locked.publicity_starts_on <= today <= locked.publicity_ends_on):
            raise ValidationError(
                {"__all__": [_("公示期为%(starts)s至%(ends)s，不在公示期内，不能受理异议。")
                             % {"starts": cn_date(locked.publicity_starts_on),
                                "ends": cn_date(locked.publicity_ends_on)}]}
            )
        candidate = locked.candidates.filter(pk=candidate_id).first()
        if candidate is None:
            raise ValidationError({"candidate": [_("请选择被反映的候选人。")]})
        objection = Objection.objects.create(
            procedure=locked, candidate=candidate, lodged_by_name=name, lodged_by_phone=phone, content=content,
            lodged_at=at, recorded_by=actor,
        )
        audit(action="unit_objection_lodged", actor=actor, target=locked, request=request, objection=objection.pk,
              candidate=candidate.pk)
    return objection


def objection_resolve(
    *, actor: User, objection: Objection, finding: str, upheld: bool, request=None, at: datetime | None = None
) -> Objection:
    """Record the finding of the investigation; an upheld objection removes the candidate."""
    _require(actor, objection.procedure)
    finding = (finding or "").strip()
    if not finding:
        raise ValidationError({"finding": [_("请填写调查核实结论。")]})
    if len(finding) > 2000:
        raise ValidationError({"finding": [_("调查核实结论不能超过2000字。")]})
    with transaction.atomic():
        locked = _locked(objection.procedure)
        _in_status(locked, Status.PUBLICITY, Status.CLOSED, what=gettext_noop("处理异议"))
        row = Objection.objects.select_for_update().get(pk=objection.pk)
        if row.resolved_at is not None:
            raise ValidationError({"__all__": [_("该异议已有处理结论。")]})
        row.finding, row.upheld, row.resolved_by, row.resolved_at = finding, bool(upheld), actor, at or timezone.now()
        row.save(update_fields=["finding", "upheld", "resolved_by", "resolved_at"])
        if row.upheld:
            ProcedureCandidate.objects.filter(pk=row.candidate_id).update(excluded=True)
        audit(action="unit_objection_resolved", actor=actor, target=locked, request=request, objection=row.pk,
              upheld=row.upheld)
    return row


def _publicity_errors(procedure: UnitProcedure, at: datetime | None, errors: Errors) -> None:
    if procedure.publicity_ends_on is None:
        errors.add("publicity", _("尚未公示：申报材料未经公示的，一律不准推荐。"))
        return
    if _today(at) <= procedure.publicity_ends_on:
        errors.add(
            "publicity",
            _("公示期未满：须公示%(days)s个工作日（公休日和法定节假日不计），至%(ends)s结束。")
            % {"days": procedure.publicity_working_days, "ends": cn_date(procedure.publicity_ends_on)},
        )
    open_count = procedure.objections.filter(resolved_at__isnull=True).count()
    if open_count:
        errors.add("objections", _("还有%(count)s条异议未作出调查核实结论，不能推荐。") % {"count": open_count})


def publicity_close(
    *, actor: User, procedure: UnitProcedure, request=None, at: datetime | None = None
) -> UnitProcedure:
    _require(actor, procedure)
    with transaction.atomic():
        locked = _locked(procedure)
        _in_status(locked, Status.PUBLICITY, what=gettext_noop("结束公示"))
        errors = Errors()
        _publicity_errors(locked, at, errors)
        errors.raise_if_any()
        locked.status = Status.CLOSED
        locked.publicity_closed_at = at or timezone.now()
        locked.save(update_fields=["status", "publicity_closed_at"])
        audit(action="unit_publicity_closed", actor=actor, target=locked, request=request)
    procedure.refresh_from_db()
    return locked


# --- Dispatch and the recommendation ----------------------------------------------------------------


def dispatch_approve(
    *, actor: User, application: Application, opinion: str, request=None, at: datetime | None = None
) -> DispatchApproval:
    """The dispatch company's half of 003 二(一)2 "双审核"."""
    placement = sel.dispatch_placement(application)
    if placement is None or not sel.can_run_procedure(actor, placement.dispatch_company):
        raise PermissionDenied
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": [_("请填写劳务派遣公司审核意见。")]})
    if len(opinion) > 500:
        raise ValidationError({"opinion": [_("审核意见不能超过500字。")]})
    with transaction.atomic():
        approval, created = DispatchApproval.objects.get_or_create(
            application=application,
            defaults={"dispatch_company": placement.dispatch_company, "approved_by": actor,
                      "approved_at": at or timezone.now(), "opinion": opinion},
        )
        if created:
            audit(action="dispatch_company_approved", actor=actor, target=application, request=request)
    return approval


def unit_approval_blocker(application: Application, at: datetime | None = None) -> str | None:
    """Why the unit may not approve this application yet, or None. Called by ``review_decide``
    at the unit level, so the queue, bulk approval and the API are gated alike."""
    # 003 五(六): the unit's opinion is dated after the publicity ends, and the sheet's dates entered
    # where the tenant's document requires them.
    sheet = publicity_sheet.publicity_opinion_blocker(application, at) or publicity_sheet.approval_blocker(application)
    if sheet:
        return sheet
    placement = sel.dispatch_placement(application)
    if placement is not None and not DispatchApproval.objects.filter(application=application).exists():
        company = placement.dispatch_company.name
        return _("劳务派遣人员须经劳务派遣公司（%(company)s）和用工单位双审核，派遣公司尚未审核同意。") % {
            "company": company
        }
    if application.tenant.unit_procedure_required and not ProcedureCandidate.objects.filter(
        application=application, recommended=True
    ).exists():
        return _("本地规定单位须经评审推荐小组量化赋分、公示无异议后，通过“推荐人员名单”推荐上报，不能直接审核通过。")
    return None


def procedure_recommend(
    *, actor: User, procedure: UnitProcedure, candidate_ids: list[int], request=None, at: datetime | None = None
) -> list[ProcedureCandidate]:
    """Send the recommendation list up the chain: each recommended application is approved at the
    unit level by ``review_decide`` (all or none). Refused while the group is too small, the
    publicity is not over, an objection is open, the quota is exceeded or a dispatch company has
    not approved."""
    from review.services import review_decide

    _require(actor, procedure)
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked(procedure)
        _in_status(locked, Status.CLOSED, Status.PUBLICITY, what=gettext_noop("推荐上报"))
        errors = Errors()
        _group_errors(locked, errors)
        _publicity_errors(locked, at, errors)
        candidates = sel.candidates_with_scores(locked)
        ranked = {row.candidate.pk: row for row in sel.ranking(locked, candidates)}
        chosen = [ranked[pk] for pk in dict.fromkeys(candidate_ids) if pk in ranked]
        if not chosen:
            errors.add("candidates", _("请至少选择一名推荐人员。"))
        if len(chosen) != len(set(candidate_ids)):
            errors.add("candidates", _("所选人员中有不属于本轮推荐的。"))
        for row in chosen:
            name = row.application.applicant.full_name
            if row.candidate.excluded:
                errors.add("candidates", _("%(name)s：公示期间反映的问题经核实属实，不能推荐。") % {"name": name})
            elif row.candidate.recommended:
                errors.add("candidates", _("%(name)s：已推荐上报。") % {"name": name})
        if locked.unit.unit_kind == Organisation.UnitKind.PUBLIC_INSTITUTION:
            vacant = dict(PostQuota.objects.filter(procedure=locked).values_list("level", "vacant_posts"))
            wanted: dict[str, int] = {}
            for row in chosen:
                if not row.candidate.green_channel:
                    wanted[row.application.level] = wanted.get(row.application.level, 0) + 1
            for level, count in sorted(wanted.items()):
                if count > vacant.get(level, 0):
                    errors.add(
                        "quota",
                        _("%(level)s空余岗位%(vacant)s个，拟推荐%(count)s人（绿色通道人员不占数额），超出岗位结构比例。")
                        % {"level": rule_labels.LEVELS.get(level, level), "vacant": vacant.get(level, 0),
                           "count": count},
                    )
        for row in chosen:
            placement = sel.dispatch_placement(row.application)
            if placement is not None and not DispatchApproval.objects.filter(application=row.application).exists():
                errors.add(
                    "dispatch",
                    _("%(name)s：劳务派遣人员须经劳务派遣公司（%(company)s）审核同意。")
                    % {"name": row.application.applicant.full_name, "company": placement.dispatch_company.name},
                )
        errors.raise_if_any()
        chosen.sort(key=lambda row: (row.rank is None, row.rank or 0))
        for row in chosen:
            ProcedureCandidate.objects.filter(pk=row.candidate.pk).update(recommended=True)
        for row in chosen:
            rank = f"综合排名第{row.rank}名，" if row.rank else ""
            review_decide(
                actor=actor,
                application=row.application,
                action="approve",
                opinion=f"经单位评审推荐小组量化赋分（{rank}得分{row.total}），公示期满无异议，同意推荐。",
                request=request,
                at=at,
            )
        locked.status = Status.RECOMMENDED
        locked.recommended_at = at
        locked.save(update_fields=["status", "recommended_at"])
        audit(action="unit_procedure_recommended", actor=actor, target=locked, request=request,
              applications=[row.application.pk for row in chosen])
    procedure.refresh_from_db()
    return [row.candidate for row in chosen]


def publicity_sheet_retry(*, actor: User, procedure: UnitProcedure, request=None) -> UnitProcedure:
    _require(actor, procedure)
    with transaction.atomic():
        locked = _locked(procedure)
        if locked.sheet_status != UnitProcedure.SheetStatus.FAILED:
            return locked
        locked.sheet_status = UnitProcedure.SheetStatus.QUEUED
        locked.save(update_fields=["sheet_status"])
        enqueue("certificates.tasks.render_publicity_sheet", locked.pk)
    return locked


def unit_step_active(application: Application) -> bool:
    return ReviewStep.objects.filter(
        application=application, level=Level.UNIT, status=ReviewStep.Status.ACTIVE
    ).exists()
