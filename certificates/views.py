"""Thin views: the documents page of an application, requests, status for polling, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.selectors import get_application_for_user
from certificates import documents, selectors, services
from certificates.models import DocumentJob
from certificates.permissions import can_request_document, can_see_documents
from core.audit import audit_read


def _application(request: HttpRequest, pk: int):
    application = get_application_for_user(request.user, pk)
    if not can_see_documents(request.user, application):
        raise Http404
    return application


@login_required
def application_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """打印表格: the kinds this application has, each with its job's state and download."""
    application = _application(request, pk)
    submission = selectors.latest_submission(application)
    jobs = selectors.jobs_for_submission(submission)
    rows = [{"kind": kind, "job": jobs.get(kind.code)} for kind in documents.kinds_for(application)]
    return render(
        request,
        "certificates/application_documents.html",
        {
            "application": application,
            "submission": submission,
            "rows": rows,
            "can_request": submission is not None and can_request_document(request.user, application),
        },
    )


@login_required
@require_POST
def document_request(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    try:
        job = services.document_request(
            actor=request.user, application=application, kind=request.POST.get("kind", ""), request=request
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if job.status == DocumentJob.Status.DONE:
            messages.success(request, _("%(kind)s已生成，可以下载。") % {"kind": job.get_kind_display()})
        else:
            messages.success(request, _("已开始生成%(kind)s，请稍候。") % {"kind": job.get_kind_display()})
    return redirect("certificates:application_documents", pk=application.pk)


def job_payload(job: DocumentJob) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "kind_label": job.get_kind_display(),
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress_percent,
        "attempts": job.attempts,
        "error": job.error,
        "pages": job.page_count,
        "sha256": job.sha256 or None,
        "download_url": reverse("certificates:download", kwargs={"pk": job.pk})
        if job.status == DocumentJob.Status.DONE
        else None,
    }


@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(job_payload(selectors.get_job_for_user(request.user, pk)))


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    job = selectors.get_job_for_user(request.user, pk)
    if job.status != DocumentJob.Status.DONE or not job.file:
        raise Http404
    services.document_downloaded(actor=request.user, job=job, request=request)
    number = documents.application_number(job.submission)
    return FileResponse(
        job.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{job.get_kind_display()}-{number}.pdf",
    )


# ---------------------------------------------------------------------------------------------
# Electronic title certificates
# ---------------------------------------------------------------------------------------------


def _issuer_tenant(request: HttpRequest):
    from certificates.permissions import can_issue_certificates

    tenant = getattr(request.user, "tenant", None)
    if not can_issue_certificates(request.user, tenant):
        raise Http404
    return tenant


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    """证书管理: the tenant's certificates, the batch issue button and the latest batches."""
    from applications.models import Application

    tenant = _issuer_tenant(request)
    certificates = list(selectors.certificates_for_user(request.user).order_by("-id")[:500])
    audit_read(request=request, what="certificates", rows=len(certificates))
    return render(
        request,
        "certificates/certificate/list.html",
        {
            "certificates": certificates,
            "batches": selectors.batches_for_user(request.user)[:5],
            # What a batch would issue now: approved, without a certificate, not held by a committee's publicity.
            "pending": services.issuable_for(tenant.pk).count(),
            "approved": Application.objects.filter(tenant=tenant, status=Application.Status.APPROVED).count(),
            "can_revoke": request.user.role == "tenant_admin",
        },
    )


@login_required
@require_POST
def batch_issue(request: HttpRequest) -> HttpResponse:
    tenant = _issuer_tenant(request)
    try:
        batch = services.certificate_batch_issue(actor=request.user, tenant=tenant, request=request)
    except PermissionDenied as error:
        raise Http404 from error
    return redirect("certificates:batch_detail", pk=batch.pk)


def batch_payload(batch) -> dict:
    return {
        "id": batch.pk,
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "total": batch.total,
        "done": batch.done,
        "issued": batch.issued,
        "failed": batch.failed,
        "progress": batch.progress_percent,
        "finished": batch.is_finished,
    }


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.get_batch_for_user(request.user, pk)
    return render(request, "certificates/certificate/batch.html", {"batch": batch})


@login_required
def batch_status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(batch_payload(selectors.get_batch_for_user(request.user, pk)))


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    from certificates.permissions import can_revoke_certificate

    certificate = selectors.get_certificate_for_user(request.user, pk)
    if not can_revoke_certificate(request.user, certificate):
        raise Http404
    try:
        services.certificate_revoke(
            actor=request.user, certificate=certificate, reason=request.POST.get("reason", ""), request=request
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("证书%(number)s已撤销。") % {"number": certificate.number})
    return redirect("certificates:certificate_list")


@login_required
def my_certificates(request: HttpRequest) -> HttpResponse:
    """我的证书: the holder's own certificates with their downloads."""
    from certificates.models import Certificate

    own = Certificate.objects.filter(holder=request.user).order_by("-issued_on", "-id")
    return render(request, "certificates/certificate/mine.html", {"certificates": own})


@login_required
def certificate_download(request: HttpRequest, pk: int) -> FileResponse:
    from certificates.permissions import can_download_certificate

    certificate = selectors.get_certificate_for_user(request.user, pk)
    if not can_download_certificate(request.user, certificate) or not certificate.file:
        raise Http404
    services.certificate_downloaded(actor=request.user, certificate=certificate, request=request)
    return FileResponse(
        certificate.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=_("职称证书-%(number)s.pdf") % {"number": certificate.number},
    )


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public (no login): what the QR code on a certificate opens."""
    from certificates.certificate_documents import mask_name

    certificate = selectors.get_certificate_by_token(token)
    return render(
        request,
        "certificates/certificate/verify.html",
        {"certificate": certificate, "masked_name": mask_name(certificate.holder_name), "searched": True},
    )


def verify_lookup(request: HttpRequest) -> HttpResponse:
    """Public (no login): look a certificate up by its number and the holder's name."""
    from certificates.certificate_documents import mask_name

    number = request.GET.get("number", "")
    name = request.GET.get("name", "")
    searched = bool(number or name)
    certificate = selectors.find_certificate(number=number, holder_name=name) if searched else None
    return render(
        request,
        "certificates/certificate/verify.html",
        {
            "certificate": certificate,
            "masked_name": mask_name(certificate.holder_name) if certificate else "",
            "searched": searched,
            "show_form": True,
            "number": number,
            "name": name,
        },
    )


def verify_upload(request: HttpRequest) -> HttpResponse:
    """Public (no login): upload a certificate PDF; says whether its signature is intact, whether it
    matches the issue record, and the record's status now."""
    from certificates import verification
    from certificates.certificate_documents import mask_name

    context: dict = {"show_form": True, "show_upload": True}
    if request.method == "POST":
        try:
            content = verification.read_upload(request.FILES.get("file"))
        except ValidationError as error:
            context["upload_errors"] = error.messages
        else:
            result = verification.verify_file(content)
            context["file_result"] = result
            if result.certificate is not None and result.matches_record:
                context["certificate"] = result.certificate
                context["masked_name"] = mask_name(result.certificate.holder_name)
    return render(request, "certificates/certificate/verify.html", context, status=200)


@login_required
def certificate_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    """补发 / 换发 of one certificate, with its version history."""
    import datetime as dt

    from certificates.permissions import can_issue_certificates

    certificate = selectors.get_certificate_for_user(request.user, pk)
    if not can_issue_certificates(request.user, certificate.tenant):
        raise Http404
    errors: dict = {}
    if request.method == "POST":
        raw_date = request.POST.get("notice_date", "").strip()
        notice_date = None
        if raw_date:
            try:
                notice_date = dt.date.fromisoformat(raw_date)
            except ValueError:
                errors = {"notice_date": [_("登报日期格式应为 年-月-日，例如 2026-11-01。")]}
        if not errors:
            try:
                services.certificate_reissue(
                    actor=request.user,
                    certificate=certificate,
                    kind=request.POST.get("kind", ""),
                    reason=request.POST.get("reason", ""),
                    notice_newspaper=request.POST.get("notice_newspaper", ""),
                    notice_date=notice_date,
                    notice_text=request.POST.get("notice_text", ""),
                    notice_scan=request.FILES.get("notice_scan"),
                    request=request,
                )
            except ValidationError as error:
                errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            else:
                messages.success(
                    request, _("证书%(number)s已受理补发/换发，新版证书正在生成。") % {"number": certificate.number}
                )
                return redirect("certificates:certificate_reissue", pk=certificate.pk)
    issues = certificate.issues.select_related("requested_by").order_by("-version")
    return render(
        request,
        "certificates/certificate/reissue.html",
        {"certificate": certificate, "issues": issues, "errors": errors, "form": request.POST},
    )


# ---------------------------------------------------------------------------------------------
# Fee ledger
# ---------------------------------------------------------------------------------------------


@login_required
def fee_list(request: HttpRequest) -> HttpResponse:
    """费用台账: the bureau records and marks fees paid; an applicant sees their own."""
    from certificates import fees
    from certificates.models import FeeEntry
    from certificates.permissions import can_issue_certificates

    is_bureau = can_issue_certificates(request.user, getattr(request.user, "tenant", None))
    entries = fees.fees_for_user(request.user).order_by("-created_at", "-id")[:500]
    return render(
        request,
        "certificates/fees/list.html",
        {"entries": entries, "is_bureau": is_bureau, "kinds": FeeEntry.Kind.choices},
    )


@login_required
@require_POST
def fee_record(request: HttpRequest) -> HttpResponse:
    from applications.models import Application
    from certificates import fees

    tenant = _issuer_tenant(request)
    try:
        application_id = int(request.POST.get("application", ""))
    except ValueError:
        application_id = 0
    application = Application.objects.filter(tenant=tenant, pk=application_id).select_related("tenant").first()
    if application is None:
        messages.error(request, _("申报编号：未找到本地区的该申报，请核对。"))
        return redirect("certificates:fee_list")
    try:
        fees.fee_record(
            actor=request.user,
            application=application,
            kind=request.POST.get("kind", ""),
            amount=request.POST.get("amount", ""),
            request=request,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("费用已登记。"))
    return redirect("certificates:fee_list")


@login_required
@require_POST
def fee_paid(request: HttpRequest, pk: int) -> HttpResponse:
    from certificates import fees
    from certificates.permissions import can_issue_certificates

    fee = fees.get_fee_for_user(request.user, pk)
    if not can_issue_certificates(request.user, fee.tenant):
        raise Http404
    try:
        fees.fee_mark_paid(
            actor=request.user, fee=fee, receipt_number=request.POST.get("receipt_number", ""), request=request
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已登记为已缴。"))
    return redirect("certificates:fee_list")
