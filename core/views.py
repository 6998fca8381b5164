from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

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


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: never a traceback. A database outage (also one hit inside a middleware, before
    any view) answers the Chinese 503 page; anything else a Chinese 500 page. No database access."""
    import sys

    from django.db import InterfaceError, OperationalError
    from django.template.loader import render_to_string

    from core.middleware import DatabaseUnavailableMiddleware

    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        message, status = DatabaseUnavailableMiddleware.MESSAGE, 503
    else:
        message, status = "系统出现错误，您的操作未完成。请稍后重试；如仍有问题，请联系管理员。", 500
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=status)
    else:
        response = HttpResponse(render_to_string("core/unavailable.html", {"message": message}), status=status)
    if status == 503:
        response["Retry-After"] = str(DatabaseUnavailableMiddleware.RETRY_AFTER_SECONDS)
    return response
