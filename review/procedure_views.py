"""Pages of the unit's recommendation procedure for the unit handler and head: review group,
scoring and ranking, quota, publicity (start, objections, close, 公示表), recommendation list,
and the dispatch company's approvals. Thin: parse, fetch through a scoped getter, call one
service, redirect with the outcome (errors as Chinese messages naming the field and limit)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from core.audit import audit
from review import procedure as svc
from review import procedure_selectors as sel
from review.models import UnitProcedure
from rules import labels


def _require_unit(request: HttpRequest) -> None:
    if not sel.can_run_procedure(request.user):
        raise Http404


def _attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    try:
        action()
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _context(procedure: UnitProcedure, tab: str, **extra) -> dict:
    from certificates.procedure_documents import documents_for

    return {"procedure": procedure, "tab": tab, "documents": documents_for(procedure), **extra}


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@login_required
def procedures(request: HttpRequest) -> HttpResponse:
    """List of the unit's rounds; POST creates one."""
    _require_unit(request)
    if request.method == "POST":
        created: list[UnitProcedure] = []
        ok = _attempt(
            request,
            lambda: created.append(svc.procedure_create(actor=request.user, title=request.POST.get("title", ""),
                                                        request=request)),
            _("已新建推荐工作，请组建评审推荐小组。"),
        )
        if ok:
            return redirect(reverse("review:unit_group", args=[created[0].pk]))
        return redirect(reverse("review:unit_procedures"))
    rows = list(sel.procedures_for_user(request.user).order_by("-id")[:100])
    return render(
        request,
        "review/unit_procedures.html",
        {"rows": rows, "tenant": request.user.tenant, "waiting": sel.eligible_applications(request.user).count()},
    )


@login_required
def group(request: HttpRequest, pk: int) -> HttpResponse:
    _require_unit(request)
    procedure = sel.get_procedure_for_user(request.user, pk)
    if request.method == "POST":
        if request.POST.get("remove", "").isdigit():
            _attempt(
                request,
                lambda: svc.group_member_remove(actor=request.user, procedure=procedure,
                                                member_id=int(request.POST["remove"]), request=request),
                _("已移除该成员。"),
            )
        else:
            _attempt(
                request,
                lambda: svc.group_member_add(actor=request.user, procedure=procedure, name=request.POST.get("name", ""),
                                             position=request.POST.get("position", ""), request=request),
                _("已添加评议组成员。"),
            )
        return redirect(reverse("review:unit_group", args=[pk]))
    members = sel.members(procedure)
    minimum = procedure.tenant.review_group_min_size
    return render(
        request,
        "review/unit_group.html",
        _context(procedure, "group", members=members, minimum=minimum, short=max(0, minimum - len(members))),
    )


def _date_field(request: HttpRequest, name: str, label: str, problems: list[str]) -> date | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(_("%(label)s“%(raw)s”格式应为年-月-日，如2026-11-11。") % {"label": _(label), "raw": raw})
        return None


def _rules_approval(request: HttpRequest, procedure: UnitProcedure) -> None:
    """002 第一篇 第七条(三): the 细则's approval by the 职代会 and the competent department."""
    problems: list[str] = []
    congress_on = _date_field(request, "congress_on", gettext_noop("职代会讨论通过日期"), problems)
    department_on = _date_field(request, "department_on", gettext_noop("上级主管部门同意日期"), problems)
    for problem in problems:
        messages.error(request, problem)
    if problems:
        return
    _attempt(
        request,
        lambda: svc.rules_approval_record(
            actor=request.user, procedure=procedure, congress_on=congress_on,
            congress_document=request.POST.get("congress_document", ""), department_on=department_on,
            department_document=request.POST.get("department_document", ""), request=request,
        ),
        _("已录入量化考核实施细则的审批情况。"),
    )


def _hearing(request: HttpRequest, procedure: UnitProcedure) -> None:
    """002 第一篇 第七条(三)(四): one candidate's 公开述职 and 考核答辩."""
    problems: list[str] = []
    report_on = _date_field(request, "report_on", gettext_noop("公开述职日期"), problems)
    defence_on = _date_field(request, "defence_on", gettext_noop("考核答辩日期"), problems)
    candidate = request.POST.get("candidate", "")
    for problem in problems:
        messages.error(request, problem)
    if problems:
        return
    _attempt(
        request,
        lambda: svc.hearing_record(
            actor=request.user, procedure=procedure, candidate_id=int(candidate) if candidate.isdigit() else 0,
            report_on=report_on, report_place=request.POST.get("report_place", ""), defence_on=defence_on,
            defence_notes=request.POST.get("defence_notes", ""), request=request,
        ),
        _("已记录公开述职和考核答辩情况。"),
    )


