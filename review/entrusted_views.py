"""Pages of the entrusted path (委托评审) and of appeals (申诉与复查). Thin: a scoped getter, one
service, render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.selectors import get_application_for_user
from core.audit import audit, audit_read
from review import appeals, entrusted
from review.models import Appeal, EntrustedReview


def _parse_day(text: str) -> date | None:
    text = (text or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    import re

    match = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    return None


def _entrusted_page(request: HttpRequest, application, *, errors=(), status=200) -> HttpResponse:
    entrustment = EntrustedReview.objects.filter(application=application).first()
    return render(
        request,
        "review/entrusted.html",
        {
            "application": application,
            "entrustment": entrustment,
            "results": list(entrustment.results.order_by("id")) if entrustment else [],
            "waiting": entrusted.committee_step(application) is not None,
            "errors": errors,
            "posted": request.POST,
        },
        status=status,
    )


@login_required
def entrusted_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = entrusted.get_application_for_entrusting(request.user, pk)
    audit_read(request=request, what="entrusted", target=application, subject=application.applicant)
    return _entrusted_page(request, application)


@login_required
@require_POST
def entrusted_consent(request: HttpRequest, pk: int) -> HttpResponse:
    application = entrusted.get_application_for_entrusting(request.user, pk)
    try:
        entrustment = entrusted.entrustment_consent(
            actor=request.user,
            application=application,
            authority=request.POST.get("authority", ""),
            committee_name=request.POST.get("committee_name", ""),
            opinion=request.POST.get("opinion", ""),
            request=request,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _entrusted_page(request, application, errors=error.messages, status=400)
    messages.success(request, _("已出具委托评审函（%(number)s）。") % {"number": entrustment.letter_number})
    return redirect(reverse("review:entrusted", args=[application.pk]))


@login_required
@require_POST
def entrusted_result(request: HttpRequest, pk: int) -> HttpResponse:
    application = entrusted.get_application_for_entrusting(request.user, pk)
    outcome = request.POST.get("passed", "")
    try:
        result = entrusted.entrusted_result_record(
            actor=request.user,
            application=application,
            passed={"yes": True, "no": False}.get(outcome),
            decided_on=_parse_day(request.POST.get("decided_on", "")),
            document_number=request.POST.get("document_number", ""),
            upload=request.FILES.get("document"),
            remarks=request.POST.get("remarks", ""),
            request=request,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _entrusted_page(request, application, errors=error.messages, status=400)
    verdict = _("评审通过") if result.passed else _("评审未通过")
    messages.success(request, _("已登记委托评审结果：%(verdict)s。") % {"verdict": verdict})
    return redirect(reverse("review:entrusted", args=[application.pk]))


@login_required
def entrusted_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The 委托评审函: for everyone who may see the application (the applicant takes it along)."""
    from certificates.entrustment import render_entrustment_letter

    application = get_application_for_user(request.user, pk)
    entrustment = EntrustedReview.objects.filter(application=application).select_related("tenant", "issuer").first()
    if entrustment is None:
        raise Http404
    content = render_entrustment_letter(entrustment)
    audit(action="entrusted_letter_downloaded", actor=request.user, target=application, request=request)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="entrustment-{application.pk}.pdf"'
    return response


@login_required
def entrusted_result_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest result document, for the bureau that recorded it."""
    from django.http import FileResponse

    application = entrusted.get_application_for_entrusting(request.user, pk)
    entrustment = EntrustedReview.objects.filter(application=application).first()
    result = entrustment.results.order_by("-id").first() if entrustment else None
    if result is None:
        raise Http404
    audit(action="entrusted_result_downloaded", actor=request.user, target=application, request=request)
    return FileResponse(result.document.open("rb"), content_type="application/pdf", filename=result.document_name)


# --- Appeals ---------------------------------------------------------------------------------------


@login_required
@require_POST
def appeal_lodge(request: HttpRequest, pk: int) -> HttpResponse:
    application = appeals.get_application_for_appellant(request.user, pk)
    try:
        appeal = appeals.appeal_lodge(
            actor=request.user, application=application, reasons=request.POST.get("reasons", ""), request=request
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("申诉已提交，由%(handler)s复查，复查期限至%(due)s。")
            % {"handler": appeal.handler.name, "due": appeals.plain_date(appeal.due_on)},
        )
    return redirect(reverse("applications:status", args=[application.pk]))


@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    if not appeals.is_handler(request.user):
        raise Http404
    status = request.GET.get("status") or Appeal.Status.PENDING
    if status not in Appeal.Status.values:
        status = Appeal.Status.PENDING
    rows = list(appeals.appeals_for_handler(request.user).filter(status=status).order_by("due_on", "id")[:200])
    for row in rows:
        row.overdue, row.days_overdue = appeals.is_overdue(row), appeals.days_overdue(row)
    # The city bureau sees every overdue re-examination of its tenant, the departments' too.
    supervised = [
        a for a in appeals.overdue_for_supervisor(request.user)[:200]
        if a.handler_level != Appeal.HandlerLevel.CITY  # the bureau's own are flagged in its list
    ]
    for row in supervised:
        row.days_overdue = appeals.days_overdue(row)
    audit_read(request=request, what="appeals", rows=len(rows) + len(supervised))
    return render(
        request,
        "review/appeals.html",
        {"rows": rows, "status": status, "statuses": Appeal.Status.choices, "supervised": supervised,
         "term_days": appeals.review_working_days(request.user.tenant)},
    )


@login_required
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = appeals.get_appeal_for_handler(request.user, pk)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        outcome = request.POST.get("outcome", "")
        try:
            appeals.appeal_decide(
                actor=request.user,
                appeal=appeal,
                revoke={"revoke": True, "uphold": False}.get(outcome),
                finding=request.POST.get("finding", ""),
                request=request,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            errors, status = error.messages, 400
        else:
            late = (
                _("（逾期作出，超过复查期限%(days)s天）") % {"days": appeals.days_overdue(appeal)}
                if appeals.is_overdue(appeal) else ""
            )
            status = appeal.get_status_display()
            messages.success(request, _("已作出复查结论：%(status)s%(late)s。") % {"status": status, "late": late})
            return redirect(reverse("review:appeals"))
    else:
        audit_read(request=request, what="appeal", target=appeal.application, subject=appeal.application.applicant)
    return render(
        request,
        "review/appeal_decide.html",
        {"appeal": appeal, "application": appeal.application, "errors": errors, "posted": request.POST,
         "overdue": appeals.is_overdue(appeal), "days_overdue": appeals.days_overdue(appeal),
         "term_days": appeals.working_days_of(appeal)},
        status=status,
    )
