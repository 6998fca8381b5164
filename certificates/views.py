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
