from __future__ import annotations

from base64 import b32encode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts import selectors, services
from accounts.forms import LoginForm, PasswordChangeForm, TwoFactorForm, TwoFactorResetForm
from core.forms import add_service_errors


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("dashboard")
    return render(request, "accounts/password_change.html", {"form": form, "forced": request.user.must_change_password})


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Staff enrol a TOTP authenticator once, then enter its code after every password login."""
    import qrcode
    import qrcode.image.svg
    from django_otp import login as otp_login

    if request.user.is_verified():
        return redirect("dashboard")
    device = services.two_factor_device(user=request.user)
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=request.user, code=form.cleaned_data["code"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            otp_login(request, device)
            return redirect(request.GET.get("next") or "dashboard")
    context = {"form": form, "enrolling": not device.confirmed}
    if not device.confirmed:
        context["qr_svg"] = mark_safe(  # noqa: S308 - SVG generated here from our own otpauth URL
            qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
        )
        context["secret"] = b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor.html", context)


@login_required
def two_factor_staff(request: HttpRequest) -> HttpResponse:
    """Tenant and platform admins see the staff in their remit and whether each has an authenticator."""
    if not selectors.can_reset_two_factor(request.user):
        raise Http404
    queryset = selectors.staff_for_two_factor_admin(request.user)
    query = request.GET.get("q", "").strip()[:50]
    if query:
        queryset = queryset.filter(Q(full_name__contains=query) | Q(username__contains=query))
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/two_factor_staff.html", {"page": page, "query": query})


@login_required
def two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset one staff member's lost authenticator (confirmation page with a reason; audited)."""
    staff = selectors.get_staff_for_two_factor_admin(request.user, pk)
    form = TwoFactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_reset(
                actor=request.user, staff=staff, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已重置%(name)s的二次验证，其下次登录时须重新绑定验证器应用。") % {"name": staff.display_name},
            )
            return redirect("accounts:two_factor_staff")
    return render(request, "accounts/two_factor_reset.html", {"form": form, "staff": staff})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """A staff member's API tokens: create one (its secret shown once), see and revoke them."""
    from accounts import tokens

    if not tokens.can_hold_tokens(request.user):
        raise Http404
    return render(
        request,
        "accounts/api_tokens.html",
        {"tokens": tokens.tokens_for_user(request.user), **token_form(request)},
    )


def token_form(request: HttpRequest, *, owner=None) -> dict:
    """The token form of a tokens page, handled: on a POST a token of the actor's (or of ``owner``, a
    service account the actor manages) is created and its secret returned once, or the errors."""
    from accounts import tokens
    from accounts.models import TokenScope

    created = None
    errors: dict[str, list[str]] = {}
    values = {"name": "", "scopes": [], "days": "90"}
    if request.method == "POST":
        values = {
            "name": request.POST.get("name", ""),
            "scopes": request.POST.getlist("scopes"),
            "days": request.POST.get("days", ""),
        }
        try:
            days = int(values["days"])
        except ValueError:
            days = 0
        try:
            created = tokens.token_create(
                actor=request.user, owner=owner, name=values["name"], scopes=values["scopes"], days=days,
                request=request,
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            values = {"name": "", "scopes": [], "days": "90"}
    return {
        "created": created,
        "errors": errors,
        "values": values,
        "scopes": TokenScope.choices,
        "example_host": request.build_absolute_uri("/").rstrip("/"),
    }


@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    from accounts import tokens

    token = tokens.get_token_for_user(request.user, pk)  # another person's token: 404
    if request.method != "POST":
        return redirect("accounts:api_tokens")
    tokens.token_revoke(actor=request.user, token=token, request=request)
    messages.success(request, _("接口令牌“%(name)s”已撤销，使用它的程序将无法再调用接口。") % {"name": token.name})
    return redirect("accounts:api_tokens")
