"""The documents page, its polling endpoint, audited downloads and the REST API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from certificates.models import DocumentJob
from core.models import AuditEvent
from tests.factories import ApplicantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_lists_the_kinds_and_lets_the_applicant_request_and_download(
    client, application, django_capture_on_commit_callbacks
):
    client.force_login(application.applicant)
    page = client.get(reverse("certificates:application_documents", kwargs={"pk": application.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert "生成评审表" in body and "生成考核认定表" in body
    assert "<script>" not in body and " style=" not in body and " onclick=" not in body

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates:document_request", kwargs={"pk": application.pk}), {"kind": "evaluation_form"}
        )
    assert response.status_code == 302
    job = DocumentJob.objects.get()
    status = client.get(reverse("certificates:job_status", kwargs={"pk": job.pk})).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["download_url"] == reverse("certificates:download", kwargs={"pk": job.pk})

    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="document_downloaded", actor=application.applicant).count() == 1
    assert "下载评审表" in client.get(page.request["PATH_INFO"]).content.decode()


def test_it_shows_a_queued_job_with_progress_for_the_script_to_follow(client, application):
    job = DocumentJob.objects.create(
        kind="evaluation_form",
        application=application,
        submission=application.submissions.get(),
        requested_by=application.applicant,
    )
    client.force_login(application.applicant)
    body = client.get(reverse("certificates:application_documents", kwargs={"pk": application.pk})).content.decode()
    assert f'data-job-status="{reverse("certificates:job_status", kwargs={"pk": job.pk})}"' in body
    assert "排队中" in body
    assert client.get(reverse("certificates:download", kwargs={"pk": job.pk})).status_code == 404


def test_it_lets_unit_staff_see_and_hides_the_documents_from_others(client, application):
    handler = UserFactory(role=Role.UNIT_HANDLER, organisation=application.unit, tenant=application.tenant)
    client.force_login(handler)
    assert client.get(reverse("certificates:application_documents", kwargs={"pk": application.pk})).status_code == 200
    for outsider in (
        ApplicantFactory(organisation=application.unit),
        UserFactory(role=Role.EXPERT, organisation=application.unit, tenant=application.tenant),
    ):
        client.force_login(outsider)
        for name in ("certificates:application_documents", "certificates:document_request"):
            assert client.post(reverse(name, kwargs={"pk": application.pk})).status_code in (404, 405)
            assert client.get(reverse(name, kwargs={"pk": application.pk})).status_code in (404, 405)


def test_it_requests_a_document_and_reports_the_job_through_the_api(
    client, application, django_capture_on_commit_callbacks
):
    client.force_login(application.applicant)
    url = reverse("certificates_api:document_request", kwargs={"pk": application.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "assessment_form"}, content_type="application/json")
    assert response.status_code == 202, response.content  # accepted; the worker renders it
    job = client.get(reverse("certificates_api:job_detail", kwargs={"pk": response.json()["id"]})).json()
    assert job["status"] == "done" and job["pages"] >= 1 and len(job["sha256"]) == 64
    assert job["download_url"] == reverse("certificates:download", kwargs={"pk": job["id"]})

    again = client.post(url, {"kind": "assessment_form"}, content_type="application/json").json()
    assert again["id"] == job["id"] and again["sha256"] == job["sha256"]
    detail = client.get(reverse("certificates_api:job_detail", kwargs={"pk": job["id"]}))
    assert detail.json()["id"] == job["id"]

    bad = client.post(url, {"kind": "nonsense"}, content_type="application/json")
    assert bad.status_code == 400

    client.force_login(ApplicantFactory(organisation=application.unit))
    assert client.get(reverse("certificates_api:job_detail", kwargs={"pk": job["id"]})).status_code == 404
    assert client.post(url, {"kind": "assessment_form"}, content_type="application/json").status_code == 404
