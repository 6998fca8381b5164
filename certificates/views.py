"""Thin views: the documents page of an application, requests, status for polling, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from applications.selectors import get_application_for_user
from certificates import documents, selectors, services
from certificates.models import DocumentJob
from certificates.permissions import can_request_document, can_see_documents


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
            messages.success(request, f"{job.get_kind_display()}已生成，可以下载。")
        else:
            messages.success(request, f"已开始生成{job.get_kind_display()}，请稍候。")
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
    certificates = selectors.certificates_for_user(request.user).order_by("-id")[:500]
    return render(
        request,
        "certificates/certificate/list.html",
        {
            "certificates": certificates,
            "batches": selectors.batches_for_user(request.user)[:5],
            "pending": selectors.certificates_pending_for(tenant.pk).count(),
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
        messages.success(request, f"证书{certificate.number}已撤销。")
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
        filename=f"职称证书-{certificate.number}.pdf",
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
