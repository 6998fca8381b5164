"""Pages for bureau staff: the rule sets of their tenant, readable, with every clause cited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rules.catalog import compile_rule_set
from rules.materials import MaterialItem
from rules.permissions import can_view_rulesets
from rules.presentation import rule_rows
from rules.selectors import get_ruleset_for_user, rulesets_for_user


@login_required
def ruleset_list(request: HttpRequest) -> HttpResponse:
    if not can_view_rulesets(request.user):
        raise PermissionDenied
    rule_sets = rulesets_for_user(request.user).only(
        "pk", "code", "name", "version", "status", "document_number", "effective_from", "effective_to", "tenant_code"
    )
    return render(request, "rules/ruleset_list.html", {"rule_sets": rule_sets})


@login_required
def ruleset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_ruleset_for_user(request.user, pk)
    data = compile_rule_set(row.data, row.content_hash)
    materials = [
        MaterialItem(id=m["id"], kind=m["kind"], name=m["name"], required=bool(m.get("required")),
                     source=m["source"], note=m.get("note", ""))
        for m in data.materials
    ]
    versions = rulesets_for_user(request.user).filter(code=row.code).only("pk", "version", "status", "published_at")
    return render(request, "rules/ruleset_detail.html", {
        "rule_set": row, "data": data, "rows": rule_rows(data), "materials": materials, "versions": versions,
    })
