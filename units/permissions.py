"""Role checks as pure functions; services re-check them before every write."""

from __future__ import annotations

from accounts.models import BUREAU_ROLES, UNIT_ROLES, Role, User
from units.models import Organisation


def can_decide_registration(user: User, unit: Organisation) -> bool:
    if unit.kind != Organisation.Kind.UNIT or unit.status != Organisation.Status.PENDING:
        return False
    if user.role == Role.PLATFORM_ADMIN:
        return True
    if user.tenant_id != unit.tenant_id:
        return False
    if user.role == Role.TENANT_ADMIN:
        return True
    return user.role in BUREAU_ROLES and user.organisation_id == unit.managed_by_id


def can_manage_people(user: User, unit: Organisation) -> bool:
    """Unit staff add applicants only to their own approved unit (object grant via guardian)."""
    return (
        user.role in UNIT_ROLES
        and user.organisation_id == unit.pk
        and unit.is_approved
        and user.has_perm("units.manage_unit", unit)
    )


def can_approve_green_channel(user: User, person: User) -> bool:
    return user.role in (Role.CITY_REVIEWER, Role.TENANT_ADMIN) and user.tenant_id == person.tenant_id


def can_reveal_id_number(user: User, person: User) -> bool:
    """Full ID numbers are for the unit that verifies originals and the city bureau."""
    if user.pk == person.pk:
        return True
    if user.role in UNIT_ROLES:
        return user.organisation_id == person.organisation_id
    return user.role in (Role.CITY_REVIEWER, Role.TENANT_ADMIN) and user.tenant_id == person.tenant_id


def can_manage_tenants(user: User) -> bool:
    """The platform admin lists tenants, creates them and uploads their documents."""
    return user.is_authenticated and user.role == Role.PLATFORM_ADMIN


def can_configure_tenant(user: User, tenant) -> bool:
    """A tenant's configuration pages (settings, organisations, staff, chain, windows, rule sets)
    are its own administrators'; every change goes through ``tenant_apply``."""
    return user.is_authenticated and user.role == Role.TENANT_ADMIN and user.tenant_id == tenant.pk


def can_see_tenant_versions(user: User, tenant) -> bool:
    return can_manage_tenants(user) or can_configure_tenant(user, tenant)
