"""The city bureau records the expert appraisal of a 破格 application (002_743bb57fc6424707.txt 第三篇
一(五)4). Thin: the scoped getter, one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.selectors import get_exceptional_approval_for_user
from core.audit import audit_read
from review import exceptional


@login_required
def exceptional_appraisal(request: HttpRequest, pk: int) -> HttpResponse:
    approval = get_exceptional_approval_for_user(request.user, pk)
    office = exceptional.commissioner(approval.application)
    if not office or not exceptional.may_record(request.user, approval):
        raise Http404
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            exceptional.appraisal_record(
                actor=request.user,
                approval=approval,
                commissioned_by=request.POST.get("commissioned_by", ""),
                experts=request.POST.get("experts", ""),
                conclusion=request.POST.get("conclusion", ""),
                appraised_on=request.POST.get("appraised_on", ""),
                request=request,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            errors, status = error.message_dict, 400
        else:
            messages.success(
                request, _("已录入%(name)s的破格申报专家鉴定。") % {"name": approval.application.applicant.full_name}
            )
            return redirect(reverse("applications:exceptional_queue"))
    else:
        audit_read(request=request, what="exceptional_appraisal", target=approval.application,
                   subject=approval.application.applicant)
    row = exceptional.recorded(approval)
    posted = request.POST if request.method == "POST" else {}
    values = posted or (
        {"commissioned_by": "reform_office", "experts": row.experts, "conclusion": row.conclusion,
         "appraised_on": row.appraised_on.isoformat()} if row else {}
    )
    return render(
        request,
        "review/exceptional_appraisal.html",
        {
            "approval": approval,
            "application": approval.application,
            "office": office,
            "row": row,
            "values": values,
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "choices": list(exceptional.COMMISSIONED_BY.items()),
        },
        status=status,
    )
