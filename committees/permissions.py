"""Who may do what with committees: pure functions, re-checked by the services."""

from __future__ import annotations

from accounts.models import Role

BUREAU_RESULT_ROLES = frozenset({Role.CITY_REVIEWER, Role.TENANT_ADMIN})


def is_secretary(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.COMMITTEE_SECRETARY and user.tenant_id)


def is_expert(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.EXPERT and user.tenant_id)


def is_results_reader(user) -> bool:
    """The bureau reads reported results (and the secretary who reported them)."""
    return bool(user.is_authenticated and user.tenant_id and (user.role in BUREAU_RESULT_ROLES or is_secretary(user)))


def can_manage(user, committee) -> bool:
    return is_secretary(user) and committee.tenant_id == user.tenant_id


def is_pool_manager(user) -> bool:
    """Who keeps the expert pool and creates expert accounts: the secretary and the tenant admin."""
    return bool(
        user.is_authenticated and user.tenant_id and user.role in (Role.COMMITTEE_SECRETARY, Role.TENANT_ADMIN)
    )


def can_manage_pool(user, committee) -> bool:
    return is_pool_manager(user) and committee.tenant_id == user.tenant_id
