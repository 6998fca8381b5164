"""Reads of rule sets scoped to what a user may see; anything else is 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from rules.models import RuleSet
from rules.permissions import can_view_rulesets, may_use_tenant, sees_all_tenants, user_tenant_code


def rulesets_for_user(user: Any) -> QuerySet[RuleSet]:
    if not can_view_rulesets(user):
        return RuleSet.objects.none()
    qs = RuleSet.objects.defer("data")
    if sees_all_tenants(user):
        return qs
    return qs.filter(tenant_code=user_tenant_code(user) or "")


def get_ruleset_for_user(user: Any, pk: int) -> RuleSet:
    rule_set = RuleSet.objects.filter(pk=pk).first()
    if rule_set is None or not can_view_rulesets(user) or not may_use_tenant(user, rule_set.tenant_code):
        raise Http404
    return rule_set


def latest_published(code: str) -> RuleSet | None:
    return RuleSet.objects.filter(code=code, status=RuleSet.Status.PUBLISHED).order_by("-version").first()
