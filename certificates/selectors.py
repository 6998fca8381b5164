"""Reads that need care: which document jobs a user may reach, and the review opinions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from applications.models import Application, Submission
from applications.selectors import applications_for_user
from certificates.models import DocumentJob
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
    return {job.kind: job for job in DocumentJob.objects.filter(submission=submission)}


def review_opinions(submission: Submission) -> list[dict[str, Any]]:
    """The opinions given on this submission, one dict per level: ``level`` (unit, department,
    bureau), ``text``, ``by`` and ``on``."""
    return document_opinions(submission)
