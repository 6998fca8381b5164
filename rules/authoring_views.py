"""Pages for a tenant admin to change the rules: start a draft from the version in force (or from
a file), edit each clause through the form of its kind, attach the policy document, test the
draft against its cases, publish it; compare any two versions and read who changed what.

Thin views: fetch through the scoped getter (another tenant's rule set is 404), call one service,
render. A refused document comes back as :class:`rules.services.DocumentRefused`, whose JSON path
puts the reason next to the input that holds it."""

from __future__ import annotations

import copy
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from rules import services
from rules.bench import cases_of
from rules.clause_editor import KIND_HELP, attach_error, clause_form, read_clause
from rules.diff import compare_documents
from rules.forms import (
    BenchCaseForm,
    DocumentFieldsForm,
    ImportForm,
    JsonDocumentForm,
    NewClauseForm,
    PolicyDocumentForm,
)
from rules.labels import explain_error
from rules.models import RuleSet
from rules.permissions import can_edit_rulesets
from rules.presentation import KIND_TITLES
from rules.selectors import family_history, get_ruleset_for_user, rulesets_for_user
from rules.validation import RuleSetDocumentError, parse_rule_set_text


def _editable(request: HttpRequest, pk: int) -> RuleSet:
    rule_set = get_ruleset_for_user(request.user, pk)
    if not can_edit_rulesets(request.user):
        raise PermissionDenied
    return rule_set


def _draft(request: HttpRequest, pk: int) -> RuleSet | HttpResponse:
    """The draft ``pk``, or the way back to a published version's page (it is not edited)."""
    rule_set = _editable(request, pk)
    if rule_set.status != RuleSet.Status.DRAFT:
        messages.error(request, _("已发布的版本不可修改；请以它为基础新建草稿。"))
        return redirect("rules:ruleset_detail", pk=rule_set.pk)
    return rule_set


def tabs(request: HttpRequest, rule_set: RuleSet, current: str) -> dict[str, Any]:
    """Context of the tabs every page of a version shows."""
    return {"rule_set": rule_set, "tab": current, "can_edit": can_edit_rulesets(request.user)}


def _citations(rule_set: RuleSet) -> list[str]:
    return [document.citation for document in rule_set.documents.all()]


# --- Starting a draft ----------------------------------------------------------------------------


