"""Tenancy in one place: every read of organisations and people goes through these getters.

Anything outside the requester's remit is indistinguishable from something that does not
exist: the getters raise ``Http404``.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import BUREAU_ROLES, Role, User
from units.models import FilingRestriction, Organisation, RosterImport, Tenant, TenantVersion


def organisations_for_user(user: User) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.PLATFORM_ADMIN:
        return qs
    qs = qs.filter(tenant_id=user.tenant_id)
    if user.role in (Role.TENANT_ADMIN, Role.CITY_REVIEWER):
        return qs
    if user.role == Role.COUNTY_REVIEWER:
        district_id = user.organisation.district_id if user.organisation_id else None
        return qs.filter(Q(pk=user.organisation_id) | Q(district_id=district_id, district_id__isnull=False))
    if user.role == Role.DEPARTMENT_REVIEWER:
        return qs.filter(Q(pk=user.organisation_id) | Q(competent_department_id=user.organisation_id))
    return qs.filter(pk=user.organisation_id)


def get_organisation_for_user(user: User, pk: int) -> Organisation:
    return get_object_or_404(organisations_for_user(user), pk=pk)


def registrations_for_user(user: User) -> QuerySet[Organisation]:
    """Unit registrations this user decides on (谁创建谁管理)."""
    units = organisations_for_user(user).filter(kind=Organisation.Kind.UNIT)
    if not user.is_authenticated:
        return units.none()
    if user.role in (Role.TENANT_ADMIN, Role.PLATFORM_ADMIN):
        return units
    if user.role in BUREAU_ROLES:
        return units.filter(managed_by_id=user.organisation_id)
    return units.none()


def get_registration_for_user(user: User, pk: int) -> Organisation:
    return get_object_or_404(registrations_for_user(user), pk=pk)


def people_for_user(user: User) -> QuerySet[User]:
    """People whose account the user may see (applicants see only themselves)."""
    qs = User.objects.select_related("organisation")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.PLATFORM_ADMIN:
        return qs
    if user.role == Role.APPLICANT:
        return qs.filter(pk=user.pk)
    if user.role in (Role.EXPERT, Role.COMMITTEE_SECRETARY):
        return qs.filter(pk=user.pk)
    return qs.filter(tenant_id=user.tenant_id, organisation__in=organisations_for_user(user))


def applicants_for_user(user: User) -> QuerySet[User]:
    return people_for_user(user).filter(role=Role.APPLICANT)


def get_applicant_for_user(user: User, pk: int) -> User:
    return get_object_or_404(applicants_for_user(user), pk=pk)


def roster_imports_for_user(user: User) -> QuerySet[RosterImport]:
    return RosterImport.objects.filter(unit__in=organisations_for_user(user).filter(kind=Organisation.Kind.UNIT))


def get_roster_import_for_user(user: User, pk: int) -> RosterImport:
    return get_object_or_404(roster_imports_for_user(user), pk=pk)


def tenants_for_user(user: User) -> QuerySet[Tenant]:
    if user.is_authenticated and user.role == Role.PLATFORM_ADMIN:
        return Tenant.objects.all()
    if user.is_authenticated:
        return Tenant.objects.filter(pk=user.tenant_id)
    return Tenant.objects.none()


def filing_restriction_for(person: User, on: date) -> FilingRestriction | None:
    """The restriction that stops this person filing on ``on`` (their own or their unit's)."""
    return (
        FilingRestriction.objects.filter(starts_on__lte=on, ends_on__gte=on)
        .filter(Q(person=person) | Q(unit_id=person.organisation_id, unit_id__isnull=False))
        .order_by("-ends_on")
        .first()
    )


def get_tenant_for_configuration(user: User, code: str) -> Tenant:
    """The tenant whose configuration pages ``user`` may use: a tenant admin's own; else 404."""
    from units.permissions import can_configure_tenant

    tenant = get_object_or_404(Tenant, code=code)
    if not can_configure_tenant(user, tenant):
        raise Http404
    return tenant


def get_tenant_for_history(user: User, code: str) -> Tenant:
    """The tenant whose versions ``user`` may read: any for the platform admin, a tenant admin's own."""
    from units.permissions import can_see_tenant_versions

    tenant = get_object_or_404(Tenant, code=code)
    if not can_see_tenant_versions(user, tenant):
        raise Http404
    return tenant


def tenant_versions(tenant: Tenant) -> QuerySet[TenantVersion]:
    """A tenant's versions, newest first, without their documents (a list shows number, who, when, note)."""
    return (
        TenantVersion.objects.filter(tenant=tenant)
        .select_related("created_by")
        .only("id", "tenant_id", "number", "note", "created_at", "created_by__full_name", "created_by__username",
              "created_by__id_number_masked")
        .order_by("-number")
    )


def get_tenant_version(tenant: Tenant, number: int) -> TenantVersion:
    return get_object_or_404(TenantVersion.objects.select_related("created_by"), tenant=tenant, number=number)


def previous_tenant_version(version: TenantVersion) -> TenantVersion | None:
    return (
        TenantVersion.objects.filter(tenant_id=version.tenant_id, number__lt=version.number).order_by("-number").first()
    )


def tenants_with_versions() -> QuerySet[Tenant]:
    """Every tenant for the platform admin's list, with its newest version's time."""
    from django.db.models import Count, Max

    return Tenant.objects.annotate(
        changed_at=Max("versions__created_at"), organisation_count=Count("organisations", distinct=True)
    ).order_by("id")
