"""Document requests and rendering: every state change of a DocumentJob happens here."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application
from certificates import documents, rendering
from certificates.models import DocumentJob
from certificates.permissions import can_request_document
from certificates.selectors import latest_submission
from core.audit import audit
from core.official import official_language
from core.outbox import enqueue

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
        raise ValidationError({"kind": [_("该申报没有这种表格，请从列出的表格中选择。")]})
    submission = latest_submission(application)
    if submission is None:
        raise ValidationError({"__all__": [_("申报尚未提交，提交后才能生成表格。")]})
    # A form printed before a level decided is stale afterwards: a new opinion, a new job (the old file stays).
    subject_key = documents.subject_key_for(kind, submission)
    with transaction.atomic():
        try:
            with transaction.atomic():
                job, created = DocumentJob.objects.get_or_create(
                    kind=kind,
                    submission=submission,
                    subject_key=subject_key,
                    defaults={"application": application, "requested_by": actor, "tenant_id": application.tenant_id},
                )
        except IntegrityError:  # two requests raced past get(): the other one created it
            job, created = DocumentJob.objects.get(kind=kind, submission=submission, subject_key=subject_key), False
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
            enqueue("certificates.tasks.render_document", job.pk)
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
    try:
        pdf = documents.render_job(job)
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
        locked.file.save("document", ContentFile(pdf.content), save=False)
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


# ---------------------------------------------------------------------------------------------
# Electronic title certificates
# ---------------------------------------------------------------------------------------------


def certificate_number_allocate(*, tenant_id: int, year: int, level: str) -> int:
    """The next serial of (tenant, year, level). Must run inside the transaction that stores the
    certificate: the counter row stays locked until it commits, so a rollback gives the number
    back and two issuers never see the same value."""
    from certificates.models import CertificateCounter

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("certificate_number_allocate must run inside transaction.atomic")
    try:
        with transaction.atomic():
            CertificateCounter.objects.get_or_create(tenant_id=tenant_id, year=year, level=level)
    except IntegrityError:  # another issuer created the row first; locking it below waits for it
        pass
    counter = CertificateCounter.objects.select_for_update().get(tenant_id=tenant_id, year=year, level=level)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def certificate_create(*, application_id: int, batch=None, issued_on=None):
    """The certificate row of an APPROVED application, numbered; (certificate, created).

    Idempotent: the application row is locked first, so the same application never gets two
    certificates (nor burns a second number) however many workers try at once.
    """
    import secrets

    from certificates.certificate_documents import certificate_number
    from certificates.models import Certificate
    from certificates.titles import title_name

    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("tenant", "applicant")
            .get(pk=application_id)
        )
        existing = Certificate.objects.filter(application=application).first()
        if existing is not None:
            return existing, False
        if application.status != Application.Status.APPROVED:
            raise ValidationError("只有评审通过的申报才能发证。")
        hold = committee_holds(application.tenant_id, [application.pk]).get(application.pk)
        if hold is not None:
            raise ValidationError(f"暂不能发证：{hold.reason}。")
        issued_on = issued_on or timezone.localdate()
        tenant = application.tenant
        serial = certificate_number_allocate(tenant_id=tenant.pk, year=issued_on.year, level=application.level)
        holder = application.applicant
        certificate = Certificate.objects.create(
            tenant=tenant,
            application=application,
            holder=holder,
            batch=batch,
            year=issued_on.year,
            level=application.level,
            serial=serial,
            number=certificate_number(tenant, year=issued_on.year, level=application.level, serial=serial),
            holder_name=holder.full_name,
            holder_id_masked=holder.id_number_masked,
            title=title_name(application.series, application.level),  # 二级教师, not 中小学教师助理级
            issuer=tenant.authority_name or tenant.name,
            issued_on=issued_on,
            token=secrets.token_urlsafe(24),
        )
        audit(
            action="certificate_issued",
            target=certificate,
            number=certificate.number,
            application_id=application.pk,
            batch_id=batch.pk if batch else None,
        )
    return certificate, True


@official_language
def certificate_render(*, certificate_id: int, base: str):
    """Render and store the certificate's PDF once; a certificate that has its file keeps it."""
    import hashlib

    from certificates import certificate_documents
    from certificates.models import Certificate, CertificateIssue
    from certificates.signing import sign_pdf

    certificate = Certificate.objects.select_related("tenant").get(pk=certificate_id)
    if certificate.file:
        return certificate
    pdf = rendering.render_pdf(certificate_documents.render_html(certificate, base=base))
    # Signed with the tenant's key: any later change to the bytes breaks the signature.
    signed = sign_pdf(tenant=certificate.tenant, pdf_bytes=pdf.content, reason=f"职称证书 {certificate.number}")
    sha256 = hashlib.sha256(signed).hexdigest()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        if locked.file:
            return locked  # another worker stored it first
        issue, _created = CertificateIssue.objects.get_or_create(certificate=locked, version=locked.version)
        issue.sha256 = sha256
        issue.status = CertificateIssue.Status.CURRENT
        issue.file.save("certificate.pdf", ContentFile(signed), save=False)
        issue.save()
        locked.sha256 = sha256
        locked.file.name = issue.file.name  # the current version's file; older versions keep theirs
        locked.save(update_fields=["file", "sha256"])
        audit(action="certificate_rendered", target=locked, number=locked.number, version=issue.version, sha256=sha256)
    return locked


