"""Thin views: parse input, fetch through a scoped getter, call one service, render."""

from __future__ import annotations

import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import UNIT_ROLES, Role
from applications import hooks, materials, selectors, services
from applications.forms import (
    ENTRY_FORMS,
    AchievementForm,
    ApplicationCreateForm,
    DecisionForm,
    DraftForm,
    ExceptionalDecisionForm,
    PledgeForm,
    RecordForm,
    ReuseScanForm,
    RosterFilingForm,
    UploadForm,
)
from applications.models import Achievement, Application, PersonalRecord
from applications.permissions import can_file
from core.audit import audit
from core.forms import add_service_errors
from rules.impact import version_change_for_profile


def _filer(request: HttpRequest) -> None:
    if not can_file(request.user):
        raise Http404


def _window(tenant_code: str) -> dict:
    return services.current_window(tenant_code, timezone.now())


# --- Applicant home and record ------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """我的申报: the applicant's applications, the current window and where to start."""
    _filer(request)
    form = ApplicationCreateForm()
    applications = list(selectors.applications_for_user(request.user).filter(applicant=request.user))
    return render(
        request,
        "applications/index.html",
        {"applications": applications, "form": form, "window": _window(request.user.tenant.code)},
    )


@login_required
@require_POST
def application_new(request: HttpRequest) -> HttpResponse:
    _filer(request)
    form = ApplicationCreateForm(request.POST)
    if form.is_valid():
        try:
            application = services.application_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已创建申报草稿，填写内容会自动保存。"))
            return redirect("applications:detail", pk=application.pk)
    else:
        messages.error(request, _("请选择职称系列和申报级别。"))
    return redirect("applications:index")


@login_required
def record(request: HttpRequest) -> HttpResponse:
    """个人信息与业绩档案: kept across years, used by every application."""
    _filer(request)
    instance = PersonalRecord.objects.filter(person=request.user).first()
    form = RecordForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_save(actor=request.user, data=form.cleaned_data, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("个人基本信息已保存。"))
            return redirect("applications:record")
    person = request.user
    return render(
        request,
        "applications/record.html",
        {
            "form": form,
            "sections": [
                ("education", ENTRY_FORMS["education"][1], person.education_entries.select_related("diploma")),
                ("work", ENTRY_FORMS["work"][1], person.work_periods.all()),
                ("title", ENTRY_FORMS["title"][1], person.titles_held.select_related("appointment_letter")),
                ("assessment", ENTRY_FORMS["assessment"][1], person.annual_assessments.all()),
                ("cpd", ENTRY_FORMS["cpd"][1], person.continuing_education.all()),
                ("skill", ENTRY_FORMS["skill"][1], person.skill_qualifications.select_related("certificate")),
                ("sanction", ENTRY_FORMS["sanction"][1], person.sanctions.all()),
                ("absence", ENTRY_FORMS["absence"][1], person.absences.all()),
            ],
            "achievements": person.achievements.select_related("proof"),
        },
    )


@login_required
def record_entry_add(request: HttpRequest) -> HttpResponse:
    _filer(request)
    kind = request.GET.get("kind", "")
    if kind not in ENTRY_FORMS:
        raise Http404
    form_class, title = ENTRY_FORMS[kind]
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "proof"}
        try:
            services.record_entry_add(
                actor=request.user, kind=kind, data=data, proof=form.cleaned_data.get("proof"), request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("已添加%(title)s。") % {"title": title})
            return redirect("applications:record")
    return render(
        request, "applications/entry_form.html", {"form": form, "title": _("添加%(title)s") % {"title": title}}
    )


@login_required
def record_entry_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _filer(request)
    model = services.RECORD_KINDS.get(kind)
    if model is None or kind not in ENTRY_FORMS:
        raise Http404
    entry = get_object_or_404(model, pk=pk, person=request.user)
    form_class, title = ENTRY_FORMS[kind]
    form = form_class(request.POST or None, request.FILES or None, instance=entry)
    if "proof" in form.fields:
        form.fields["proof"].required = False
        form.fields["proof"].help_text = _("不更换扫描件可不选文件。")
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "proof"}
        try:
            services.record_entry_update(
                actor=request.user,
                kind=kind,
                entry=entry,
                data=data,
                proof=form.cleaned_data.get("proof"),
                request=request,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("已修改%(title)s。") % {"title": title})
            return redirect("applications:record")
    return render(
        request, "applications/entry_form.html", {"form": form, "title": _("修改%(title)s") % {"title": title}}
    )


