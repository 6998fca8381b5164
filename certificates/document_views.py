"""Thin views of window-level documents (推荐人员名单, 申报统计表, 任职资格文件): the bureau's page
listing its windows and levels, requests, a progress page, status for polling and the download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from certificates import rosters
from certificates.models import DocumentJob

SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tenant(request: HttpRequest):
    tenant = getattr(request.user, "tenant", None)
    if not rosters.can_request_window_documents(request.user, tenant):
        raise Http404
    return tenant


@login_required
def window_documents(request: HttpRequest) -> HttpResponse:
    """名单与统计: each window and level with its counts, the three documents, the latest jobs."""
    tenant = _tenant(request)
    return render(
        request,
        "certificates/window_documents.html",
        {
            "windows": rosters.windows_for(tenant),
            "jobs": list(rosters.window_jobs_for_user(request.user).order_by("-id")[:20]),
            "kinds": [(code, DocumentJob.Kind(code).label) for code in DocumentJob.WINDOW_KINDS],
            "can_full_ids": rosters.can_see_full_ids(request.user),
        },
    )


@login_required
@require_POST
def window_document_request(request: HttpRequest) -> HttpResponse:
    tenant = _tenant(request)
    try:
        job = rosters.window_document_request(
            actor=request.user,
            tenant=tenant,
            kind=request.POST.get("kind", ""),
            window_name=request.POST.get("window_name", ""),
            level=request.POST.get("level", ""),
            full_ids=request.POST.get("full_ids") == "1",
            request=request,
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("certificates:window_documents")
    return redirect("certificates:window_job", pk=job.pk)


def window_job_payload(job: DocumentJob) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "kind_label": job.get_kind_display(),
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress_percent,
        "error": job.error,
        "download_url": reverse("certificates:window_job_download", kwargs={"pk": job.pk})
        if job.status == DocumentJob.Status.DONE
        else None,
    }


@login_required
def window_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = rosters.get_window_job_for_user(request.user, pk)
    return render(request, "certificates/window_job.html", {"job": job, "params": job.params or {}})


@login_required
def window_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(window_job_payload(rosters.get_window_job_for_user(request.user, pk)))


@login_required
def window_job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = rosters.get_window_job_for_user(request.user, pk)
    if job.status != DocumentJob.Status.DONE or not job.file:
        raise Http404
    rosters.window_document_downloaded(actor=request.user, job=job, request=request)
    return FileResponse(
        job.file.open("rb"),
        content_type=SPREADSHEET if job.is_spreadsheet else "application/pdf",
        as_attachment=True,
        filename=rosters.window_document_filename(job),
    )