def committee_holds(tenant_id: int, application_ids: list[int] | None = None) -> dict:
    """Application id → why its certificate waits for the committee's publicity (公示 not ended,
    an objection open or found true); see ``committees.selectors.certificate_holds``."""
    from committees.selectors import certificate_holds

    return certificate_holds(tenant_id, timezone.localdate(), application_ids)


def issuable_for(tenant_id: int, application_ids: list[int] | None = None):
    """The pending applications a batch issues now: those the committee's publicity does not hold."""
    from certificates.selectors import certificates_pending_for

    held = committee_holds(tenant_id, application_ids)
    return certificates_pending_for(tenant_id, application_ids).exclude(pk__in=list(held))


def certificate_batch_issue(*, actor: User, tenant, application_ids: list[int] | None = None, request=None):
    """Queue the issue of certificates to every APPROVED application of ``tenant`` that has none
    (or only those of ``application_ids``). The batch row is the outbox; the task takes its id."""
    from certificates import certificate_documents
    from certificates.models import CertificateBatch
    from certificates.permissions import can_issue_certificates
    if not can_issue_certificates(actor, tenant):
        raise PermissionDenied
    ids = sorted({int(pk) for pk in application_ids}) if application_ids is not None else None
    with transaction.atomic():
        batch = CertificateBatch.objects.create(
            tenant=tenant,
            requested_by=actor,
            application_ids=ids,
            base_url=certificate_documents.base_url(request),
            total=issuable_for(tenant.pk, ids).count(),
        )
        audit(action="certificate_batch_requested", actor=actor, target=batch, request=request, total=batch.total)
        enqueue("certificates.tasks.issue_certificate_batch", batch.pk)
    return batch


def certificate_batch_run(*, batch_id: int):
    """Issue (and render) a certificate for every pending application of the batch. Safe to run
    twice: certificates already issued and rendered are skipped, so nothing is issued twice."""
    from django.db.models import F

    from certificates.models import CertificateBatch

    with transaction.atomic():
        batch = CertificateBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == CertificateBatch.Status.DONE:
            return batch
        pending = list(issuable_for(batch.tenant_id, batch.application_ids).values_list("pk", flat=True))
        batch.status = CertificateBatch.Status.RUNNING
        batch.started_at = timezone.now()
        batch.total = len(pending)
        batch.done = 0
        batch.save(update_fields=["status", "started_at", "total", "done", "updated_at"])
    base = batch.base_url or ""
    for application_id in pending:
        created = False
        try:
            certificate, created = certificate_create(application_id=application_id, batch=batch)
            certificate_render(certificate_id=certificate.pk, base=base or _default_base())
        except Exception:  # one bad application must not stop the batch; the next batch retries it
            logger.exception("certificate batch %s: application %s failed", batch_id, application_id)
            CertificateBatch.objects.filter(pk=batch_id).update(failed=F("failed") + 1)
        CertificateBatch.objects.filter(pk=batch_id).update(
            done=F("done") + 1, issued=F("issued") + (1 if created else 0), updated_at=timezone.now()
        )
    CertificateBatch.objects.filter(pk=batch_id).update(
        status=CertificateBatch.Status.DONE, finished_at=timezone.now(), updated_at=timezone.now()
    )
    batch.refresh_from_db()
    audit(action="certificate_batch_finished", target=batch, issued=batch.issued, failed=batch.failed)
    return batch


def _default_base() -> str:
    from certificates.certificate_documents import base_url

    return base_url(None)


