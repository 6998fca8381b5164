"""Tenant configuration pages. Every change takes the tenant's current export, changes one
section from a form and applies the whole document with ``tenant_apply`` (one transaction, a new
version and an audit row when something changed); a refusal is shown next to the field it names.

The platform admin lists tenants, creates them (upload or form) and reads every tenant's
versions; a tenant admin edits their own tenant and reads its versions. Anything else is 404."""

from __future__ import annotations

import copy
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from core.forms import add_service_errors
from core.schemas import DocumentError
from units import tenant_import
from units.models import Organisation, Tenant
from units.permissions import can_configure_tenant, can_manage_tenants
from units.selectors import (
    get_tenant_for_configuration,
    get_tenant_for_history,
    get_tenant_version,
    previous_tenant_version,
    tenant_versions,
    tenants_with_versions,
)
from units.tenant_diff import diff_documents
from units.tenant_documents import ApplyResult, tenant_apply, tenant_export
from units.tenant_forms import (
    ChainForm,
    DistrictForm,
    DistrictRenameForm,
    DocumentUploadForm,
    OrganisationForm,
    OrganisationImportForm,
    RuleSetUploadForm,
    SettingsForm,
    StaffForm,
    TenantCreateForm,
    WindowForm,
)
from units.tenant_labels import CHAIN_LEVELS, chain_level_text, describe_error, recurring_text, value_text

STALE = gettext_lazy("本地区配置已被他人修改为第{version}版，请刷新页面后重新填写。")


def _platform_admin(request: HttpRequest) -> None:
    if not can_manage_tenants(request.user):
        raise Http404


def _no_store(response: HttpResponse) -> HttpResponse:
    """Pages showing one-time passwords are never cached, so the passwords show only once."""
    response["Cache-Control"] = "no-store"
    return response


def _apply(request: HttpRequest, tenant: Tenant, form, document: dict[str, Any], note: str) -> ApplyResult | None:
    """Apply ``document``; on a refusal put the error on ``form`` and write nothing."""
    base = form.cleaned_data.get("base_version")
    if base is not None and base != tenant.version:
        form.add_error(None, STALE.format(version=tenant.version))
        return None
    try:
        result = tenant_apply(document=document, actor=request.user, note=note, request=request)
    except DocumentError as error:
        form.show_error(error, document)
        return None
    if result.changed:
        saved = gettext("已保存（第%(version)s版）：%(note)s。") % {"version": result.version, "note": note}
        messages.success(request, saved)
    else:
        messages.info(request, gettext("没有改动，未生成新版本。"))
    return result


def _edit(request: HttpRequest, tenant: Tenant, form) -> ApplyResult | None:
    """Run ``form.edit`` on the current export and apply it."""
    document = copy.deepcopy(tenant_export(tenant=tenant))
    try:
        note = form.edit(document)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    return _apply(request, tenant, form, document, note)


def _created_page(request, *, tenant: Tenant, result: ApplyResult, title: str, back: str) -> HttpResponse:
    return _no_store(
        render(
            request,
            "units/tenants/created.html",
            {"tenant": tenant, "result": result, "title": title, "back": back},
        )
    )


def _base(tenant: Tenant) -> dict[str, Any]:
    return {"base_version": tenant.version}


# --- Platform admin ------------------------------------------------------------------------------


@login_required
def tenant_list(request: HttpRequest) -> HttpResponse:
    _platform_admin(request)
    return render(request, "units/tenants/list.html", {"tenants": tenants_with_versions()})


