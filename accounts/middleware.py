from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class StaffIdleTimeoutMiddleware:
    """Staff sessions end after 30 idle minutes (ASVS 3.3.2; 等保三级 会话超时)."""

    SESSION_KEY = "last_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = int(time.time())
            last = request.session.get(self.SESSION_KEY)
            if last is not None and now - int(last) > settings.STAFF_IDLE_TIMEOUT_SECONDS:
                logout(request)
                messages.info(request, _("您已超过30分钟未操作，为保护数据安全已自动退出，请重新登录。"))
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            # Write the session at most once a minute, not on every request.
            if last is None or now - int(last) >= 60:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    """A user with an initial password may do nothing before changing it."""

    ALLOWED_PREFIXES = (
        "/accounts/password/change/",
        "/accounts/two-factor/",
        "/accounts/logout/",
        "/static/",
        "/healthz",
        "/favicon.ico",
        "/i18n/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("首次登录须先修改初始密码。")}, status=403)
            return redirect("accounts:password_change")
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Staff reach nothing but the two-factor page until they have entered a TOTP code
    (ASVS 2.7/2.8; 等保三级 双因素鉴别). Applicants log in with their password alone."""

    ALLOWED_PREFIXES = ForcePasswordChangeMiddleware.ALLOWED_PREFIXES

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.STAFF_TWO_FACTOR
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not user.is_verified()
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("工作人员须先完成二次验证（验证器应用中的6位验证码）。")}, status=403)
            return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
        return self.get_response(request)
