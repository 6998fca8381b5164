"""Filing pages: the applicant's record, the form with its checklist, pre-check, submit, status;
the unit's approval of archive entries; downloads only for those who may see the file."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts.models import Role
from applications import services
from applications.models import Achievement, Application, EducationEntry, Submission
from tests.applications.helpers import eligible_record, fill_required_slots, open_window, pdf_upload
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    unit = OrganisationFactory(tenant=TenantFactory(code="zhengzhou", name="郑州市"))
    return ApplicantFactory(organisation=unit)


@pytest.fixture
def draft(applicant):
    return services.application_create(actor=applicant, series="engineering", level="assistant")


def test_it_starts_an_application_from_the_applicants_page(client, applicant):
    client.force_login(applicant)
    assert "新建申报" in client.get(reverse("applications:index")).content.decode()
    response = client.post(reverse("applications:new"), {"series": "engineering", "level": "assistant"})
    application = Application.objects.get(applicant=applicant)
    assert response.url == reverse("applications:detail", kwargs={"pk": application.pk})


def test_it_shows_the_form_with_what_is_missing_per_slot(client, draft, applicant):
    client.force_login(applicant)
    body = client.get(reverse("applications:detail", kwargs={"pk": draft.pk})).content.decode()
    assert "材料清单（还缺 3 项）" in body
    assert "要求：格式：PDF、JPG、PNG；大小：不超过10MB；PDF不超过50页" in body
    assert "缺少材料：劳动合同。" in body and "请先签署诚信承诺书。" in body
    assert f'data-autosave="/applications/{draft.pk}/autosave/"' in body
    assert "<script>" not in body and "style=" not in body


def test_it_autosaves_changed_fields_as_json(client, draft, applicant):
    client.force_login(applicant)
    url = reverse("applications:autosave", kwargs={"pk": draft.pk})
    response = client.post(url, json.dumps({"specialty": "桥梁", "exceptional_promotion": True}), "application/json")
    assert response.json()["saved"] is True
    draft.refresh_from_db()
    assert draft.specialty == "桥梁" and draft.exceptional_promotion is True
    response = client.post(url, json.dumps({"self_statement": "字" * 1001, "specialty": "改"}), "application/json")
    assert response.status_code == 400
    assert response.json() == {"saved": False, "errors": {"self_statement": ["“本人述职”限1000字以内，现为1001字。"]}}
    draft.refresh_from_db()
    assert draft.specialty == "桥梁"


def test_it_uploads_into_a_slot_and_reports_a_refusal(client, draft, applicant):
    client.force_login(applicant)
    url = reverse("applications:upload", kwargs={"pk": draft.pk})
    client.post(url, {"slot": "labour_contract", "file": pdf_upload("合同.pdf")})
    assert draft.files.get().attachment.original_name == "合同.pdf"
    response = client.post(url, {"slot": "diploma", "file": pdf_upload("a.exe")}, follow=True)
    assert "扩展名与内容不符" in response.content.decode()


def test_it_shows_the_precheck_with_the_date_to_come_back(client, draft, applicant):
    eligible_record(applicant)
    applicant.education_entries.update(graduated_on="2099-06-30")
    applicant.work_periods.update(start="2099-07-01")
    client.force_login(applicant)
    body = client.get(reverse("applications:precheck", kwargs={"pk": draft.pk})).content.decode()
    assert "预审未通过" in body
    EducationEntry.objects.filter(person=applicant).update(graduated_on="2020-06-30")
    applicant.work_periods.update(start="2020-07-01")
    body = client.get(reverse("applications:precheck", kwargs={"pk": draft.pk})).content.decode()
    assert "预审通过" in body and "待审核" in body


def test_it_submits_and_shows_who_holds_the_application(client, draft, applicant):
    from django.utils import timezone

    now = timezone.now()
    open_window("zhengzhou", opens=now - timezone.timedelta(days=1), closes=now + timezone.timedelta(days=1))
    eligible_record(applicant)
    fill_required_slots(draft)
    client.force_login(applicant)
    client.post(
        reverse("applications:pledge", kwargs={"pk": draft.pk}), {"agreed": "on", "typed_name": applicant.full_name}
    )
    response = client.post(reverse("applications:submit", kwargs={"pk": draft.pk}))
    assert response.url == reverse("applications:status", kwargs={"pk": draft.pk})
    client.post(reverse("applications:submit", kwargs={"pk": draft.pk}))
    assert Submission.objects.filter(application=draft).count() == 1
    body = client.get(response.url).content.decode()
    assert "已提交，待单位审核" in body and draft.unit.name in body
    # A submitted application's form page leads to its status.
    assert client.get(reverse("applications:detail", kwargs={"pk": draft.pk})).url == response.url


def test_it_lists_every_blocker_on_a_refused_submit(client, draft, applicant, no_quarterly_window):
    client.force_login(applicant)
    response = client.post(reverse("applications:submit", kwargs={"pk": draft.pk}), follow=True)
    body = response.content.decode()
    assert "当前不在申报时间内" in body and "缺少材料：劳动合同。" in body and "请先签署诚信承诺书。" in body


def test_it_keeps_the_record_across_applications(client, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("applications:record_entry_add") + "?kind=education",
        {
            "level": "bachelor",
            "school": "郑州大学",
            "major": "土木工程",
            "graduated_on": "2022-06-30",
            "full_time": "on",
            "proof": pdf_upload("毕业证.pdf"),
        },
    )
    assert response.status_code == 302
    body = client.get(reverse("applications:record")).content.decode()
    assert "郑州大学" in body and "毕业证.pdf" in body
    response = client.post(
        reverse("applications:record_entry_add") + "?kind=education",
        {"level": "bachelor", "school": "", "major": "x", "graduated_on": "2022-06-30"},
    )
    body = response.content.decode()
    assert 'id="id_school_error"' in body and 'id="id_proof_error"' in body
    assert EducationEntry.objects.count() == 1


def test_it_lets_the_unit_approve_archive_entries_in_a_fixed_number_of_queries(
    client, applicant, django_assert_num_queries
):
    handler = UserFactory(role=Role.UNIT_HANDLER, organisation=applicant.organisation)
    for n in range(3):
        services.achievement_add(
            actor=applicant,
            data={"kind": "paper", "title": f"论文{n}", "achieved_on": "2024-01-01"},
            proof=pdf_upload(),
        )
    client.force_login(handler)
    client.get(reverse("applications:unit_achievements"))
    # 1 session, 2 user, 3 pending entries with their person and proof joined.
    with django_assert_num_queries(3):
        client.get(reverse("applications:unit_achievements"))
    for n in range(20):
        services.achievement_add(
            actor=applicant, data={"kind": "award", "title": f"奖{n}", "achieved_on": "2024-01-01"}, proof=pdf_upload()
        )
    with django_assert_num_queries(3):
        body = client.get(reverse("applications:unit_achievements")).content.decode()
    assert body.count('value="approve"') == 23
    entry = Achievement.objects.first()
    client.post(reverse("applications:unit_achievement_decide", kwargs={"pk": entry.pk}), {"decision": "approve"})
    entry.refresh_from_db()
    assert entry.status == Achievement.Status.APPROVED


def test_it_lists_the_applicants_applications_in_a_fixed_number_of_queries(
    client, applicant, django_assert_num_queries
):
    services.application_create(actor=applicant, series="engineering", level="yuan")
    client.force_login(applicant)
    client.get(reverse("applications:index"))
    # 1 session, 2 user, 3 the applications with applicant, unit and tenant joined, 4 the user's
    # tenant, 5 the stored windows, 6 none stored: whether the tenant is applied (then it has none).
    with django_assert_num_queries(6):
        client.get(reverse("applications:index"))
    for _ in range(5):
        services.application_create(actor=applicant, series="engineering", level="assistant")
    with django_assert_num_queries(6):
        client.get(reverse("applications:index"))


def test_it_serves_files_only_to_those_who_may_see_them(client, draft, applicant):
    item = services.application_upload(actor=applicant, application=draft, slot="diploma", upload=pdf_upload("证.pdf"))
    url = reverse("applications:download", kwargs={"pk": item.attachment.pk})
    client.force_login(applicant)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    handler = UserFactory(role=Role.UNIT_HANDLER, organisation=applicant.organisation)
    client.force_login(handler)
    assert client.get(url).status_code == 404  # a draft is the applicant's own
    client.force_login(ApplicantFactory(organisation=applicant.organisation))
    assert client.get(url).status_code == 404