@login_required
def tenant_create(request: HttpRequest) -> HttpResponse:
    _platform_admin(request)
    how = request.POST.get("how") if request.method == "POST" else None
    upload_form = DocumentUploadForm(
        request.POST if how == "upload" else None, request.FILES if how == "upload" else None, prefix="upload"
    )
    create_form = TenantCreateForm(request.POST if how == "form" else None, prefix="create")
    result = None
    if how == "upload" and upload_form.is_valid():
        document = upload_form.cleaned_data["document"]
        code = document.get("code")
        if isinstance(code, str) and Tenant.objects.filter(code=code).exists():
            upload_form.add_error("file", gettext(
                "租户代码“%(code)s”已存在。如需更新该租户，请在其页面上传新版本。"
            ) % {"code": code})
        else:
            result = _apply_upload(
                request, upload_form, document, upload_form.cleaned_data["note"] or "上传租户文档创建"
            )
    elif how == "form" and create_form.is_valid():
        document = create_form.document()
        try:
            result = tenant_apply(document=document, actor=request.user, note="新建租户", request=request)
        except DocumentError as error:
            create_form.show_error(error, document)
    if result is not None:
        return _created_page(
            request,
            tenant=result.tenant,
            result=result,
            title=gettext("已创建租户：%(name)s") % {"name": result.tenant.name},
            back=reverse("units:tenant_home", kwargs={"code": result.tenant.code}),
        )
    return render(request, "units/tenants/create.html", {"upload_form": upload_form, "create_form": create_form})


def _apply_upload(request, form, document, note) -> ApplyResult | None:
    try:
        return tenant_apply(document=document, actor=request.user, note=note, request=request)
    except DocumentError as error:
        form.add_error("file", gettext("文档有误，未作任何修改。") + describe_error(error, document, with_path=True))
        return None


@login_required
def tenant_upload(request: HttpRequest, code: str) -> HttpResponse:
    """The platform admin replaces a tenant's document with an uploaded one (same code)."""
    tenant = get_tenant_for_history(request.user, code)
    _platform_admin(request)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data["document"]
        if document.get("code") != tenant.code:
            form.add_error("file", gettext(
                "文档的租户代码为“%(get)s”，与本租户“%(code)s”不一致。"
            ) % {"get": document.get('code'), "code": tenant.code})
        else:
            result = _apply_upload(request, form, document, form.cleaned_data["note"] or "上传租户文档")
            if result is not None:
                if result.staff_created:
                    return _created_page(
                        request,
                        tenant=tenant,
                        result=result,
                        title=gettext("已更新租户：%(name)s") % {"name": tenant.name},
                        back=reverse("units:tenant_home", kwargs={"code": tenant.code}),
                    )
                messages.success(
                    request,
                    gettext("已更新为第%(version)s版。") % {
                        "version": result.version,
                    } if result.changed else gettext("文档与当前配置相同，未生成新版本。"),
                )
                return redirect("units:tenant_home", code=tenant.code)
    return render(request, "units/tenants/upload.html", {"tenant": tenant, "form": form})


# --- Overview and versions (platform admin, and the tenant's own admin) ------------------------


@login_required
def tenant_home(request: HttpRequest, code: str) -> HttpResponse:
    tenant = get_tenant_for_history(request.user, code)
    return render(
        request,
        "units/tenants/home.html",
        {
            "tenant": tenant,
            "can_configure": can_configure_tenant(request.user, tenant),
            "is_platform_admin": can_manage_tenants(request.user),
            "recent": tenant_versions(tenant)[:5],
            "chain": [chain_level_text(item) for item in tenant_export_chain(tenant)],
            "counts": {
                "districts": tenant.districts.count(),
                "organisations": tenant.organisations.count(),
                "staff": User.objects.filter(tenant=tenant).exclude(role__in=[Role.APPLICANT]).count(),
            },
        },
    )


def tenant_export_chain(tenant: Tenant) -> list[dict[str, Any]]:
    from units.tenant_settings import chain_of

    return chain_of(tenant)


@login_required
def tenant_version_list(request: HttpRequest, code: str) -> HttpResponse:
    tenant = get_tenant_for_history(request.user, code)
    page = Paginator(tenant_versions(tenant), 50).get_page(request.GET.get("page"))
    return render(request, "units/tenants/versions.html", {"tenant": tenant, "page": page})


@login_required
def tenant_version_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    tenant = get_tenant_for_history(request.user, code)
    version = get_tenant_version(tenant, number)
    previous = previous_tenant_version(version)
    sections = diff_documents(previous.document if previous else None, version.document)
    return render(
        request,
        "units/tenants/version.html",
        {
            "tenant": tenant,
            "version": version,
            "previous": previous,
            "sections": sections,
            "changed": any(section.rows for section in sections),
        },
    )