def _add_errors(form, error: ValidationError) -> None:
    """Service errors next to their fields; the scan's field is called ``proof`` on the form."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            target = field if field in form.fields else ("proof" if "proof" in form.fields else None)
            for message in messages_:
                form.add_error(target, message)
    else:
        add_service_errors(form, error)


@login_required
@require_POST
def record_entry_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = services.RECORD_KINDS.get(kind)
    if model is None:
        raise Http404
    entry = get_object_or_404(model, pk=pk, person=request.user)
    services.record_entry_delete(actor=request.user, entry=entry, request=request)
    messages.success(request, _("已删除。"))
    return redirect("applications:record")


@login_required
def achievement_add(request: HttpRequest) -> HttpResponse:
    _filer(request)
    form = AchievementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "proof"}
        try:
            services.achievement_add(
                actor=request.user, data=data, proof=form.cleaned_data.get("proof"), request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("已添加业绩，待单位审核通过后可在申报中选用。"))
            return redirect("applications:record")
    return render(request, "applications/entry_form.html", {"form": form, "title": _("添加业绩档案")})


# --- Application form ---------------------------------------------------------------------------


def _draft_form(application: Application, data=None) -> DraftForm:
    _slots, texts = materials.checklist(application)
    min_chars = max((t.min_chars or 0 for t in texts if t.field == "main_achievements"), default=0) or None
    labels = materials.text_labels(application, texts)
    approved = application.applicant.achievements.filter(status=Achievement.Status.APPROVED)
    initial = {
        name: getattr(application, name)
        for name in (
            "series",
            "specialty",
            "level",
            "exceptional_promotion",
            "entrusted_review",
            "self_statement",
            "main_achievements",
        )
    }
    initial["achievement_ids"] = [str(pk) for pk in application.achievements.values_list("pk", flat=True)]
    initial["committee"] = str(application.committee_id or "")
    committees = (
        materials.committee_choices(application)
        if application.evaluation_method == Application.EvaluationMethod.COMMITTEE_REVIEW
        else None
    )
    return DraftForm(
        data, initial=initial, achievements=approved, min_chars=min_chars, committees=committees, labels=labels
    )


def _record_scans(person) -> dict[str, list[dict]]:
    """The scans kept in the personal record, by record list, for “从个人档案选用”."""
    return {
        "education": [
            {"kind": "education", "entry": e, "attachment": e.diploma, "label": f"{e.get_level_display()} {e.school}"}
            for e in person.education_entries.select_related("diploma").exclude(diploma=None)
        ],
        "title": [
            {
                "kind": "title",
                "entry": t,
                "attachment": t.appointment_letter,
                "label": _("%(series)s%(level)s聘书")
                % {"series": t.get_series_display(), "level": t.get_level_display()},
            }
            for t in person.titles_held.select_related("appointment_letter").exclude(appointment_letter=None)
        ],
    }


def _slot_rows(application: Application) -> list[dict]:
    slots, _texts = materials.checklist(application)
    files = list(application.files.select_related("attachment").filter(supplied_by_unit=False))
    scans = _record_scans(application.applicant)
    rows = []
    for slot in slots:
        slot_files = [f for f in files if f.slot == slot.id]
        used = {f.attachment_id for f in slot_files}
        reusable = [
            s for s in scans.get(materials.RECORD_SCAN_SLOTS.get(slot.id, ""), []) if s["attachment"].pk not in used
        ]
        rows.append({"slot": slot, "files": slot_files, "missing": slot.required, "reusable": reusable})
    return rows


def _unit_rows(application: Application) -> list[dict]:
    """The unit-supplied items (由单位提供) and whether the unit has uploaded them yet."""
    files = list(application.files.select_related("attachment").filter(supplied_by_unit=True))
    return [
        {"item": item, "files": [f for f in files if f.slot == item.id]} for item in materials.unit_items(application)
    ]


def _open_problems(application: Application) -> dict[tuple[str, str], list[str]]:
    """The problems of the last return (一次告知), keyed by the field or slot they concern."""
    if application.status != Application.Status.RETURNED:
        return {}
    problems: dict[tuple[str, str], list[str]] = {}
    for problem in hooks.timeline(application).open_problems:
        problems.setdefault((problem.target_kind, problem.target), []).append(problem.message)
    return problems


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_own_application(request.user, pk)
    if not application.is_editable:
        _pop_section_errors(request, application, set())  # the status page shows them at the top
        return redirect("applications:status", pk=application.pk)
    form = _draft_form(application, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_save_draft(
                actor=request.user, application=application, data=form.cleaned_data, request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("applications:detail", pk=application.pk)
    rows = _slot_rows(application)
    problems = _open_problems(application)
    for name, field in form.fields.items():
        field.review_problems = problems.get(("field", name), [])
    errors = _pop_section_errors(
        request, application, {f"slot-{row['slot'].id}" for row in rows} | {"pledge", "submit"}
    )
    for row in rows:
        row["missing"] = row["slot"].required and not row["files"]
        row["problems"] = problems.get(("slot", row["slot"].id), [])
        row["errors"] = errors.get(f"slot-{row['slot'].id}", [])
    now = timezone.now()
    window = services.current_window(application.tenant.code, now)
    blockers, _problems = services.submission_blockers(application, now, window)
    pledge = getattr(application, "pledge", None)
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "form": form,
            "rows": rows,
            "missing_count": sum(1 for row in rows if row["missing"]),
            "unit_rows": _unit_rows(application),
            "blockers": blockers,
            "pledge": pledge,
            "pledge_form": PledgeForm(),
            "pledge_text": services.PLEDGE_TEXT,
            "window": window,
            "resubmit_until": services.resubmission_deadline(application),
            # A draft started under an older rule set is checked under the one in force: say what changed.
            "rule_change": version_change_for_profile(
                code=application.ruleset_code,
                from_version=application.ruleset_version,
                profile=lambda: materials.build_profile(application, timezone.localdate()),
            ),
            "pledge_errors": errors.get("pledge", []),
            # A refused submission repeats the blockers; only a reason not among them is added.
            "submit_refused": bool(errors.get("submit")),
            "submit_errors": [text for text in errors.get("submit", []) if text not in blockers],
        },
    )


@login_required
@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """The form's JavaScript posts changed fields every few seconds (JSON, CSRF header)."""
    application = selectors.get_own_application(request.user, pk)
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"saved": False, "errors": {"__all__": [_("无法读取提交的内容。")]}}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"saved": False, "errors": {"__all__": [_("无法读取提交的内容。")]}}, status=400)
    try:
        application = services.application_save_draft(
            actor=request.user, application=application, data=data, request=request
        )
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        return JsonResponse({"saved": False, "errors": errors}, status=400)
    return JsonResponse({"saved": True, "saved_at": timezone.localtime(application.updated_at).strftime("%H:%M:%S")})


