from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts.models import UNIT_ROLES, Role
from units.models import Organisation
from units.selectors import registrations_for_user, roster_imports_for_user


def home(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard" if request.user.is_authenticated else "accounts:login")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each role's home page: what to do next first."""
    user = request.user
    context: dict = {"role_label": user.get_role_display()}
    if user.role in UNIT_ROLES:
        unit = user.organisation
        context["unit"] = unit
        context["applicant_count"] = unit.people.filter(role=Role.APPLICANT).count()
        context["recent_imports"] = roster_imports_for_user(user)[:3]
    if user.role in (
        Role.DEPARTMENT_REVIEWER,
        Role.COUNTY_REVIEWER,
        Role.CITY_REVIEWER,
        Role.TENANT_ADMIN,
        Role.PLATFORM_ADMIN,
    ):
        context["pending_registrations"] = (
            registrations_for_user(user).filter(status=Organisation.Status.PENDING).count()
        )
    return render(request, "core/dashboard.html", context)


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on pages that link no icon (PDFs, the API docs)."""
    from django.templatetags.static import static

    return redirect(static("favicon.ico"), permanent=True)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


API_ERROR_MESSAGES = {
    400: _("请求有误，无法识别。"),
    403: _("您无权执行该操作。"),
    404: _("未找到该对象，或您无权访问。"),
}


def _error(request: HttpRequest, status: int) -> HttpResponse:
    from core.errors import render_error_page

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(API_ERROR_MESSAGES[status])}, status=status)
    return render_error_page(request, status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400."""
    return _error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403 (also under DEBUG: Django always hands a PermissionDenied to it)."""
    return _error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404; under DEBUG core.middleware.ErrorPagesMiddleware serves the same page."""
    return _error(request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a Chinese 403 saying the page expired, instead of Django's English one."""
    from core.errors import CSRF_ADVICE, CSRF_MESSAGE, render_error_page

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("CSRF 校验失败：页面已过期，请刷新后重试。"))}, status=403)
    return render_error_page(request, 403, message=CSRF_MESSAGE, advice=CSRF_ADVICE)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: never a traceback. A database outage (also one hit inside a middleware, before
    any view) answers the Chinese 503 page; anything else a Chinese 500 page. No database access."""
    import sys

    from django.db import InterfaceError, OperationalError
    from django.template.loader import render_to_string

    from core.errors import render_error_page
    from core.middleware import DatabaseUnavailableMiddleware

    error = sys.exc_info()[1]
    database_down = isinstance(error, (OperationalError, InterfaceError))
    status = 503 if database_down else 500
    message = DatabaseUnavailableMiddleware.MESSAGE if database_down else None
    if request.path.startswith("/api/"):
        from core.errors import PAGES

        detail = message or f"{PAGES[500].message}{PAGES[500].advice}"
        response: HttpResponse = JsonResponse({"detail": str(detail)}, status=status)
    elif database_down:
        response = HttpResponse(render_to_string("core/unavailable.html", {"message": message}), status=status)
    else:
        response = render_error_page(request, 500, use_database=False)
    if status == 503:
        response["Retry-After"] = str(DatabaseUnavailableMiddleware.RETRY_AFTER_SECONDS)
    return response
