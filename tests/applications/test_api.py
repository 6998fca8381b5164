"""The filing API: the same services, validation and scoping as the pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import Role
from applications.models import Achievement, Application, Submission
from tests.applications.helpers import eligible_record, open_window, pdf_bytes, pdf_upload
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/applications/"


@pytest.fixture
def applicant():
    return ApplicantFactory(organisation=OrganisationFactory(tenant=TenantFactory(code="zhengzhou", name="郑州市")))


def test_it_files_an_application_end_to_end(client, applicant):
    now = timezone.now()
    open_window("zhengzhou", opens=now - timezone.timedelta(hours=1), closes=now + timezone.timedelta(hours=1))
    eligible_record(applicant)
    client.force_login(applicant)

    created = client.post(API, {"series": "engineering", "level": "assistant"}, content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    patched = client.patch(f"{API}{pk}/", {"specialty": "道路桥梁"}, content_type="application/json")
    assert patched.json()["specialty"] == "道路桥梁"

    checklist = client.get(f"{API}{pk}/checklist/").json()
    required = [slot["id"] for slot in checklist["slots"] if slot["required"]]
    assert required == ["diploma", "labour_contract", "continuing_education_certificate"]
    assert "请先签署诚信承诺书。" in checklist["blockers"]
    for slot in required:
        response = client.post(f"{API}{pk}/upload/", {"slot": slot, "file": pdf_upload(f"{slot}.pdf")})
        assert response.status_code == 201, response.json()
    assert client.get(f"{API}{pk}/precheck/").json()["eligible"] is True
    refused = client.post(f"{API}{pk}/submit/")
    assert refused.status_code == 400 and refused.json() == {"__all__": ["请先签署诚信承诺书。"]}
    signed = client.post(
        f"{API}{pk}/pledge/", {"typed_name": applicant.full_name, "agreed": True}, content_type="application/json"
    )
    assert signed.status_code == 204

    first = client.post(f"{API}{pk}/submit/")
    again = client.post(f"{API}{pk}/submit/")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Submission.objects.filter(application_id=pk).count() == 1
    assert client.get(f"{API}{pk}/").json()["status_label"] == "已提交，待单位审核"


def test_it_reports_every_bad_draft_field_at_once(client, applicant):
    client.force_login(applicant)
    pk = client.post(API, {"series": "engineering", "level": "assistant"}, content_type="application/json").json()["id"]
    response = client.patch(
        f"{API}{pk}/", {"level": "x", "self_statement": "字" * 1001, "specialty": "新"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"level", "self_statement"}
    assert Application.objects.get(pk=pk).specialty == ""


def test_it_refuses_a_bad_upload_with_the_same_message_as_the_page(client, applicant):
    client.force_login(applicant)
    pk = client.post(API, {"series": "engineering", "level": "assistant"}, content_type="application/json").json()["id"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"{API}{pk}/upload/", {"slot": "diploma", "file": SimpleUploadedFile("证书.jpg", pdf_bytes())}
    )
    assert response.status_code == 400
    assert "扩展名与内容不符" in response.json()["non_field_errors"][0]


def test_it_lets_the_unit_approve_archive_entries_through_the_api(client, applicant):
    client.force_login(applicant)
    created = client.post(
        f"{API}achievements/",
        {"kind": "patent", "title": "一种桥梁支座", "achieved_on": "2024-03-01", "proof": pdf_upload()},
    )
    assert created.status_code == 201 and created.json()["status"] == "pending"
    pk = created.json()["id"]
    assert client.post(f"{API}achievements/{pk}/decide/", {"approve": True}).status_code == 404
    handler = UserFactory(role=Role.UNIT_HANDLER, organisation=applicant.organisation)
    client.force_login(handler)
    response = client.post(f"{API}achievements/{pk}/decide/", {"approve": True}, content_type="application/json")
    assert response.json()["status"] == "approved"
    assert Achievement.objects.get(pk=pk).decided_by == handler


def test_it_hides_other_peoples_applications(client, applicant):
    client.force_login(applicant)
    pk = client.post(API, {"series": "engineering", "level": "assistant"}, content_type="application/json").json()["id"]
    client.force_login(ApplicantFactory(organisation=applicant.organisation))
    assert client.get(f"{API}{pk}/").status_code == 404
    assert client.patch(f"{API}{pk}/", {"specialty": "x"}, content_type="application/json").status_code == 404
    client.force_login(UserFactory(role=Role.UNIT_HANDLER, organisation=applicant.organisation))
    assert client.get(API).json()["results"] == []  # drafts are the applicant's own


def test_it_reuses_a_record_scan_through_the_api_and_refuses_another_persons(client, applicant):
    from applications import services

    eligible_record(applicant)
    entry = applicant.education_entries.first()
    services.record_entry_update(
        actor=applicant, kind="education", entry=entry, data={}, proof=pdf_upload("毕业证.pdf")
    )
    stranger = ApplicantFactory(organisation=applicant.organisation)
    eligible_record(stranger)
    foreign = stranger.education_entries.first()
    services.record_entry_update(actor=stranger, kind="education", entry=foreign, data={}, proof=pdf_upload())
    client.force_login(applicant)
    pk = client.post(API, {"series": "engineering", "level": "assistant"}, content_type="application/json").json()["id"]
    url = f"{API}{pk}/reuse-scan/"
    refused = client.post(url, {"slot": "diploma", "kind": "education", "entry": foreign.pk}, "application/json")
    assert refused.status_code == 404
    made = client.post(url, {"slot": "diploma", "kind": "education", "entry": entry.pk}, "application/json")
    assert made.status_code == 201
    assert made.json()["reused_from"] == f"education:{entry.pk}"
    assert made.json()["attachment"]["name"] == "毕业证.pdf"
    checklist = client.get(f"{API}{pk}/checklist/").json()
    assert [s["files"][0]["attachment"]["id"] for s in checklist["slots"] if s["id"] == "diploma"] == [entry.diploma_id]
    assert [(i["id"], i["files"]) for i in checklist["unit_items"]] == [
        ("unit_assessment_report", []),
        ("annual_assessment_forms", []),
        ("integrity_pledge", []),
    ]