@login_required
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Candidates, each member's scores and the ranking (002 第七条(六)(七))."""
    _require_unit(request)
    procedure = sel.get_procedure_for_user(request.user, pk)
    if request.method == "POST":
        if "rules_approval" in request.POST:
            _rules_approval(request, procedure)
        elif "hearing" in request.POST:
            _hearing(request, procedure)
        elif "add_candidates" in request.POST:
            _attempt(
                request,
                lambda: svc.candidates_add(actor=request.user, procedure=procedure,
                                           application_ids=_ints(request.POST.getlist("application")), request=request),
                _("已列入推荐候选人。"),
            )
        else:
            member = request.POST.get("member", "")
            values = {
                int(key.removeprefix("score_")): value
                for key, value in request.POST.items()
                if key.startswith("score_") and key.removeprefix("score_").isdigit()
            }
            if not member.isdigit():
                messages.error(request, _("请选择评议组成员。"))
            elif _attempt(
                request,
                lambda: svc.scores_record(actor=request.user, procedure=procedure, member_id=int(member),
                                          scores=values, request=request),
                _("已保存量化赋分。"),
            ):
                # On to the next member's scores.
                following = procedure.members.filter(pk__gt=int(member)).order_by("id").first()
                member = str(following.pk) if following else member
            return redirect(reverse("review:unit_scores", args=[pk]) + f"?member={member}")
        return redirect(reverse("review:unit_scores", args=[pk]))
    candidates = sel.candidates_with_scores(procedure)
    members = sel.members(procedure)
    ranked = sel.ranking(procedure, candidates)
    taken = {c.application_id for c in candidates}
    eligible = [a for a in sel.eligible_applications(request.user) if a.pk not in taken]
    by_member = {m.pk: {} for m in members}
    for candidate in candidates:
        for score in candidate.scores.all():
            by_member.setdefault(score.member_id, {})[candidate.pk] = score.score
    chosen = request.GET.get("member", "")
    current = next((m for m in members if str(m.pk) == chosen), members[0] if members else None)
    return render(
        request,
        "review/unit_scores.html",
        _context(
            procedure, "scores", ranked=ranked, members=members, eligible=eligible, current=current,
            current_scores=by_member.get(current.pk, {}) if current else {},
            steps=svc.local_steps(procedure.tenant), rules_missing=svc.rules_approval_missing(procedure),
        ),
    )


@login_required
def quota(request: HttpRequest, pk: int) -> HttpResponse:
    """Vacant posts per level and what is left (004 三(三))."""
    _require_unit(request)
    procedure = sel.get_procedure_for_user(request.user, pk)
    if request.method == "POST":
        _attempt(
            request,
            lambda: svc.quota_set(actor=request.user, procedure=procedure, level=request.POST.get("level", ""),
                                  vacant_posts=request.POST.get("vacant_posts", ""), request=request),
            _("已保存空余岗位数。"),
        )
        return redirect(reverse("review:unit_quota", args=[pk]))
    return render(
        request,
        "review/unit_quota.html",
        _context(procedure, "quota", rows=sel.quota_rows(procedure), level_choices=list(labels.LEVELS.items()),
                 public=procedure.unit.unit_kind == "public_institution"),
    )


@login_required
def publicity(request: HttpRequest, pk: int) -> HttpResponse:
    """Start publicity; during it lodge objections, resolve them, close it; the 公示表."""
    _require_unit(request)
    procedure = sel.get_procedure_for_user(request.user, pk)
    if request.method == "POST":
        raw = request.POST.get("starts_on", "")
        try:
            starts_on = date.fromisoformat(raw)
        except ValueError:
            messages.error(request, _("公示开始日期“%(raw)s”格式应为年-月-日，如2026-11-11。") % {"raw": raw})
            return redirect(reverse("review:unit_publicity", args=[pk]))
        days = request.POST.get("working_days", "")
        _attempt(
            request,
            lambda: svc.publicity_start(actor=request.user, procedure=procedure, starts_on=starts_on,
                                        working_days=int(days) if days.isdigit() else None, request=request),
            _("已开始公示，公示表正在生成。"),
        )
        return redirect(reverse("review:unit_publicity", args=[pk]))
    ranked = sel.ranking(procedure)
    objections = sel.objections(procedure)
    return render(
        request,
        "review/unit_publicity.html",
        _context(
            procedure, "publicity", ranked=ranked, objections=objections,
            open_count=sum(1 for o in objections if not o.is_resolved),
            minimum=procedure.tenant.publicity_working_days, maximum=svc.PUBLICITY_MAX_DAYS,
            refresh=procedure.sheet_status == UnitProcedure.SheetStatus.QUEUED,
        ),
    )


