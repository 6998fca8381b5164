"""A real Celery worker process renders a requested document end to end."""

from __future__ import annotations

import time

import pytest

from certificates import services
from certificates.models import DocumentJob
from tests.certificates.conftest import file_application
from tests.certificates.helpers import pdf_text


@pytest.mark.django_db(transaction=True)
def test_it_renders_a_document_in_a_real_celery_worker(celery_worker_process):
    application, submission = file_application("zhengzhou")
    job = services.document_request(
        actor=application.applicant, application=application, kind=DocumentJob.Kind.EVALUATION_FORM
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        assert celery_worker_process.poll() is None, "the Celery worker exited"
        time.sleep(0.3)
    assert job.status == DocumentJob.Status.DONE, job.error
    assert job.attempts == 1
    text = pdf_text(job.file.read())
    assert submission.snapshot["application"]["applicant"]["name"] in text
    assert f"第1页/共{job.page_count}页" in text
