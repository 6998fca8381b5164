"""API tokens for programs: a unit's HR system, a bureau's statistics job, the provincial exchange.

A staff user creates a named token with scopes and an expiry, sees its secret once, and may revoke
it. A call made with a token acts as the token's owner, limited to the token's scopes
(``core.api_scopes``); every such call is audited with the token's name. Only a keyed digest of the
secret is stored, and the secret never reaches a log line (``core.logfilters.TokenLogFilter``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from accounts.models import ApiToken, Role, TokenScope, User
from core import crypto
from core.api_scopes import ANY, required_scope
from core.audit import audit

PREFIX = "zc_"
MAX_DAYS = 366
NAME_MAX = 60


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    secret: str  # shown once; never stored


def can_hold_tokens(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role not in (Role.APPLICANT,)


def _digest(secret: str) -> str:
    return crypto.digest(f"api-token:{secret}")


def tokens_for_user(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-id")


def get_token_for_user(user: User, pk: int) -> ApiToken:
    return get_object_or_404(tokens_for_user(user), pk=pk)


def token_create(
    *, actor: User, name: str, scopes: list[str], days: int, request=None, owner: User | None = None
) -> CreatedToken:
    """A new token of ``actor``'s, or of ``owner``, a service account ``actor`` manages
    (``accounts.service_accounts``); its secret is returned once."""
    from accounts.service_accounts import can_manage_service_account

    owner = owner or actor
    if owner.pk != actor.pk and not can_manage_service_account(actor, owner):
        raise PermissionDenied
    if not can_hold_tokens(owner):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请填写令牌名称，如“人事系统对接”。")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("令牌名称不能超过%(limit)s字。") % {"limit": NAME_MAX}]
    elif ApiToken.objects.filter(user=owner, name=name, revoked_at__isnull=True).exists():
        errors["name"] = [_("已有同名的有效令牌，请换一个名称。")]
    valid = set(TokenScope.values)
    chosen = sorted(set(scopes or ()))
    if not chosen:
        errors["scopes"] = [_("请至少选择一项权限范围。")]
    elif not set(chosen) <= valid:
        errors["scopes"] = [_("权限范围无效。")]
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        errors["days"] = [_("有效期须为1至%(limit)s天。") % {"limit": MAX_DAYS}]
    if errors:
        raise ValidationError(errors)
    public = secrets.token_urlsafe(6)[:8].ljust(8, "x")
    secret = f"{PREFIX}{public}.{secrets.token_urlsafe(30)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=owner,
            name=name,
            prefix=f"{PREFIX}{public}",
            digest=_digest(secret),
            scopes=chosen,
            expires_at=timezone.now() + timedelta(days=days),
            created_by=actor,
        )
        audit(action="api_token_created", actor=actor, target=token, request=request, name=name, scopes=chosen,
              days=days, account=owner.display_name)
    return CreatedToken(token=token, secret=secret)


def token_revoke(*, actor: User, token: ApiToken, request=None) -> ApiToken:
    from accounts.service_accounts import can_manage_service_account

    if token.user_id != actor.pk and not can_manage_service_account(actor, token.user):
        raise PermissionDenied
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            audit(action="api_token_revoked", actor=actor, target=locked, request=request, name=locked.name,
                  account=token.user.display_name)
    return locked


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer zc_…``: the token's owner, with ``request.auth`` the token."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(f"{self.keyword} "):
            return None
        secret = header[len(self.keyword) + 1 :].strip()
        if not secret.startswith(PREFIX):
            return None
        token = ApiToken.objects.select_related("user").filter(digest=_digest(secret)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("接口令牌无效。"))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("接口令牌已撤销。"))
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("接口令牌已过期，请重新创建。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("令牌所属账号已停用。"))
        match = getattr(request._request, "resolver_match", None)
        needed = required_scope(match.view_name if match else None, request.method)
        allowed = needed == ANY or (needed is not None and needed in token.scopes)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        audit(
            action="api_token_call",
            actor=token.user,
            target=token,
            request=request,
            token=token.name,
            account=token.user.display_name,
            service_account=token.user.is_service_account,
            method=request.method,
            path=request.path[:200],
            allowed=allowed,
        )
        if needed is None:
            raise exceptions.PermissionDenied(_("该接口不接受接口令牌，请在网页上办理。"))
        if not allowed:
            labels = dict(TokenScope.choices)
            raise exceptions.PermissionDenied(
                _("接口令牌“%(name)s”没有“%(scope)s”权限。") % {"name": token.name, "scope": labels[needed]}
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword
