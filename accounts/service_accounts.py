"""Service accounts: a tenant's programs (a unit's HR system, a bureau's statistics job, the
provincial exchange) that call the API with tokens of their own rather than a person's.

A service account is a ``User`` of the tenant with ``is_service_account`` set, a name, and the role
and organisation whose remit it acts in, so every scoped getter and permission function treats its
calls exactly as a staff member's of that role and organisation. It has no usable password and the
login form refuses it (``accounts.backends``); it acts only through its API tokens, which the
tenant's admin creates (the secret shown once) and revokes (``accounts.tokens``). A tenant admin of
another tenant gets 404 for it.
"""

from __future__ import annotations

import contextlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import ApiToken, Role, User
from core.audit import audit
from units.models import Organisation

NAME_MAX = 60
# The roles a service account may act in, and the kinds of organisation each belongs to (as for
# staff in the tenant document, ``units.tenant_documents.ROLES_AT``).
SERVICE_ROLES: dict[str, tuple[str, ...]] = {
    Role.UNIT_HANDLER: (Organisation.Kind.UNIT,),
    Role.DEPARTMENT_REVIEWER: (Organisation.Kind.DEPARTMENT,),
    Role.COUNTY_REVIEWER: (Organisation.Kind.COUNTY_BUREAU, Organisation.Kind.CITY_BUREAU),
    Role.CITY_REVIEWER: (Organisation.Kind.CITY_BUREAU,),
    Role.TENANT_ADMIN: (Organisation.Kind.CITY_BUREAU,),
}


def can_manage_service_accounts(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.TENANT_ADMIN
        and user.tenant_id is not None
        and not user.is_service_account
    )


def can_manage_service_account(actor: User, account: User) -> bool:
    return can_manage_service_accounts(actor) and account.is_service_account and account.tenant_id == actor.tenant_id


def service_accounts_for(user: User) -> QuerySet[User]:
    """The service accounts of ``user``'s tenant, for its admin; none for anyone else."""
    if not can_manage_service_accounts(user):
        return User.objects.none()
    return (
        User.objects.filter(is_service_account=True, tenant_id=user.tenant_id)
        .select_related("organisation")
        .annotate(active_tokens=Count("api_tokens", filter=Q(api_tokens__revoked_at__isnull=True,
                                                              api_tokens__expires_at__gt=timezone.now())))
        .order_by("-is_active", "full_name", "id")
    )


def get_service_account_for(user: User, pk: int) -> User:
    try:
        return service_accounts_for(user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def get_service_account_token_for(user: User, account: User, pk: int) -> ApiToken:
    try:
        return ApiToken.objects.get(pk=pk, user=get_service_account_for(user, account.pk))
    except ApiToken.DoesNotExist:
        raise Http404 from None


def organisations_for_service_accounts(user: User) -> QuerySet[Organisation]:
    """The organisations of the admin's tenant a service account may act for (approved units)."""
    if not can_manage_service_accounts(user):
        return Organisation.objects.none()
    kinds = {kind for kinds in SERVICE_ROLES.values() for kind in kinds}
    return (
        Organisation.objects.filter(tenant_id=user.tenant_id, kind__in=kinds)
        .exclude(kind=Organisation.Kind.UNIT, status__in=[Organisation.Status.PENDING, Organisation.Status.REJECTED])
        .order_by("kind", "name", "id")
    )


def service_account_create(*, actor: User, name: str, role: str, organisation_id, request=None) -> User:
    """A new service account of ``actor``'s tenant acting as ``role`` of the organisation."""
    if not can_manage_service_accounts(actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请填写服务账号名称，如“人事系统”。")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("服务账号名称不能超过%(limit)s字。") % {"limit": NAME_MAX}]
    elif User.objects.filter(is_service_account=True, tenant_id=actor.tenant_id, full_name=name).exists():
        errors["name"] = [_("本地区已有同名的服务账号，请换一个名称。")]
    if role not in SERVICE_ROLES:
        errors["role"] = [
            _("请选择服务账号的角色（单位经办人、主管部门、县（市、区）或市人社审核人、市人社局管理员）。")
        ]
    organisation = None
    with contextlib.suppress(TypeError, ValueError):
        organisation = organisations_for_service_accounts(actor).filter(pk=int(organisation_id)).first()
    if organisation is None:
        errors["organisation"] = [_("请选择本地区的一个机构（单位须已通过注册审核）。")]
    elif role in SERVICE_ROLES and organisation.kind not in SERVICE_ROLES[role]:
        kinds = pgettext("alternatives", "或").join(str(Organisation.Kind(kind).label) for kind in SERVICE_ROLES[role])
        errors["organisation"] = [
            _("角色“%(role)s”须属于%(kinds)s，“%(organisation)s”不是。")
            % {"role": Role(role).label, "kinds": kinds, "organisation": organisation.name}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        account = User(
            username=f"svc-{secrets.token_hex(6)}",
            full_name=name,
            role=role,
            tenant_id=actor.tenant_id,
            organisation=organisation,
            is_service_account=True,
        )
        account.set_unusable_password()
        account.save()
        if role == Role.UNIT_HANDLER:
            from guardian.shortcuts import assign_perm

            assign_perm("units.manage_unit", account, organisation)
        audit(
            action="service_account_created",
            actor=actor,
            target=account,
            request=request,
            name=name,
            role=role,
            organisation=organisation.name,
        )
    return account


def service_account_deactivate(*, actor: User, account: User, request=None) -> User:
    """Stop a service account: it is deactivated and every token of it revoked."""
    if not can_manage_service_account(actor, account):
        raise PermissionDenied
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=account.pk)
        if locked.is_active:
            revoked = ApiToken.objects.filter(user=locked, revoked_at__isnull=True).update(revoked_at=timezone.now())
            locked.is_active = False
            locked.save(update_fields=["is_active"])
            audit(
                action="service_account_deactivated",
                actor=actor,
                target=locked,
                request=request,
                name=locked.full_name,
                tokens_revoked=revoked,
            )
    return locked
