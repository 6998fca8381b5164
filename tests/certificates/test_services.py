"""Requesting and rendering documents: one job and one file per (kind, submission), retries on
failure with a Chinese error, and only people who may see the application may ask."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from accounts.models import Role
from certificates import rendering, services
from certificates.models import DocumentJob
from certificates.tasks import render_document
from core.models import AuditEvent
from tests.factories import ApplicantFactory, UserFactory

pytestmark = pytest.mark.django_db

EVALUATION = DocumentJob.Kind.EVALUATION_FORM


def stored_documents() -> list[str]:
    found = []
    try:
        dirs, _ = default_storage.listdir("documents")
    except FileNotFoundError:
        return found
    for folder in dirs:
        found += [f"{folder}/{name}" for name in default_storage.listdir(f"documents/{folder}")[1]]
    return found


def test_it_gives_a_duplicate_request_and_a_second_task_run_the_same_single_file(
    application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.document_request(actor=application.applicant, application=application, kind=EVALUATION)
    first.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = services.document_request(actor=application.applicant, application=application, kind=EVALUATION)
    assert callbacks == []  # nothing enqueued for a job that exists
    render_document.delay(first.pk)  # a redelivered task
    render_document.apply(args=[first.pk])
    second.refresh_from_db()

    assert second.pk == first.pk
    assert DocumentJob.objects.count() == 1
    assert second.status == DocumentJob.Status.DONE
    assert second.sha256 == first.sha256 and len(second.sha256) == 64
    assert second.file.name == first.file.name
    assert second.attempts == 1
    assert stored_documents() == [first.file.name.removeprefix("documents/")]
    assert AuditEvent.objects.filter(action="document_requested").count() == 1
    assert AuditEvent.objects.filter(action="document_rendered").count() == 1


def test_it_marks_a_failing_render_failed_in_chinese_and_retries(
    application, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []

    def broken(html):
        calls.append(html)
        raise OSError("font cache unavailable")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.document_request(actor=application.applicant, application=application, kind=EVALUATION)
    job.refresh_from_db()
    assert len(calls) == services.MAX_ATTEMPTS  # eager mode runs the retries at once
    assert job.status == DocumentJob.Status.FAILED
    assert job.attempts == services.MAX_ATTEMPTS
    assert job.error.startswith("表格生成失败")
    assert not job.file

    render_document.apply(args=[job.pk])  # given up: a late redelivery does nothing
    assert len(calls) == services.MAX_ATTEMPTS

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.document_request(actor=application.applicant, application=application, kind=EVALUATION)
    again.refresh_from_db()
    assert again.pk == job.pk
    assert again.status == DocumentJob.Status.DONE and again.error == ""


def test_it_says_it_will_retry_while_attempts_remain(application, monkeypatch):
    monkeypatch.setattr(rendering, "render_pdf", lambda html: (_ for _ in ()).throw(RuntimeError("boom")))
    job = DocumentJob.objects.create(
        kind=EVALUATION,
        application=application,
        submission=application.submissions.get(),
        requested_by=application.applicant,
    )
    with pytest.raises(services.DocumentRenderError):
        services.document_render(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FAILED
    assert "系统将自动重试" in job.error and job.attempts == 1


def test_it_lets_the_units_staff_request_but_not_another_applicant_or_an_expert(application):
    other = ApplicantFactory(organisation=application.unit)
    with pytest.raises(PermissionDenied):
        services.document_request(actor=other, application=application, kind=EVALUATION)
    expert = UserFactory(role=Role.EXPERT, organisation=application.unit, tenant=application.tenant)
    with pytest.raises(PermissionDenied):
        services.document_request(actor=expert, application=application, kind=EVALUATION)
    handler = UserFactory(role=Role.UNIT_HANDLER, organisation=application.unit, tenant=application.tenant)
    job = services.document_request(actor=handler, application=application, kind=EVALUATION)
    assert job.requested_by == handler


def test_it_refuses_a_kind_the_application_does_not_have(application):
    with pytest.raises(ValidationError) as error:
        services.document_request(actor=application.applicant, application=application, kind="certificate")
    assert "该申报没有这种表格" in str(error.value)


def test_it_refuses_a_draft(application):
    application.status = application.Status.DRAFT
    with pytest.raises(PermissionDenied):
        services.document_request(actor=application.applicant, application=application, kind=EVALUATION)