@login_required
@require_POST
def draft_start(request: HttpRequest, pk: int) -> HttpResponse:
    """新建草稿: a copy of this version to edit."""
    base = _editable(request, pk)
    try:
        draft = services.ruleset_start_draft(rule_set=base, actor=request.user, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        existing = services.open_draft(base.code)
        return redirect("rules:draft_edit", pk=existing.pk) if existing else redirect("rules:ruleset_detail", pk=pk)
    messages.success(
        request, _("已新建草稿（第%(version)s版），修改后运行测试用例，全部通过即可发布。") % {"version": draft.version}
    )
    return redirect("rules:draft_edit", pk=draft.pk)


def _read_upload(form: ImportForm) -> Any:
    upload = form.cleaned_data["file"]
    if upload.size > ImportForm.MAX_BYTES:
        raise RuleSetDocumentError("$", _("文件大小为%(size).1fMB，超过上限2MB") % {"size": upload.size / 1048576})
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleSetDocumentError("$", _("文件不是 UTF-8 编码")) from None
    return parse_rule_set_text(text)


@login_required
def ruleset_import(request: HttpRequest) -> HttpResponse:
    """导入规则集文件: the next draft of the rule set the file names, or a new rule set."""
    if not can_edit_rulesets(request.user) or request.user.tenant is None:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        data: Any = None
        try:
            data = _read_upload(form)
            draft = services.ruleset_import(
                actor=request.user, tenant_code=request.user.tenant.code, data=data, request=request
            )
        except RuleSetDocumentError as error:
            refusal = explain_error(data, error.path, error.message)
        except services.DocumentRefused as error:
            refusal = error.explained
        except ValidationError as error:
            refusal = _("；").join(error.messages)
        else:
            messages.success(request, _("已导入为草稿（第%(version)s版）。") % {"version": draft.version})
            return redirect("rules:draft_edit", pk=draft.pk)
        form.add_error("file", refusal)
    return render(request, "rules/ruleset_import.html", {"form": form})


# --- Editing a draft ----------------------------------------------------------------------------


def _document_errors(form: DocumentFieldsForm, error: services.DocumentRefused) -> None:
    target = DocumentFieldsForm.FIELD_PATHS.get(error.field_path)
    form.add_error(target, error.explained)


@login_required
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改草稿: the document's own fields, the list of clauses, the attached policy documents."""
    rule_set = _draft(request, pk)
    if isinstance(rule_set, HttpResponse):
        return rule_set
    data = rule_set.data
    form = DocumentFieldsForm(request.POST or None, initial=DocumentFieldsForm.initial_from(data))
    if request.method == "POST" and form.is_valid():
        try:
            services.ruleset_update_draft(
                rule_set=rule_set, data=form.apply_to(data), actor=request.user, request=request, note="修改文件信息"
            )
        except services.DocumentRefused as error:
            _document_errors(form, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("文件信息已保存。"))
            return redirect("rules:draft_edit", pk=rule_set.pk)
    clauses = [
        {"index": i, "title": str(KIND_TITLES.get(c["kind"], c["kind"])), "label": c.get("label", ""),
         "source": c.get("source", "")}
        for i, c in enumerate(data["checks"])
    ]
    return render(
        request,
        "rules/draft_edit.html",
        {
            **tabs(request, rule_set, "edit"),
            "form": form,
            "clauses": clauses,
            "new_clause_form": NewClauseForm(),
            "documents": rule_set.documents.all(),
            "document_form": PolicyDocumentForm(prefix="policy"),
            "case_count": len(cases_of(data, rule_set.content_hash)),
        },
    )


def _clause_page(request: HttpRequest, rule_set: RuleSet, kind: str, check: dict, index: int,
                 refusal: services.DocumentRefused | None = None) -> HttpResponse:
    nodes = clause_form(kind, check, index)
    top_errors: list[str] = []
    if refusal is not None and not attach_error(nodes, refusal.field_path, refusal.explained):
        top_errors.append(refusal.explained)
    return render(
        request,
        "rules/clause_edit.html",
        {
            **tabs(request, rule_set, "edit"),
            "nodes": nodes,
            "kind": kind,
            "kind_title": str(KIND_TITLES.get(kind, kind)),
            "kind_help": KIND_HELP.get(kind, ""),
            "index": index,
            "is_new": index >= len(rule_set.data["checks"]),
            "top_errors": top_errors,
            "citations": _citations(rule_set),
        },
    )


def _save_clause(request: HttpRequest, rule_set: RuleSet, kind: str, index: int, previous: dict) -> HttpResponse:
    candidate = read_clause(kind, request.POST, previous)
    document = copy.deepcopy(rule_set.data)
    is_new = index >= len(document["checks"])
    if is_new:
        document["checks"].append(candidate)
    else:
        document["checks"][index] = candidate
    with translation.override("zh-hans"):  # the audit note is stored, in Chinese
        note = f"{'新增' if is_new else '修改'}第{index + 1}条“{KIND_TITLES.get(kind, kind)}”"
    try:
        services.ruleset_update_draft(rule_set=rule_set, data=document, actor=request.user, request=request,
                                      note=note)
    except services.DocumentRefused as refusal:
        return _clause_page(request, rule_set, kind, candidate, index, refusal)
    title = KIND_TITLES.get(kind, kind)
    messages.success(request, _("第%(n)s条“%(title)s”已保存。") % {"n": index + 1, "title": title})
    return redirect(reverse("rules:draft_edit", kwargs={"pk": rule_set.pk}) + f"#clause-{index}")


@login_required
def clause_edit(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    rule_set = _draft(request, pk)
    if isinstance(rule_set, HttpResponse):
        return rule_set
    checks = rule_set.data["checks"]
    if not 0 <= index < len(checks):
        raise Http404
    check = checks[index]
    if request.method == "POST":
        return _save_clause(request, rule_set, check["kind"], index, check)
    return _clause_page(request, rule_set, check["kind"], check, index)


@login_required
def clause_new(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = _draft(request, pk)
    if isinstance(rule_set, HttpResponse):
        return rule_set
    chooser = NewClauseForm(request.GET or request.POST or None)
    if not chooser.is_valid():
        messages.error(request, _("请选择要新增的检查类型。"))
        return redirect("rules:draft_edit", pk=rule_set.pk)
    kind = chooser.cleaned_data["kind"]
    index = len(rule_set.data["checks"])
    if request.method == "POST" and "p.source" in request.POST:
        return _save_clause(request, rule_set, kind, index, {})
    return _clause_page(request, rule_set, kind, {"kind": kind}, index)


@login_required
@require_POST
def clause_delete(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    rule_set = _draft(request, pk)
    if isinstance(rule_set, HttpResponse):
        return rule_set
    document = copy.deepcopy(rule_set.data)
    if not 0 <= index < len(document["checks"]):
        raise Http404
    removed = document["checks"].pop(index)
    title = KIND_TITLES.get(removed["kind"], removed["kind"])
    with translation.override("zh-hans"):  # the audit note is stored, in Chinese
        note = f"删除第{index + 1}条“{title}”"
    try:
        services.ruleset_update_draft(rule_set=rule_set, data=document, actor=request.user, request=request,
                                      note=note)
    except services.DocumentRefused as refusal:
        messages.error(request, refusal.explained)
    else:
        messages.success(request, _("已删除第%(n)s条“%(title)s”。") % {"n": index + 1, "title": title})
    return redirect("rules:draft_edit", pk=rule_set.pk)


@login_required
def json_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole document as JSON, for experts; validated exactly like the forms."""
    rule_set = _editable(request, pk)
    editable = rule_set.status == RuleSet.Status.DRAFT
    text = json.dumps(rule_set.data, ensure_ascii=False, indent=2)
    form = JsonDocumentForm(request.POST or None, initial={"document": text})
    if request.method == "POST":
        if not editable:
            messages.error(request, _("已发布的版本不可修改；请以它为基础新建草稿。"))
            return redirect("rules:ruleset_detail", pk=rule_set.pk)
        if form.is_valid():
            data: Any = None
            try:
                data = parse_rule_set_text(form.cleaned_data["document"])
                services.ruleset_update_draft(rule_set=rule_set, data=data, actor=request.user, request=request,
                                              note="在 JSON 编辑器中修改")
            except RuleSetDocumentError as error:
                form.add_error("document", explain_error(data, error.path, error.message))
            except services.DocumentRefused as error:
                form.add_error("document", error.explained)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("rules:json_edit", pk=rule_set.pk)
    context = {**tabs(request, rule_set, "json"), "form": form, "editable": editable}
    return render(request, "rules/json_edit.html", context)


@login_required
def json_download(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = get_ruleset_for_user(request.user, pk)
    body = json.dumps(rule_set.data, ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{rule_set.code}-v{rule_set.version}.json"'
    return response


# --- Policy documents ---------------------------------------------------------------------------


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = _draft(request, pk)
    if isinstance(rule_set, HttpResponse):
        return rule_set
    form = PolicyDocumentForm(request.POST, request.FILES, prefix="policy")
    if form.is_valid():
        try:
            document = services.ruleset_attach_document(
                rule_set=rule_set, upload=form.cleaned_data["file"], title=form.cleaned_data["title"],
                document_number=form.cleaned_data["document_number"], actor=request.user, request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已上传“%(title)s”；各条规则的出处可写“%(citation)s 某条款”。") % {
            "title": document.title, "citation": document.citation})
            return redirect(reverse("rules:draft_edit", kwargs={"pk": rule_set.pk}) + "#documents")
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}：{message}" if label else message)
    return redirect(reverse("rules:draft_edit", kwargs={"pk": rule_set.pk}) + "#documents")


@login_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    rule_set = get_ruleset_for_user(request.user, pk)
    document = get_object_or_404(rule_set.documents, pk=document_pk)
    return FileResponse(document.file.open("rb"), content_type="application/pdf", as_attachment=False,
                        filename=document.original_name)


@login_required
@require_POST
def document_detach(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    rule_set = _draft(request, pk)
    if isinstance(rule_set, HttpResponse):
        return rule_set
    document = get_object_or_404(rule_set.documents, pk=document_pk)
    try:
        services.ruleset_detach_document(rule_set=rule_set, document=document, actor=request.user, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已从本版本移除“%(title)s”。") % {"title": document.title})
    return redirect(reverse("rules:draft_edit", kwargs={"pk": rule_set.pk}) + "#documents")


# --- The bench and publishing ---------------------------------------------------------------------


@login_required
def bench(request: HttpRequest, pk: int) -> HttpResponse:
    """测试用例: every case run against this version; on a draft, a form to add one."""
    rule_set = get_ruleset_for_user(request.user, pk)
    editable = rule_set.status == RuleSet.Status.DRAFT and can_edit_rulesets(request.user)
    form = BenchCaseForm(request.POST or None) if editable else None
    if request.method == "POST":
        if not can_edit_rulesets(request.user):
            raise PermissionDenied
        if form is None:
            messages.error(request, _("已发布的版本不能添加测试用例；请以它为基础新建草稿。"))
            return redirect("rules:bench", pk=rule_set.pk)
        if form.is_valid():
            try:
                profile = form.profile()
            except ValueError as error:
                form.add_error("profile_json", _("不是有效的JSON：%(error)s") % {"error": error})
            else:
                from rules.bench import case_from_decision

                case = case_from_decision(form.cleaned_data["name"].strip(), profile,
                                          form.cleaned_data["expected_eligible"],
                                          form.cleaned_data.get("expected_earliest"))
                try:
                    services.ruleset_add_case(rule_set=rule_set, case=case, actor=request.user, request=request)
                except services.DocumentRefused as error:
                    form.add_error("profile_json" if ".profile" in error.path else "name", error.explained)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("已添加测试用例“%(name)s”。") % {"name": case["name"]})
                    return redirect(reverse("rules:bench", kwargs={"pk": rule_set.pk}) + "#results")
    result = services.ruleset_bench(rule_set)
    return render(
        request,
        "rules/bench.html",
        {**tabs(request, rule_set, "bench"), "result": result, "form": form, "editable": editable,
         "can_publish": editable and result.passed,
         "rows": [(o, json.dumps(c.get("profile"), ensure_ascii=False, indent=1))
                  for o, c in zip(result.outcomes, cases_of(rule_set.data, rule_set.content_hash), strict=True)]},
    )


@login_required
@require_POST
def case_delete(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    rule_set = _draft(request, pk)
    if isinstance(rule_set, HttpResponse):
        return rule_set
    try:
        services.ruleset_remove_case(rule_set=rule_set, index=index, actor=request.user, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已删除测试用例。"))
    return redirect(reverse("rules:bench", kwargs={"pk": rule_set.pk}) + "#results")


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = _draft(request, pk)
    if isinstance(rule_set, HttpResponse):
        return rule_set
    try:
        published = services.ruleset_publish(rule_set=rule_set, actor=request.user, request=request)
    except services.BenchFailed as error:
        messages.error(request, error.result.refusal())
        return redirect(reverse("rules:bench", kwargs={"pk": rule_set.pk}) + "#results")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("rules:ruleset_detail", pk=rule_set.pk)
    messages.success(
        request, _("第%(version)s版已发布：新的申报和“我能申报吗”从现在起按它判断。") % {"version": published.version}
    )
    return redirect("rules:ruleset_detail", pk=published.pk)


@login_required
@require_POST
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = _draft(request, pk)
    if isinstance(rule_set, HttpResponse):
        return rule_set
    version = rule_set.version
    services.ruleset_delete_draft(rule_set=rule_set, actor=request.user, request=request)
    messages.success(request, _("已删除草稿（第%(version)s版）。") % {"version": version})
    return redirect("rules:ruleset_list")


# --- Differences and history ----------------------------------------------------------------------


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions side by side: this one and ``?with=`` (by default the one before it)."""
    rule_set = get_ruleset_for_user(request.user, pk)
    versions = list(
        rulesets_for_user(request.user).filter(code=rule_set.code).order_by("-version")
        .only("pk", "version", "status", "name", "code", "tenant_code")
    )
    other_pk = request.GET.get("with", "")
    other = None
    if other_pk.isdigit():
        other = next((v for v in versions if v.pk == int(other_pk)), None)
        if other is None:
            raise Http404
    else:
        other = next((v for v in versions if v.version < rule_set.version), None)
    older, newer = (other, rule_set) if other is None or other.version <= rule_set.version else (rule_set, other)
    changes = []
    if older is not None and older.pk != newer.pk:
        rows = {row.pk: row for row in RuleSet.objects.filter(pk__in=[older.pk, newer.pk])}
        older, newer = rows[older.pk], rows[newer.pk]
        changes = compare_documents(older.data, newer.data)
    return render(
        request,
        "rules/compare.html",
        {**tabs(request, rule_set, "compare"), "versions": versions, "older": older, "newer": newer, "changes": changes,
         "other": other},
    )


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """修改记录: who changed what and when, from the audit log, for every version of the rule set."""
    rule_set = get_ruleset_for_user(request.user, pk)
    context = {**tabs(request, rule_set, "history"), "events": family_history(rule_set)}
    return render(request, "rules/history.html", context)
