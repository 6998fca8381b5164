"""Bureau pages: integrity records, statistics per window, Excel exports. Thin: parse, fetch
through a scoped getter, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.dates import local_date
from core.spreadsheets import xlsx_response
from review import bureau, exports, selectors
from review.statistics import statistics as window_statistics


def _require_reviewer(request: HttpRequest) -> None:
    if not selectors.is_reviewer(request.user):
        raise Http404


def _require_integrity(request: HttpRequest) -> None:
    if not bureau.may_record_integrity(request.user):
        raise Http404


def _xlsx(content: bytes, kind: str, detail: str = "") -> HttpResponse:
    """The download, named in Chinese (审核列表-202611101030.xlsx), with an ASCII fallback."""
    name, fallback = exports.FILE_NAMES[kind]
    return xlsx_response(content, f"{name}-{detail}" if detail else name, fallback)


def _integrity_context(request: HttpRequest, **extra) -> dict:
    today = timezone.localdate()
    return {
        "findings": list(bureau.findings_for(request.user)),
        "units": list(bureau.units_in_remit(request.user).order_by("name").only("pk", "name")),
        "periods": [(value, _(label)) for value, label in bureau.SUSPENSIONS.items()],
        "ban_years": request.user.tenant.fraud_ban_years,
        "today": today,
        **extra,
    }


@login_required
def integrity_list(request: HttpRequest) -> HttpResponse:
    _require_integrity(request)
    return render(request, "review/integrity_list.html", _integrity_context(request))


@login_required
@require_POST
def integrity_add(request: HttpRequest) -> HttpResponse:
    _require_integrity(request)
    subject = request.POST.get("subject", "person")
    reason = request.POST.get("reason", "")
    try:
        if subject == "unit":
            unit = request.POST.get("unit", "")
            finding = bureau.record_unit_finding(
                actor=request.user,
                unit_id=int(unit) if unit.isdigit() else None,
                period=request.POST.get("period", ""),
                reason=reason,
                request=request,
            )
            name = finding.unit.name
        else:
            finding = bureau.record_person_finding(
                actor=request.user, id_number=request.POST.get("id_number", ""), reason=reason, request=request
            )
            name = finding.person.full_name
    except ValidationError as error:
        context = _integrity_context(request, errors=error.messages, posted=request.POST, subject=subject)
        return render(request, "review/integrity_list.html", context, status=400)
    until = local_date(finding.ends_on)
    messages.success(request, _("已记录%(name)s的诚信问题，%(until)s前不得申报。") % {"name": name, "until": until})
    return redirect(reverse("review:integrity_list"))


@login_required
@require_POST
def integrity_lift(request: HttpRequest, pk: int) -> HttpResponse:
    _require_integrity(request)
    finding = bureau.get_finding(request.user, pk)
    try:
        bureau.lift_finding(actor=request.user, finding=finding, note=request.POST.get("note", ""), request=request)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("已解除该诚信记录。"))
    return redirect(reverse("review:integrity_list"))


@login_required
def integrity_export(request: HttpRequest) -> HttpResponse:
    _require_integrity(request)
    try:
        content = exports.export_integrity(actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(reverse("review:integrity_list"))
    return _xlsx(content, "integrity")


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    stats = window_statistics(request.user, request.GET.get("window", ""))
    return render(request, "review/bureau_statistics.html", {"stats": stats})


@login_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    window = request.GET.get("window", "")
    content = exports.export_statistics(actor=request.user, window=window, request=request)
    return _xlsx(content, "statistics", window[:40])


@login_required
def queue_export(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    filters = selectors.QueueFilters.from_query(request.GET)
    try:
        content = exports.export_queue(actor=request.user, filters=filters, request=request)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(f"{reverse('review:queue')}?{request.GET.urlencode()}")
    return _xlsx(content, "queue")