@login_required
@require_POST
def objection_lodge(request: HttpRequest, pk: int) -> HttpResponse:
    _require_unit(request)
    procedure = sel.get_procedure_for_user(request.user, pk)
    candidate = request.POST.get("candidate", "")
    _attempt(
        request,
        lambda: svc.objection_lodge(
            actor=request.user, procedure=procedure, candidate_id=int(candidate) if candidate.isdigit() else 0,
            name=request.POST.get("name", ""), phone=request.POST.get("phone", ""),
            content=request.POST.get("content", ""), request=request,
        ),
        _("已登记异议，请调查核实后填写结论。"),
    )
    return redirect(reverse("review:unit_publicity", args=[pk]))


@login_required
@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    _require_unit(request)
    objection = sel.get_objection_for_user(request.user, pk)
    upheld = request.POST.get("upheld", "")
    if upheld not in ("0", "1"):
        messages.error(request, _("请选择核实结果：反映属实或反映不实。"))
    else:
        _attempt(
            request,
            lambda: svc.objection_resolve(actor=request.user, objection=objection,
                                          finding=request.POST.get("finding", ""), upheld=upheld == "1",
                                          request=request),
            _("已记录调查核实结论。"),
        )
    return redirect(reverse("review:unit_publicity", args=[objection.procedure_id]))


@login_required
@require_POST
def publicity_close(request: HttpRequest, pk: int) -> HttpResponse:
    _require_unit(request)
    procedure = sel.get_procedure_for_user(request.user, pk)
    if _attempt(request, lambda: svc.publicity_close(actor=request.user, procedure=procedure, request=request),
                _("公示已结束。")):
        return redirect(reverse("review:unit_recommend", args=[pk]))
    return redirect(reverse("review:unit_publicity", args=[pk]))


@login_required
def sheet_download(request: HttpRequest, pk: int) -> FileResponse:
    _require_unit(request)
    procedure = sel.get_procedure_for_user(request.user, pk)
    if procedure.sheet_status != UnitProcedure.SheetStatus.DONE or not procedure.sheet:
        raise Http404
    audit(action="unit_publicity_sheet_downloaded", actor=request.user, target=procedure, request=request)
    return FileResponse(
        procedure.sheet.open("rb"), content_type="application/pdf", as_attachment=True,
        filename=f"职称申报推荐公示表-{procedure.pk}.pdf",
    )


@login_required
def document_download(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The procedure's 量化赋分表, 情况一览表 or 审查情况报告表 (002 第一篇 第九条) as a PDF, where the
    tenant's document lists it (setting ``unit_procedure_steps.documents``)."""
    from certificates.procedure_documents import document_pdf, documents_for

    _require_unit(request)
    procedure = sel.get_procedure_for_user(request.user, pk)
    document = next((d for d in documents_for(procedure) if d.code == code), None)
    if document is None:
        raise Http404
    pdf = document_pdf(procedure, code)
    audit(action="unit_procedure_document_downloaded", actor=request.user, target=procedure, request=request,
          document=code)
    return FileResponse(
        io.BytesIO(pdf.content), content_type="application/pdf", as_attachment=True,
        filename=f"{document.label}-{procedure.pk}.pdf",
    )


@login_required
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    """The recommendation list (推荐人员名单): choose and send up the chain."""
    _require_unit(request)
    procedure = sel.get_procedure_for_user(request.user, pk)
    if request.method == "POST":
        _attempt(
            request,
            lambda: svc.procedure_recommend(actor=request.user, procedure=procedure,
                                            candidate_ids=_ints(request.POST.getlist("candidate")), request=request),
            _("已推荐上报，所选申报已送主管部门（或上级）审核。"),
        )
        return redirect(reverse("review:unit_recommend", args=[pk]))
    candidates = sel.candidates_with_scores(procedure)
    return render(
        request,
        "review/unit_recommend.html",
        _context(procedure, "recommend", ranked=sel.ranking(procedure, candidates),
                 quotas=sel.quota_rows(procedure, candidates)),
    )


@login_required
def dispatch(request: HttpRequest) -> HttpResponse:
    """A dispatch company's placed applicants, each approved once (003 二(一)2 双审核)."""
    _require_unit(request)
    rows = list(sel.dispatch_applications_for_company(request.user).select_related("dispatch_approval")[:200])
    return render(request, "review/unit_dispatch.html", {"rows": rows})


@login_required
@require_POST
def dispatch_approve(request: HttpRequest, pk: int) -> HttpResponse:
    _require_unit(request)
    application = sel.get_dispatch_application_for_user(request.user, pk)
    _attempt(
        request,
        lambda: svc.dispatch_approve(actor=request.user, application=application,
                                     opinion=request.POST.get("opinion", ""), request=request),
        _("已审核同意%(name)s的申报。") % {"name": application.applicant.full_name},
    )
    return redirect(reverse("review:unit_dispatch"))