# --- Errors where they belong --------------------------------------------------------------------
# A refused upload, scan or removal, a refused pledge or submission: the page goes back to the
# section concerned (#slot-…, #pledge, #submit) and the reason is shown there, beside the control,
# not in the message list at the top of the page, which is then out of sight.

SECTION_ERRORS = "filing_section_errors"


def _section_error(request: HttpRequest, application: Application, section: str, texts: list[str]) -> None:
    """Keep ``texts`` for ``section`` of the application form until the form is shown next."""
    kept = request.session.get(SECTION_ERRORS, {})
    key = f"{application.pk}:{section}"
    kept[key] = [*kept.get(key, []), *texts]
    request.session[SECTION_ERRORS] = kept


def _pop_section_errors(request: HttpRequest, application: Application, sections: set[str]) -> dict[str, list[str]]:
    """The errors kept for this application's sections, once. Any for a section no longer on the
    page (a slot the rule set dropped) go to the message list, so none is lost."""
    kept = request.session.get(SECTION_ERRORS)
    if not kept:
        return {}
    prefix = f"{application.pk}:"
    mine = {key.removeprefix(prefix): texts for key, texts in kept.items() if key.startswith(prefix)}
    if not mine:
        return {}
    request.session[SECTION_ERRORS] = {key: texts for key, texts in kept.items() if not key.startswith(prefix)}
    for section, texts in mine.items():
        if section not in sections:
            for text in texts:
                messages.error(request, text)
    return {section: texts for section, texts in mine.items() if section in sections}


