"""The applicant's "can I apply?" page: the saved record against the tenant's current rules,
with the date to come back, and nothing written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from applications.models import Application, EducationEntry
from tests.applications.helpers import eligible_record, pdf_upload
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    return ApplicantFactory(organisation=OrganisationFactory(tenant=TenantFactory(code="zhengzhou", name="郑州市")))


def test_it_says_yes_for_an_eligible_record_without_creating_an_application(client, applicant):
    eligible_record(applicant)
    client.force_login(applicant)
    body = client.get(reverse("applications:can_i_apply"), {"series": "engineering", "level": "assistant"})
    text = body.content.decode()
    assert "预审通过" in text and 'data-ruleset="zhengzhou-2020-junior"' in text
    # Cited by 文号 and clause, never by the seed file's name.
    assert "依据：郑人社办〔2020〕237号 五(一)" in text and "000_09f0e4863c323892.txt" not in text
    assert not Application.objects.exists()


def test_it_gives_the_date_to_come_back_when_time_alone_is_missing(client, applicant):
    eligible_record(applicant)
    EducationEntry.objects.filter(person=applicant).update(graduated_on="2099-06-30")
    applicant.work_periods.update(start="2099-07-01")
    client.force_login(applicant)
    text = client.get(reverse("applications:can_i_apply"), {"series": "engineering", "level": "assistant"})
    assert "预审未通过" in text.content.decode()


def test_it_names_a_bad_choice(client, applicant):
    client.force_login(applicant)
    text = client.get(reverse("applications:can_i_apply"), {"series": "astrology", "level": "assistant"})
    assert "职称系列" in text.content.decode() and "预审" not in text.content.decode().split("</form>")[1]


def test_it_is_only_for_applicants(client):
    client.force_login(UserFactory(role=Role.CITY_REVIEWER))
    assert (
        client.get(reverse("applications:can_i_apply"), {"series": "engineering", "level": "assistant"}).status_code
        == 404
    )


def test_it_shows_applicants_words_not_field_codes(client, applicant):
    client.force_login(applicant)
    text = client.get(reverse("applications:can_i_apply"), {"series": "engineering", "level": "assistant"})
    body = text.content.decode()
    assert "在本地工作月数" in body
    assert "employment." not in body and "professional_work_since" not in body


def test_it_takes_birth_date_and_sex_from_the_id_number_when_the_record_lacks_them(applicant):
    from datetime import date

    from applications.materials import build_profile
    from core.idnumbers import birth_date_from_id, gender_from_id

    number = applicant.reveal_id_number()
    target = Application(
        applicant=applicant,
        tenant_id=applicant.tenant_id,
        unit_id=applicant.organisation_id,
        series="engineering",
        level="assistant",
        ruleset_code="zhengzhou-2020-junior",
    )
    person = build_profile(target, date(2024, 9, 10))["person"]
    assert person["birth_date"] == birth_date_from_id(number).isoformat()
    assert person["gender"] == gender_from_id(number)


def test_it_passes_declared_sanctions_and_absences_to_the_rules(client, applicant):
    from datetime import date

    from applications.materials import build_profile

    client.force_login(applicant)
    response = client.post(
        reverse("applications:record_entry_add") + "?kind=sanction",
        {"kind": "disciplinary", "start": "2024-03-01", "end": "", "note": "警告处分"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    bad = client.post(
        reverse("applications:record_entry_add") + "?kind=absence",
        {"kind": "study_abroad", "start": "2024-03-01", "end": "2023-01-01"},
    )
    assert "结束日期不能早于开始日期" in bad.content.decode()
    target = Application(
        applicant=applicant,
        tenant_id=applicant.tenant_id,
        unit_id=applicant.organisation_id,
        series="engineering",
        level="assistant",
        ruleset_code="hebei-2024",
    )
    profile = build_profile(target, date(2024, 9, 10))
    assert profile["sanctions"] == [{"kind": "disciplinary", "start": "2024-03-01", "end": None}]
    assert profile["absences"] == []


def test_it_lets_the_applicant_correct_a_record_entry_keeping_its_scan(client, applicant):
    eligible_record(applicant)
    entry = EducationEntry.objects.filter(person=applicant).first()
    client.force_login(applicant)
    url = reverse("applications:record_entry_edit", args=["education", entry.pk])
    assert "不更换扫描件可不选文件" in client.get(url).content.decode()
    fields = {
        "level": entry.level,
        "major": entry.major,
        "graduated_on": entry.graduated_on.isoformat(),
        "full_time": "on",
        "major_related": "True",
        "degree_certificate": "True",
    }
    if entry.diploma_id is None:
        refused = client.post(url, {**fields, "school": "郑州大学"})
        assert "请上传学历学位证书扫描件" in refused.content.decode()
    assert client.post(url, {**fields, "school": "郑州大学", "proof": pdf_upload()}).status_code == 302
    entry.refresh_from_db()
    diploma = entry.diploma_id
    assert diploma is not None
    response = client.post(url, {**fields, "school": "郑州大学（更正）"})
    assert response.status_code == 302, response.content.decode()[-1500:]
    entry.refresh_from_db()
    assert entry.school == "郑州大学（更正）" and entry.diploma_id == diploma
    client.force_login(ApplicantFactory(organisation=applicant.organisation))
    assert client.get(url).status_code == 404
