"""Document requests and rendering: every state change of a DocumentJob happens here."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from certificates import documents, rendering
from certificates.models import DocumentJob
from certificates.permissions import can_request_document
from certificates.selectors import latest_submission
from core.audit import audit

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A job still "running" after this long belongs to a worker that died; a redelivery takes it over.
STALE_RUNNING = timedelta(minutes=10)


class DocumentRenderError(Exception):
    """A render failed; the job is marked failed and the task retries."""


def document_request(*, actor: User, application: Application, kind: str, request=None) -> DocumentJob:
    """Ask for a document of the latest submission. Idempotent: the same (kind, submission)
    always gives the same job; a failed job is queued again, a queued or finished one returned."""
    if not can_request_document(actor, application):
        raise PermissionDenied
    available = {k.code for k in documents.kinds_for(application)}
    if kind not in available:
        raise ValidationError({"kind": ["该申报没有这种表格，请从列出的表格中选择。"]})
    submission = latest_submission(application)
    if submission is None:
        raise ValidationError({"__all__": ["申报尚未提交，提交后才能生成表格。"]})
    from certificates.tasks import render_document

    with transaction.atomic():
        try:
            with transaction.atomic():
                job, created = DocumentJob.objects.get_or_create(
                    kind=kind,
                    submission=submission,
                    defaults={"application": application, "requested_by": actor},
                )
        except IntegrityError:  # two requests raced past get(): the other one created it
            job, created = DocumentJob.objects.get(kind=kind, submission=submission), False
        job = DocumentJob.objects.select_for_update().get(pk=job.pk)
        again = not created and job.status == DocumentJob.Status.FAILED
        if again:
            job.status = DocumentJob.Status.QUEUED
            job.attempts = 0
            job.error = ""
            job.save(update_fields=["status", "attempts", "error", "updated_at"])
        if created or again:
            audit(
                action="document_requested",
                actor=actor,
                target=job,
                request=request,
                kind=kind,
                application_id=application.pk,
                revision=submission.revision,
            )
            transaction.on_commit(lambda: render_document.delay(job.pk))
    return job


def _claim(job_id: int) -> DocumentJob | None:
    """Mark the job running, or None when there is nothing to do (finished, given up, or being
    rendered right now by another worker)."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        if job.status == DocumentJob.Status.DONE:
            return None
        if job.status == DocumentJob.Status.FAILED and job.attempts >= MAX_ATTEMPTS:
            return None
        now = timezone.now()
        if job.status == DocumentJob.Status.RUNNING and job.started_at and now - job.started_at < STALE_RUNNING:
            return None
        job.status = DocumentJob.Status.RUNNING
        job.attempts += 1
        job.started_at = now
        job.save(update_fields=["status", "attempts", "started_at", "updated_at"])
        return job


def document_render(*, job_id: int) -> DocumentJob:
    """Render and store the job's PDF. Safe to run twice: a finished job is left as it is.

    Raises DocumentRenderError after marking the job failed, so that the task can retry.
    """
    job = _claim(job_id)
    if job is None:
        return DocumentJob.objects.get(pk=job_id)
    application = job.application
    try:
        html = documents.render_html(
            kind=job.kind,
            submission=job.submission,
            tenant_code=application.tenant.code,
            tenant_name=application.tenant.name,
        )
        pdf = rendering.render_pdf(html)
    except Exception as error:  # any failure of templates, fonts or WeasyPrint is the same to the user
        logger.exception("document job %s failed on attempt %s", job.pk, job.attempts)
        retrying = job.attempts < MAX_ATTEMPTS
        message = "表格生成失败，" + ("系统将自动重试。" if retrying else "请稍后重新生成或联系管理员。")
        DocumentJob.objects.filter(pk=job.pk).update(
            status=DocumentJob.Status.FAILED,
            error=f"{message}（第{job.attempts}次，{type(error).__name__}）"[:500],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        raise DocumentRenderError(str(job.pk)) from error
    with transaction.atomic():
        locked = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == DocumentJob.Status.DONE:
            return locked  # another worker finished first; its file stands
        locked.file.save("document.pdf", ContentFile(pdf.content), save=False)
        locked.sha256 = pdf.sha256
        locked.page_count = pdf.pages
        locked.status = DocumentJob.Status.DONE
        locked.error = ""
        locked.finished_at = timezone.now()
        locked.save(update_fields=["file", "sha256", "page_count", "status", "error", "finished_at", "updated_at"])
        audit(action="document_rendered", target=locked, kind=locked.kind, sha256=pdf.sha256, pages=pdf.pages)
    return locked


def document_downloaded(*, actor: User, job: DocumentJob, request=None) -> None:
    audit(action="document_downloaded", actor=actor, target=job, request=request, kind=job.kind, sha256=job.sha256)