def _back_to(request: HttpRequest, application: Application, section: str, errors: list[str]) -> HttpResponse:
    """Back to ``section`` of the form; with errors, to the box that shows them (``#…-errors``,
    focusable), which the browser scrolls to and focuses, so a screen reader reads it too."""
    if not errors:
        return redirect(f"{application_url(application)}#{section}")
    _section_error(request, application, section, errors)
    return redirect(f"{application_url(application)}#{section}-errors")


def _back_to_slot(request: HttpRequest, application: Application, slot: str, errors: list[str]) -> HttpResponse:
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,80}", slot):  # not a slot id: the top is the only place left
        for text in errors:
            messages.error(request, text)
        return redirect(f"{application_url(application)}#materials")
    return _back_to(request, application, f"slot-{slot}", errors)


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_own_application(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    slot = request.POST.get("slot", "")
    if not form.is_valid():
        return _back_to_slot(request, application, slot, [_("请先选择要上传的文件，再点击“上传”。")])
    try:
        item = services.application_upload(
            actor=request.user,
            application=application,
            slot=form.cleaned_data["slot"],
            upload=form.cleaned_data["file"],
            request=request,
        )
    except ValidationError as error:
        return _back_to_slot(request, application, slot, error.messages)
    messages.success(request, _("已上传“%(name)s”。") % {"name": item.attachment.original_name})
    return _back_to_slot(request, application, slot, [])


@login_required
@require_POST
def reuse_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a scan kept in the personal record into a slot (no second upload)."""
    application = selectors.get_own_application(request.user, pk)
    form = ReuseScanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要选用的个人档案扫描件。"))
        return redirect(f"{application_url(application)}#materials")
    entry = selectors.get_record_entry_for_user(request.user, form.cleaned_data["kind"], form.cleaned_data["entry"])
    try:
        item = services.application_attach_record_scan(
            actor=request.user, application=application, slot=form.cleaned_data["slot"], entry=entry, request=request
        )
    except ValidationError as error:
        return _back_to_slot(request, application, form.cleaned_data["slot"], error.messages)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("已从个人档案选用“%(name)s”。") % {"name": item.attachment.original_name})
    return _back_to_slot(request, application, form.cleaned_data["slot"], [])


def application_url(application: Application) -> str:
    from django.urls import reverse

    return reverse("applications:detail", kwargs={"pk": application.pk})


@login_required
@require_POST
def file_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    application = selectors.get_own_application(request.user, pk)
    item = get_object_or_404(application.files, pk=file_pk)
    try:
        services.application_file_remove(actor=request.user, item=item, request=request)
    except ValidationError as error:
        return _back_to_slot(request, application, item.slot, error.messages)
    messages.success(request, _("已删除该文件。"))
    return _back_to_slot(request, application, item.slot, [])


@login_required
def precheck(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_own_application(request.user, pk)
    result = services.application_precheck(application=application)
    return render(request, "applications/precheck.html", {"application": application, "result": result})


@login_required
def revisions(request: HttpRequest, pk: int) -> HttpResponse:
    """The last two submissions side by side: what the applicant changed after a return."""
    from applications.revisions import snapshot_differences

    application = selectors.get_application_for_user(request.user, pk)
    submissions = list(selectors.submissions_for_application(application).order_by("-revision")[:2])
    if len(submissions) < 2:
        raise Http404
    after, before = submissions
    slot_names = {row["slot"].id: row["slot"].name for row in _slot_rows(application)}
    slot_names.update({row["item"].id: row["item"].name for row in _unit_rows(application)})
    labels = materials.text_labels(application)
    return render(
        request,
        "applications/revisions.html",
        {
            "application": application,
            "before": before,
            "after": after,
            "differences": snapshot_differences(before.snapshot, after.snapshot, slot_names, labels),
        },
    )


@login_required
def can_i_apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationCreateForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = services.eligibility_preview(
                actor=request.user, series=form.cleaned_data["series"], level=form.cleaned_data["level"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
    return render(request, "applications/can_i_apply.html", {"form": form, "result": result})


@login_required
@require_POST
def pledge(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_own_application(request.user, pk)
    form = PledgeForm(request.POST)
    form.is_valid()
    try:
        services.pledge_sign(
            actor=request.user,
            application=application,
            typed_name=form.cleaned_data.get("typed_name") or "",
            agreed=bool(form.cleaned_data.get("agreed")),
            request=request,
        )
    except ValidationError as error:
        return _back_to(request, application, "pledge", error.messages)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("已签署诚信承诺书。"))
    return _back_to(request, application, "pledge", [])


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_own_application(request.user, pk)
    try:
        services.application_submit(actor=request.user, application=application, request=request)
    except ValidationError as error:
        return _back_to(request, application, "submit", error.messages)
    messages.success(request, _("申报已提交，请等待单位审核。"))
    return redirect("applications:status", pk=application.pk)


@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """Which level holds the application now, since when."""
    application = selectors.get_application_for_user(request.user, pk)
    submission = application.submissions.order_by("-revision").first()
    return render(
        request,
        "applications/status.html",
        {
            "application": application,
            "submission": submission,
            "timeline": hooks.timeline(application),  # the chain is review's (applications/hooks.py)
            "unit_rows": _unit_rows(application),
        },
    )


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.get_attachment_for_user(request.user, pk)
    audit(action="attachment_downloaded", actor=request.user, target=attachment, request=request)
    return FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=attachment.original_name,
    )


# --- Unit: achievement approval -----------------------------------------------------------------


@login_required
def unit_achievements(request: HttpRequest) -> HttpResponse:
    if request.user.role not in UNIT_ROLES:
        raise Http404
    pending = list(
        selectors.achievements_for_user(request.user)
        .filter(status=Achievement.Status.PENDING)
        .order_by("created_at", "id")[:200]
    )
    return render(request, "applications/unit_achievements.html", {"pending": pending, "form": DecisionForm()})


@login_required
@require_POST
def unit_achievement_decide(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = selectors.get_achievement_for_user(request.user, pk)
    if request.user.role not in UNIT_ROLES:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择通过或不通过。"))
        return redirect("applications:unit_achievements")
    _decide(
        request,
        services.achievement_decide,
        form,
        success=_("已审核“%(title)s”。") % {"title": achievement.title},
        achievement=achievement,
    )
    return redirect("applications:unit_achievements")


def _decide(request: HttpRequest, service, form, *, success: str, **target) -> None:
    """Run an approve/refuse service for a valid DecisionForm; its refusals become messages."""
    try:
        service(
            actor=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
            request=request,
            **target,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, success)


# --- 市人社局: exceptional promotion (破格) approvals ---------------------------------------------


@login_required
def exceptional_queue(request: HttpRequest) -> HttpResponse:
    """The city bureau's queue of uploaded 破格 forms (004 附件 审批表 “市（厅、局）人事部门意见”)."""
    approvals = selectors.exceptional_approvals_for_user(request.user)
    if request.user.role not in (Role.CITY_REVIEWER, Role.TENANT_ADMIN):
        raise Http404
    # The tenant (its 破格 settings) and the experts' appraisal review records (a reverse one-to-one)
    # come in the same query.
    pending = list(
        approvals.filter(status="pending", file__isnull=False)
        .select_related("application__tenant", "expert_appraisal")
        .order_by("requested_at", "id")[:200]
    )
    for approval in pending:  # the office that commissions the experts' appraisal, where the tenant names one
        approval.appraisal_office = materials.exceptional_commissioner(approval.application)
    decided = list(approvals.exclude(status="pending").order_by("-decided_at", "-id")[:50])
    return render(
        request,
        "applications/exceptional_queue.html",
        {
            "pending": pending,
            "decided": decided,
            "form_source": materials.material_source(request.user.tenant_id, materials.EXCEPTIONAL_FORM),
        },
    )


@login_required
@require_POST
def exceptional_decide(request: HttpRequest, pk: int) -> HttpResponse:
    approval = selectors.get_exceptional_approval_for_user(request.user, pk)
    form = ExceptionalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准或不批准（审批意见不超过500字）。"))
        return redirect("applications:exceptional_queue")
    _decide(
        request,
        services.exceptional_approval_decide,
        form,
        success=_("已审批%(name)s的破格申报审批表。") % {"name": approval.application.applicant.full_name},
        approval=approval,
    )
    return redirect("applications:exceptional_queue")


# --- Unit: materials the unit supplies ------------------------------------------------------------


@login_required
def unit_materials(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit handler uploads the materials the unit supplies for one application (000 八(二))."""
    application = selectors.get_application_for_unit_materials(request.user, pk)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请选择要上传的文件。"))
        else:
            try:
                item = services.unit_material_upload(
                    actor=request.user,
                    application=application,
                    slot=form.cleaned_data["slot"],
                    upload=form.cleaned_data["file"],
                    request=request,
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            except PermissionDenied:
                messages.error(
                    request,
                    _("申报当前状态为“%(status)s”，单位不能再上传材料。")
                    % {"status": application.get_status_display()},
                )
            else:
                messages.success(request, _("已上传“%(name)s”。") % {"name": item.attachment.original_name})
        return redirect("applications:unit_materials", pk=application.pk)
    from applications.permissions import can_supply_unit_materials

    return render(
        request,
        "applications/unit_materials.html",
        {
            "application": application,
            "unit_rows": _unit_rows(application),
            "missing": services.unit_materials_missing(application),
            "can_upload": can_supply_unit_materials(request.user, application),
        },
    )


@login_required
@require_POST
def unit_material_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    application = selectors.get_application_for_unit_materials(request.user, pk)
    item = get_object_or_404(application.files.filter(supplied_by_unit=True), pk=file_pk)
    try:
        services.unit_material_remove(actor=request.user, item=item, request=request)
    except PermissionDenied:
        messages.error(
            request,
            _("申报当前状态为“%(status)s”，单位不能再删除材料。") % {"status": application.get_status_display()},
        )
    else:
        messages.success(request, _("已删除该文件。"))
    return redirect("applications:unit_materials", pk=application.pk)


@login_required
def unit_roster(request: HttpRequest) -> HttpResponse:
    """The unit files its 推荐人员名单 (附件3) for each window that asks for one by a cut-off
    (003_c25e803c7aeb4e62.txt 三(一)3); after the cut-off without a filing, it reads why its
    applications of that window are not reviewed online."""
    from rules.windows import roster_deadlines

    user = request.user
    if user.role not in UNIT_ROLES or user.organisation_id is None or user.tenant_id is None:
        raise Http404
    if request.method == "POST":
        form = RosterFilingForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请选择申报批次和要上传的推荐人员名单文件。"))
        else:
            try:
                filing = services.unit_roster_file(
                    actor=user,
                    window_name=form.cleaned_data["window_name"],
                    upload=form.cleaned_data["file"],
                    request=request,
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("已报送“%(window)s”的推荐人员名单。") % {"window": filing.window_name})
        return redirect("applications:unit_roster")
    now = timezone.now()
    rows = []
    for name, deadline in roster_deadlines(user.tenant.code).items():
        if deadline is None:
            continue
        filing = selectors.roster_filing_of(user.organisation_id, name)
        rows.append(
            {
                "name": name,
                "deadline": deadline,
                "filing": filing,
                "open": now <= deadline,
                "late": now > deadline and (filing is None or filing.filed_at > deadline),
            }
        )
    rows.sort(key=lambda row: row["deadline"], reverse=True)
    return render(request, "applications/unit_roster.html", {"rows": rows, "unit": user.organisation})
