"""Pages for bureau staff: the rule sets of their tenant, readable, with every clause cited."""

from __future__ import annotations

import re
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from core.forms import add_service_errors
from rules import services
from rules.authoring_views import tabs
from rules.catalog import compile_rule_set
from rules.forms import CalendarOverrideForm, ImportForm
from rules.materials import MaterialItem
from rules.models import CalendarOverride, DeclarationWindow, RuleSet
from rules.permissions import can_edit_rulesets, can_view_rulesets
from rules.presentation import cited_rows, rule_rows
from rules.selectors import get_ruleset_for_user, rulesets_for_user
from rules.windows import window_status


@login_required
def ruleset_list(request: HttpRequest) -> HttpResponse:
    """Every version of the tenant's rule sets, grouped by rule set: the one in force, an open
    draft, and for admins the way to start a new one or import a file."""
    if not can_view_rulesets(request.user):
        raise PermissionDenied
    rule_sets = list(
        rulesets_for_user(request.user)
        .only("pk", "code", "name", "version", "status", "document_number", "effective_from", "effective_to",
              "tenant_code", "published_at")
        .order_by("tenant_code", "code", "-version")
    )
    families: dict[str, dict] = {}
    for row in rule_sets:
        family = families.setdefault(row.code, {"code": row.code, "versions": [], "in_force": None, "draft": None})
        family["versions"].append(row)
        if row.status == RuleSet.Status.PUBLISHED and family["in_force"] is None:
            family["in_force"] = row
        if row.status == RuleSet.Status.DRAFT and family["draft"] is None:
            family["draft"] = row
    can_edit = can_edit_rulesets(request.user)
    return render(
        request,
        "rules/ruleset_list.html",
        {
            "rule_sets": rule_sets,
            "families": list(families.values()),
            "can_edit": can_edit,
            "import_form": ImportForm() if can_edit and getattr(request.user, "tenant_id", None) else None,
        },
    )


@login_required
def ruleset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_ruleset_for_user(request.user, pk)
    data = compile_rule_set(row.data, row.content_hash)
    materials = [
        MaterialItem(
            id=m["id"],
            kind=m["kind"],
            name=m["name"],
            required=bool(m.get("required")),
            source=m["source"],
            note=m.get("note", ""),
        )
        for m in data.materials
    ]
    versions = list(
        rulesets_for_user(request.user).filter(code=row.code).only("pk", "version", "status", "published_at")
    )
    documents = list(row.documents.all())
    return render(
        request,
        "rules/ruleset_detail.html",
        {
            **tabs(request, row, "detail"),
            "data": data,
            "rows": cited_rows(rule_rows(data), documents),
            "materials": materials,
            "versions": versions,
            "documents": documents,
            "draft": next((v for v in versions if v.status == RuleSet.Status.DRAFT), None),
            "in_force": next((v for v in versions if v.status == RuleSet.Status.PUBLISHED), None),
        },
    )


# A recurring window's instance is named "2027年1月" + the window's stored name (rules.windows).
_MONTHLY_NAME = re.compile(r"^(\d{4})年(\d{1,2})月(.+)$")


def _shown_window_name(name: str, recurring: set[str]) -> str:
    """The name of a recurring window's instance in the page's language (the stored name stays)."""
    match = _MONTHLY_NAME.match(name or "")
    if not match or match[3] not in recurring:
        return name
    return gettext("%(year)s年%(month)s月%(name)s") % {"year": match[1], "month": match[2], "name": match[3]}


@login_required
def windows(request: HttpRequest) -> HttpResponse:
    """The tenant's declaration windows and whether each deadline is open now. Windows are part of
    the tenant's document: they are changed on the tenant admin's 地区配置 pages (one write path,
    every change a version), which this page links to."""
    if not can_view_rulesets(request.user) or request.user.tenant is None:
        raise Http404
    if request.method != "GET":
        raise Http404
    tenant_code = request.user.tenant.code
    status = window_status(tenant_code, timezone.now())
    current = status["window"]
    rows = list(DeclarationWindow.objects.filter(tenant_code=tenant_code).order_by("id")[:50])
    if current:
        # Shown as dates, never as ISO strings.
        current = {key: datetime.fromisoformat(value) if key.endswith("_at") and value else value
                   for key, value in current.items()}
        current["name"] = _shown_window_name(current.get("name", ""), {w.name for w in rows if w.recurrence})
    return render(
        request,
        "rules/windows.html",
        {
            "can_edit": can_edit_rulesets(request.user),
            "status": status,
            "current": current,
            "windows": rows,
        },
    )


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """Corrections to the working-day calendar, which decides publicity periods and lead times."""
    if not can_view_rulesets(request.user):
        raise Http404
    form = CalendarOverrideForm(request.POST or None) if can_edit_rulesets(request.user) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.calendar_override_set(actor=request.user, request=request, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, gettext("工作日历调整已保存。"))
                return redirect("rules:calendar")
    return render(
        request,
        "rules/calendar.html",
        {
            "form": form,
            "overrides": CalendarOverride.objects.order_by("-date")[:200],
        },
    )
