"""Pages of a tenant admin's service accounts (``accounts.service_accounts``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import service_accounts, tokens
from accounts.models import Role
from accounts.views import token_form


@login_required
def service_account_list(request: HttpRequest) -> HttpResponse:
    """The tenant's service accounts; a new one is named with its role and organisation."""
    if not service_accounts.can_manage_service_accounts(request.user):
        raise Http404
    errors: dict[str, list[str]] = {}
    values = {"name": "", "role": "", "organisation": ""}
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        try:
            account = service_accounts.service_account_create(
                actor=request.user,
                name=values["name"],
                role=values["role"],
                organisation_id=values["organisation"],
                request=request,
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("已创建服务账号“%(name)s”，请为它创建接口令牌。") % {"name": account.full_name})
            return redirect("accounts:service_account", pk=account.pk)
    return render(
        request,
        "accounts/service_accounts.html",
        {
            "accounts": service_accounts.service_accounts_for(request.user),
            "roles": [(role, Role(role).label) for role in service_accounts.SERVICE_ROLES],
            "organisations": service_accounts.organisations_for_service_accounts(request.user),
            "values": values,
            "errors": errors,
        },
    )


@login_required
def service_account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One service account's tokens: create one (its secret shown once), see and revoke them."""
    account = service_accounts.get_service_account_for(request.user, pk)
    return render(
        request,
        "accounts/service_account.html",
        {"account": account, "tokens": tokens.tokens_for_user(account), **token_form(request, owner=account)},
    )


@login_required
def service_account_token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    account = service_accounts.get_service_account_for(request.user, pk)
    token = service_accounts.get_service_account_token_for(request.user, account, token_pk)
    if request.method != "POST":
        return redirect("accounts:service_account", pk=account.pk)
    tokens.token_revoke(actor=request.user, token=token, request=request)
    messages.success(request, _("接口令牌“%(name)s”已撤销，使用它的程序将无法再调用接口。") % {"name": token.name})
    return redirect("accounts:service_account", pk=account.pk)


@login_required
def service_account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    account = service_accounts.get_service_account_for(request.user, pk)
    if request.method != "POST":
        return redirect("accounts:service_account", pk=account.pk)
    service_accounts.service_account_deactivate(actor=request.user, account=account, request=request)
    messages.success(request, _("服务账号“%(name)s”已停用，它的接口令牌已全部撤销。") % {"name": account.full_name})
    return redirect("accounts:service_accounts")
