"""Reads that need care: which document jobs a user may reach, and the review opinions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from applications.models import Application, Submission
from applications.selectors import applications_for_user
from certificates.models import Certificate, CertificateBatch, DocumentJob
from review.selectors import document_opinions


def jobs_for_user(user: User) -> QuerySet[DocumentJob]:
    """Jobs of the applications the user may see (applications.selectors decides who sees what)."""
    if not user.is_authenticated:
        return DocumentJob.objects.none()
    return DocumentJob.objects.select_related("application__tenant", "submission").filter(
        application__in=applications_for_user(user)
    )


def get_job_for_user(user: User, pk: int) -> DocumentJob:
    return get_object_or_404(jobs_for_user(user), pk=pk)


def latest_submission(application: Application) -> Submission | None:
    return application.submissions.order_by("-revision").first()


def jobs_for_submission(submission: Submission | None) -> dict[str, DocumentJob]:
    if submission is None:
        return {}
    # Only the jobs rendered from the current opinions: a form printed before a level decided is
    # history (still downloadable by its id), and the page offers a fresh one.
    from certificates.documents import subject_key_for

    keys: dict[str, str] = {}
    jobs = {}
    for job in DocumentJob.objects.filter(submission=submission):
        if job.kind not in keys:
            keys[job.kind] = subject_key_for(job.kind, submission)
        if job.subject_key == keys[job.kind]:
            jobs[job.kind] = job
    return jobs


def review_opinions(submission: Submission) -> list[dict[str, Any]]:
    """The opinions given on this submission, one dict per level: ``level`` (unit, department,
    bureau), ``text``, ``by`` and ``on``."""
    return document_opinions(submission)


def certificates_for_user(user: User) -> QuerySet[Certificate]:
    """Bureau issuers see their tenant's certificates; anyone else only their own."""
    from certificates.permissions import CERTIFICATE_ISSUER_ROLES

    if not user.is_authenticated:
        return Certificate.objects.none()
    if user.role in CERTIFICATE_ISSUER_ROLES and user.tenant_id:
        return Certificate.objects.filter(tenant_id=user.tenant_id)
    return Certificate.objects.filter(holder=user)


def get_certificate_for_user(user: User, pk: int) -> Certificate:
    return get_object_or_404(certificates_for_user(user), pk=pk)


def batches_for_user(user: User) -> QuerySet[CertificateBatch]:
    from certificates.permissions import CERTIFICATE_ISSUER_ROLES

    if not user.is_authenticated or user.role not in CERTIFICATE_ISSUER_ROLES or not user.tenant_id:
        return CertificateBatch.objects.none()
    return CertificateBatch.objects.filter(tenant_id=user.tenant_id)


def get_batch_for_user(user: User, pk: int) -> CertificateBatch:
    return get_object_or_404(batches_for_user(user), pk=pk)


def get_certificate_by_token(token: str) -> Certificate:
    return get_object_or_404(Certificate, token=token)


def find_certificate(*, number: str, holder_name: str) -> Certificate | None:
    """Lookup by number for the public page. The holder's full name must match too, so that the
    sequential numbers cannot be walked to list everyone's certificates."""
    number, holder_name = number.strip(), holder_name.strip()
    if not number or not holder_name:
        return None
    matches = list(Certificate.objects.filter(number=number, holder_name=holder_name)[:2])
    return matches[0] if len(matches) == 1 else None


def certificates_pending_for(tenant_id: int, application_ids: list[int] | None = None) -> QuerySet[Application]:
    """APPROVED applications of the tenant without a certificate, or whose PDF is still missing."""
    from django.db.models import Q

    queryset = Application.objects.filter(tenant_id=tenant_id, status=Application.Status.APPROVED).filter(
        Q(certificate__isnull=True) | Q(certificate__file="", certificate__status=Certificate.Status.VALID)
    )
    if application_ids is not None:
        queryset = queryset.filter(pk__in=application_ids)
    return queryset.order_by("pk")
