"""Scoped getters for account administration: anything outside the user's remit is 404."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from accounts.models import Role, User


def can_reset_two_factor(user: User) -> bool:
    return user.is_authenticated and user.role in (Role.TENANT_ADMIN, Role.PLATFORM_ADMIN)


def staff_for_two_factor_admin(user: User) -> QuerySet[User]:
    """Staff whose lost authenticator ``user`` may reset: a tenant admin's own tenant's staff (not
    platform admins), every staff member for a platform admin; never oneself, never applicants."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not can_reset_two_factor(user):
        return User.objects.none()
    staff = User.objects.exclude(role=Role.APPLICANT).exclude(pk=user.pk).exclude(is_service_account=True)
    if user.role == Role.TENANT_ADMIN:
        staff = staff.filter(tenant_id=user.tenant_id).exclude(role=Role.PLATFORM_ADMIN)
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        staff.select_related("organisation", "tenant")
        .annotate(two_factor_enrolled=Exists(enrolled))
        .order_by("organisation__name", "full_name", "username", "id")
    )


def get_staff_for_two_factor_admin(user: User, pk: int) -> User:
    try:
        return staff_for_two_factor_admin(user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None
