"""Role checks for rule sets: pure functions, re-checked by the services."""

from __future__ import annotations

from typing import Any

RULESET_VIEWER_ROLES = frozenset({"tenant_admin", "city_reviewer", "county_reviewer", "department_reviewer",
                                  "platform_admin"})
RULESET_EDITOR_ROLES = frozenset({"tenant_admin", "platform_admin"})


def user_tenant_code(user: Any) -> str | None:
    return getattr(getattr(user, "tenant", None), "code", None)


def can_view_rulesets(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", None) in RULESET_VIEWER_ROLES


def can_edit_rulesets(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", None) in RULESET_EDITOR_ROLES


def sees_all_tenants(user: Any) -> bool:
    return getattr(user, "role", None) == "platform_admin"


def may_use_tenant(user: Any, tenant_code: str) -> bool:
    """A rule set or window of another tenant is invisible (404), except to the platform admin."""
    return sees_all_tenants(user) or user_tenant_code(user) == tenant_code