def certificate_revoke(*, actor: User, certificate, reason: str, request=None):
    from certificates.models import Certificate
    from certificates.permissions import can_revoke_certificate

    if not can_revoke_certificate(actor, certificate):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写撤销原因。")]})
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == Certificate.Status.REVOKED:
            raise ValidationError({"__all__": [_("该证书已撤销。")]})
        locked.status = Certificate.Status.REVOKED
        locked.revoked_reason = reason[:500]
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["status", "revoked_reason", "revoked_at", "revoked_by"])
        audit(
            action="certificate_revoked",
            actor=actor,
            target=locked,
            request=request,
            number=locked.number,
            reason=reason,
        )
    return locked


def certificate_downloaded(*, actor: User, certificate, request=None) -> None:
    audit(
        action="certificate_downloaded",
        actor=actor,
        target=certificate,
        request=request,
        number=certificate.number,
        sha256=certificate.sha256,
    )


def certificate_reissue(
    *,
    actor: User,
    certificate,
    kind: str,
    reason: str = "",
    notice_newspaper: str = "",
    notice_date=None,
    notice_text: str = "",
    notice_scan=None,
    request=None,
):
    """补发 (lost: ``kind="reissue"``, with the newspaper notice that declared the old one void) or
    换发 (damaged: ``kind="replacement"``) of a valid certificate
    (002_743bb57fc6424707.txt 四、证书补发换发程序). The number stays; the version goes up, the
    previous file is superseded (verifying it says so) and the new file is rendered by a task."""
    from certificates.models import Certificate, CertificateIssue
    from certificates.permissions import can_issue_certificates
    if not can_issue_certificates(actor, certificate.tenant):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if kind not in (CertificateIssue.Kind.REISSUE, CertificateIssue.Kind.REPLACEMENT):
        errors["kind"] = [_("请选择补发（遗失）或换发（损坏）。")]
    reason = (reason or "").strip()
    notice_newspaper = (notice_newspaper or "").strip()
    notice_text = (notice_text or "").strip()
    if len(reason) > 500:
        errors["reason"] = [_("原因不能超过500字。")]
    if kind == CertificateIssue.Kind.REISSUE:
        if not notice_newspaper:
            errors["notice_newspaper"] = [_("补发须填写登报声明原证书作废的报纸名称。")]
        elif len(notice_newspaper) > 100:
            errors["notice_newspaper"] = [_("报纸名称不能超过100字。")]
        if notice_date is None:
            errors["notice_date"] = [_("补发须填写登报日期。")]
        elif notice_date > timezone.localdate():
            errors["notice_date"] = [_("登报日期不能晚于今天。")]
        if not notice_text and not notice_scan:
            errors["notice_text"] = [_("补发须填写遗失声明内容或上传报纸扫描件。")]
        if notice_scan is not None and notice_scan.size > 5 * 1024 * 1024:
            errors["notice_scan"] = [_("报纸扫描件不能超过5MB。")]
    if errors:
        raise ValidationError(errors)
    base = certificate_documents_base(request)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status != Certificate.Status.VALID:
            raise ValidationError({"__all__": [_("已撤销的证书不能补发或换发。")]})
        if not locked.file:
            raise ValidationError({"__all__": [_("证书文件尚未生成，请待发证完成后再办理。")]})
        now = timezone.now()
        CertificateIssue.objects.filter(certificate=locked, status=CertificateIssue.Status.CURRENT).update(
            status=CertificateIssue.Status.SUPERSEDED, superseded_at=now
        )
        previous = locked.version
        locked.version = previous + 1
        locked.file = ""
        locked.sha256 = ""
        locked.save(update_fields=["version", "file", "sha256"])
        issue = CertificateIssue(
            certificate=locked,
            version=locked.version,
            kind=kind,
            reason=reason,
            notice_newspaper=notice_newspaper if kind == CertificateIssue.Kind.REISSUE else "",
            notice_date=notice_date if kind == CertificateIssue.Kind.REISSUE else None,
            notice_text=notice_text if kind == CertificateIssue.Kind.REISSUE else "",
            requested_by=actor,
        )
        if notice_scan is not None and kind == CertificateIssue.Kind.REISSUE:
            issue.notice_scan.save("scan", notice_scan, save=False)
        issue.save()
        audit(
            action=f"certificate_{kind}",
            actor=actor,
            target=locked,
            request=request,
            number=locked.number,
            version=locked.version,
            superseded_version=previous,
            reason=reason,
            notice_newspaper=issue.notice_newspaper,
        )
        certificate_id = locked.pk
        enqueue("certificates.tasks.render_certificate", certificate_id, base)
    return locked


def certificate_documents_base(request=None) -> str:
    from certificates.certificate_documents import base_url

    return base_url(request)