@login_required
def tenant_version_download(request: HttpRequest, code: str, number: int) -> HttpResponse:
    tenant = get_tenant_for_history(request.user, code)
    version = get_tenant_version(tenant, number)
    body = json.dumps(version.document, ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{tenant.code}-v{version.number}.json"
    return response


# --- Tenant admin: settings ----------------------------------------------------------------------


@login_required
def tenant_settings(request: HttpRequest, code: str) -> HttpResponse:
    tenant = get_tenant_for_configuration(request.user, code)
    current = tenant_export(tenant=tenant)["settings"]
    form = SettingsForm(request.POST or None, current=current, initial=_base(tenant))
    if request.method == "POST" and form.is_valid() and _edit(request, tenant, form):
        return redirect("units:tenant_settings", code=tenant.code)
    return render(request, "units/tenants/settings.html", {"tenant": tenant, "form": form, "current": "settings"})


# --- Districts -----------------------------------------------------------------------------------


@login_required
def tenant_districts(request: HttpRequest, code: str) -> HttpResponse:
    tenant = get_tenant_for_configuration(request.user, code)
    document = tenant_export(tenant=tenant)
    action = request.POST.get("action") if request.method == "POST" else None
    add_form = DistrictForm(request.POST if action == "add" else None, initial=_base(tenant), prefix="add")
    rename_forms = []
    for item in document["districts"]:
        bound = action == "rename" and request.POST.get("rename-code") == item["code"]
        rename_forms.append(
            (
                item,
                DistrictRenameForm(
                    request.POST if bound else None,
                    prefix="rename",
                    initial={**_base(tenant), "code": item["code"], "name": item["name"]},
                    auto_id=f"id_rename_{item['code']}_%s",
                ),
            )
        )
    form = add_form if action == "add" else next((f for _, f in rename_forms if f.is_bound), None)
    if form is not None and form.is_valid() and _edit(request, tenant, form):
        return redirect("units:tenant_districts", code=tenant.code)
    return render(
        request,
        "units/tenants/districts.html",
        {"tenant": tenant, "form": add_form, "rename_forms": rename_forms, "current": "districts"},
    )


# --- Organisations -------------------------------------------------------------------------------


def _organisation_rows(tenant: Tenant, document: dict[str, Any]) -> list[dict[str, Any]]:
    """The document's organisations with their row ids (for the edit links) and readable values."""
    ids = {org.key or f"org-{org.pk}": org.pk for org in Organisation.objects.filter(tenant=tenant).only("id", "key")}
    districts = {item["code"]: item["name"] for item in document["districts"]}
    names = {item["key"]: item["name"] for item in document["organisations"]}
    rows = []
    for item in document["organisations"]:
        rows.append(
            {
                **item,
                "pk": ids.get(item["key"]),
                "kind_label": value_text("kind", item["kind"]),
                "unit_kind_label": value_text("unit_kind", item["unit_kind"]) if item.get("unit_kind") else "",
                "district_name": districts.get(item.get("district"), ""),
                "department_name": names.get(item.get("competent_department"), ""),
            }
        )
    return rows


@login_required
def tenant_organisations(request: HttpRequest, code: str) -> HttpResponse:
    tenant = get_tenant_for_configuration(request.user, code)
    document = tenant_export(tenant=tenant)
    form = OrganisationForm(request.POST or None, document=document, initial=_base(tenant))
    if request.method == "POST" and form.is_valid() and _edit(request, tenant, form):
        return redirect("units:tenant_organisations", code=tenant.code)
    kind = request.GET.get("kind", "")
    rows = [row for row in _organisation_rows(tenant, document) if not kind or row["kind"] == kind]
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "units/tenants/organisations.html",
        {
            "tenant": tenant,
            "form": form,
            "page": page,
            "kind": kind,
            "kinds": Organisation.Kind.choices,
            "current": "organisations",
        },
    )


