"""The unit enters the dates signed on an application's 公示表 (003_c25e803c7aeb4e62.txt 五(六)).
Thin: the scoped getter, one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.selectors import get_application_for_user
from core.audit import audit_read
from review import publicity_sheet


@login_required
def publicity_sheet_dates(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk)
    if not publicity_sheet.applies(application) or not publicity_sheet.may_record(request.user, application):
        raise Http404
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            publicity_sheet.publicity_sheet_dates_record(
                actor=request.user, application=application, data=request.POST, request=request
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            errors, status = error.message_dict, 400
        else:
            messages.success(request, _("公示表落款日期已核对并保存。"))
            return redirect(reverse("review:detail", args=[application.pk]))
    else:
        audit_read(request=request, what="publicity_sheet_dates", target=application, subject=application.applicant)
    row = publicity_sheet.recorded(application)
    values = (
        request.POST
        if request.method == "POST"
        else {field: getattr(row, field).isoformat() for field in publicity_sheet.FIELDS} if row else {}
    )
    fields = [
        {"name": name, "label": label, "value": values.get(name, ""), "errors": errors.get(name, [])}
        for name, label in publicity_sheet.FIELDS.items()
    ]
    return render(
        request,
        "review/publicity_sheet_dates.html",
        {
            "application": application,
            "fields": fields,
            "general_errors": errors.get("__all__", []),
            "row": row,
            "minimum": application.tenant.publicity_working_days,
        },
        status=status,
    )