def _organisation_entry(tenant: Tenant, document: dict[str, Any], pk: int) -> dict[str, Any]:
    org = get_object_or_404(Organisation.objects.only("id", "key"), tenant=tenant, pk=pk)
    key = org.key or f"org-{org.pk}"
    entry = next((item for item in document["organisations"] if item["key"] == key), None)
    if entry is None:  # a unit whose registration is pending or was refused: not configuration
        raise Http404
    return entry


@login_required
def tenant_organisation_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    tenant = get_tenant_for_configuration(request.user, code)
    document = tenant_export(tenant=tenant)
    entry = _organisation_entry(tenant, document, pk)
    form = OrganisationForm(request.POST or None, document=document, existing=entry)
    if not form.is_bound:
        form.initial["base_version"] = tenant.version
    if request.method == "POST" and form.is_valid() and _edit(request, tenant, form):
        return redirect("units:tenant_organisations", code=tenant.code)
    return render(
        request,
        "units/tenants/organisation_edit.html",
        {
            "tenant": tenant,
            "form": form,
            "entry": entry,
            "kind_label": value_text("kind", entry["kind"]),
            "current": "organisations",
        },
    )


@login_required
def tenant_organisations_import(request: HttpRequest, code: str) -> HttpResponse:
    tenant = get_tenant_for_configuration(request.user, code)
    form = OrganisationImportForm(request.POST or None, request.FILES or None)
    problems: list[tenant_import.Problem] = []
    if request.method == "POST" and form.is_valid():
        document = copy.deepcopy(tenant_export(tenant=tenant))
        try:
            records = tenant_import.read_rows(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            checked = tenant_import.check_rows(records, tenant=tenant, document=document)
            problems = checked.problems
            if not problems:
                rows = tenant_import.add_to_document(document, checked.specs)
                note = f"导入单位{len(checked.specs)}个（{form.cleaned_data['file'].name[:80]}）"
                try:
                    result = tenant_apply(document=document, actor=request.user, note=note, request=request)
                except DocumentError as error:
                    problems = [_import_problem(error, rows, document)]
                else:
                    if result.changed:
                        messages.success(request, gettext(
                            "已导入%(count)s个单位（第%(version)s版）。"
                        ) % {"count": len(checked.specs), "version": result.version})
                    else:
                        messages.info(request, gettext("名单中的单位与当前配置相同，未生成新版本。"))
                    return redirect("units:tenant_organisations", code=tenant.code)
    return render(
        request,
        "units/tenants/organisations_import.html",
        {
            "tenant": tenant,
            "form": form,
            "problems": problems,
            "columns": tenant_import.headers(),
            "current": "organisations",
        },
    )


def _import_problem(error: DocumentError, rows: dict[int, int], document) -> tenant_import.Problem:
    from units.tenant_labels import parse_path

    parts = parse_path(error.path)
    if parts[:1] == ["organisations"] and len(parts) > 1 and parts[1] in rows:
        column = tenant_import.FIELD_COLUMNS.get(str(parts[2]) if len(parts) > 2 else "", gettext("整行"))
        return tenant_import.Problem(rows[parts[1]], column, error.message)
    return tenant_import.Problem(0, gettext("整个名单"), describe_error(error, document))


@login_required
def tenant_organisations_template(request: HttpRequest, code: str) -> HttpResponse:
    tenant = get_tenant_for_configuration(request.user, code)
    response = HttpResponse(
        tenant_import.template_workbook(tenant_export(tenant=tenant)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''organisations-template.xlsx"
    return response


# --- Staff ---------------------------------------------------------------------------------------


def _staff_rows(tenant: Tenant, document: dict[str, Any]) -> list[dict[str, Any]]:
    ids = dict(User.objects.filter(tenant=tenant, username__isnull=False).values_list("username", "id"))
    names = {item["key"]: item["name"] for item in document["organisations"]}
    return [
        {
            **item,
            "pk": ids.get(item["username"]),
            "role_label": value_text("role", item["role"]),
            "organisation_name": names.get(item.get("organisation"), ""),
            "is_active": item.get("active", True),
        }
        for item in document["staff"]
    ]


@login_required
def tenant_staff(request: HttpRequest, code: str) -> HttpResponse:
    tenant = get_tenant_for_configuration(request.user, code)
    document = tenant_export(tenant=tenant)
    form = StaffForm(request.POST or None, document=document, initial=_base(tenant))
    if request.method == "POST" and form.is_valid():
        result = _edit(request, tenant, form)
        if result is not None:
            if result.staff_created:
                return _created_page(
                    request,
                    tenant=tenant,
                    result=result,
                    title=gettext("已创建工作人员账号"),
                    back=reverse("units:tenant_staff", kwargs={"code": tenant.code}),
                )
            return redirect("units:tenant_staff", code=tenant.code)
    role = request.GET.get("role", "")
    rows = [row for row in _staff_rows(tenant, document) if not role or row["role"] == role]
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "units/tenants/staff.html",
        {
            "tenant": tenant,
            "form": form,
            "page": page,
            "role": role,
            "roles": [(value, label) for value, label in Role.choices if value not in ("applicant", "platform_admin")],
            "current": "staff",
        },
    )


@login_required
def tenant_staff_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    tenant = get_tenant_for_configuration(request.user, code)
    document = tenant_export(tenant=tenant)
    person = get_object_or_404(
        User.objects.exclude(role__in=[Role.APPLICANT, Role.PLATFORM_ADMIN]).only("id", "username"),
        tenant=tenant,
        pk=pk,
    )
    entry = next((item for item in document["staff"] if item["username"] == person.username), None)
    if entry is None:
        raise Http404
    form = StaffForm(request.POST or None, document=document, existing=entry, actor_username=request.user.username)
    if not form.is_bound:
        form.initial["base_version"] = tenant.version
    if request.method == "POST" and form.is_valid() and _edit(request, tenant, form):
        return redirect("units:tenant_staff", code=tenant.code)
    return render(
        request,
        "units/tenants/staff_edit.html",
        {"tenant": tenant, "form": form, "entry": entry, "current": "staff"},
    )


# --- Chain ---------------------------------------------------------------------------------------


@login_required
def tenant_chain(request: HttpRequest, code: str) -> HttpResponse:
    tenant = get_tenant_for_configuration(request.user, code)
    document = tenant_export(tenant=tenant)
    form = ChainForm(request.POST or None, chain=document["chain"], base_version=tenant.version)
    if request.method == "POST" and form.is_valid():
        document = copy.deepcopy(document)
        note = form.edit(document)
        base = form.cleaned_data.get("base_version")
        if base is not None and base != tenant.version:
            form.base.add_error(None, STALE.format(version=tenant.version))
        else:
            try:
                result = tenant_apply(document=document, actor=request.user, note=note, request=request)
            except DocumentError as error:
                form.show_error(error, document)
            else:
                if result.changed:
                    messages.success(request, gettext("已保存（第%(version)s版）：%(note)s。") % {
                        "version": result.version,
                        "note": note,
                    })
                else:
                    messages.info(request, gettext("没有改动，未生成新版本。"))
                return redirect("units:tenant_chain", code=tenant.code)
    return render(
        request,
        "units/tenants/chain.html",
        {
            "tenant": tenant,
            "form": form,
            "levels": CHAIN_LEVELS,
            "chain": [chain_level_text(item) for item in document["chain"]],
            "current": "chain",
        },
    )


# --- Windows -------------------------------------------------------------------------------------


def _window_rows(tenant: Tenant, document: dict[str, Any]) -> list[dict[str, Any]]:
    from rules.models import DeclarationWindow

    ids = dict(DeclarationWindow.objects.filter(tenant_code=tenant.code).values_list("name", "id"))
    rows = []
    for item in document["windows"]:
        if item.get("recurring"):
            when = recurring_text(item["recurring"])
        else:
            opens = value_text("opens_at", item["opens_at"])
            when = gettext("%(opens)s 至 %(value_text)s") % {
                "opens": opens,
                "value_text": value_text('submit_closes_at', item['submit_closes_at']),
            }
        rows.append(
            {
                **item,
                "pk": ids.get(item["name"]),
                "when": when,
                "return_text": value_text("return_closes_at", item["return_closes_at"])
                if item.get("return_closes_at")
                else "",
                "review_text": value_text("review_closes_at", item["review_closes_at"])
                if item.get("review_closes_at")
                else "",
                "covers": gettext("；").join(
                    part
                    for part in (
                        value_text("series", item.get("series")) if item.get("series") else "",
                        value_text("levels", item.get("levels")) if item.get("levels") else "",
                    )
                    if part
                )
                or gettext("全部系列和级别"),
            }
        )
    return rows


@login_required
def tenant_windows(request: HttpRequest, code: str) -> HttpResponse:
    tenant = get_tenant_for_configuration(request.user, code)
    document = tenant_export(tenant=tenant)
    form = WindowForm(request.POST or None, initial=_base(tenant))
    if request.method == "POST" and form.is_valid() and _edit(request, tenant, form):
        return redirect("units:tenant_windows", code=tenant.code)
    return render(
        request,
        "units/tenants/windows.html",
        {"tenant": tenant, "form": form, "rows": _window_rows(tenant, document), "current": "windows"},
    )


def _window_entry(tenant: Tenant, document: dict[str, Any], pk: int) -> dict[str, Any]:
    from rules.models import DeclarationWindow

    row = get_object_or_404(DeclarationWindow.objects.only("id", "name"), tenant_code=tenant.code, pk=pk)
    entry = next((item for item in document["windows"] if item["name"] == row.name), None)
    if entry is None:
        raise Http404
    return entry


@login_required
def tenant_window_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    tenant = get_tenant_for_configuration(request.user, code)
    document = tenant_export(tenant=tenant)
    entry = _window_entry(tenant, document, pk)
    form = WindowForm(request.POST or None, existing=entry)
    if not form.is_bound:
        form.initial["base_version"] = tenant.version
    if request.method == "POST" and form.is_valid() and _edit(request, tenant, form):
        return redirect("units:tenant_windows", code=tenant.code)
    return render(
        request,
        "units/tenants/window_edit.html",
        {"tenant": tenant, "form": form, "entry": entry, "pk": pk, "current": "windows"},
    )


class _DeleteForm:
    """Carries a refusal of a delete to the page (no fields)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def show_error(self, error: DocumentError, document) -> None:
        self.problems.append(describe_error(error, document))


@login_required
@require_POST
def tenant_window_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    tenant = get_tenant_for_configuration(request.user, code)
    document = copy.deepcopy(tenant_export(tenant=tenant))
    entry = _window_entry(tenant, document, pk)
    document["windows"] = [item for item in document["windows"] if item["name"] != entry["name"]]
    holder = _DeleteForm()
    try:
        result = tenant_apply(
            document=document, actor=request.user, note=f"删除申报批次：{entry['name']}", request=request
        )
    except DocumentError as error:
        holder.show_error(error, document)
        messages.error(request, gettext("未能删除：") + gettext("；").join(holder.problems))
    else:
        messages.success(request, gettext(
            "已删除申报批次“%(name)s”（第%(version)s版）。"
        ) % {"name": entry['name'], "version": result.version})
    return redirect("units:tenant_windows", code=tenant.code)


# --- Rule sets -----------------------------------------------------------------------------------


@login_required
def tenant_rulesets(request: HttpRequest, code: str) -> HttpResponse:
    from rules.models import RuleSet

    tenant = get_tenant_for_configuration(request.user, code)
    form = RuleSetUploadForm(
        request.POST or None, request.FILES or None, tenant_code=tenant.code, initial=_base(tenant)
    )
    if request.method == "POST" and form.is_valid() and _edit(request, tenant, form):
        return redirect("units:tenant_rulesets", code=tenant.code)
    newest: dict[str, RuleSet] = {}
    for row in (
        RuleSet.objects.filter(tenant_code=tenant.code, status=RuleSet.Status.PUBLISHED)
        .defer("data")
        .order_by("code", "-version")
    ):
        newest.setdefault(row.code, row)
    return render(
        request,
        "units/tenants/rulesets.html",
        {"tenant": tenant, "form": form, "rulesets": list(newest.values()), "current": "rulesets"},
    )
