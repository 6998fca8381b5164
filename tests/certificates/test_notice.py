"""The appointment notice (任职资格文件): the approved people of a window and level, the tenant's
header and document number, masked ID numbers, signed with the tenant's key."""

from __future__ import annotations

import pytest

from certificates import notices
from certificates.models import DocumentJob
from tests.certificates.helpers import pdf_text
from tests.certificates.test_rosters import WINDOW, city_with_applications, rendered, request
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return text.replace(" ", "").replace("\n", "")


def test_it_lists_only_the_approved_people_with_the_header_and_number_and_is_signed(
    django_capture_on_commit_callbacks,
):
    from certificates.signing import check_pdf

    city, applications = city_with_applications(count=2)
    approved, pending = applications[0].applicant, applications[1].applicant
    job = request(city, django_capture_on_commit_callbacks, kind=DocumentJob.Kind.APPOINTMENT_NOTICE)
    content = rendered(job)
    assert job.file.name.endswith(".pdf") and job.page_count == 1
    text = flat(pdf_text(content))
    assert "郑州市人力资源和社会保障局文件" in text
    assert f"郑人社职〔{job.created_at.year}〕{job.pk}号" in text
    assert f"关于{WINDOW}助理级专业技术职务任职资格的通知" in text
    assert approved.full_name in text and approved.id_number_masked in text
    assert pending.full_name not in text
    assert approved.reveal_id_number() not in text
    check = check_pdf(content)
    assert check.signed and check.ok, check


def test_it_falls_back_to_the_tenants_authority_without_a_configured_header():
    class Tenant:
        code = "nowhere"
        name = "某市"
        authority_name = "某市人力资源和社会保障局"
        settings = {}

    assert notices.notice_header(Tenant()) == {"issuer": "某市人力资源和社会保障局", "prefix": "某市职称"}
    assert notices.document_number(Tenant(), year=2026, serial=7) == "某市职称〔2026〕7号"


def test_a_tenant_that_is_not_seeded_prints_the_header_of_its_notice_setting():
    notice = {"issuer": "洛阳市职称改革领导小组办公室", "prefix": "洛职改"}
    luoyang = TenantFactory(code="luoyang", name="洛阳市", settings={"notice": notice})
    assert notices.notice_header(luoyang) == {"issuer": "洛阳市职称改革领导小组办公室", "prefix": "洛职改"}
    assert notices.document_number(luoyang, year=2027, serial=3) == "洛职改〔2027〕3号"
    # Only the issuer set: the prefix falls back to "<名称>职称".
    partial = TenantFactory(code="luoyang-issuer", name="洛阳市B", settings={"notice": {"issuer": "洛阳市B职改办"}})
    assert notices.notice_header(partial) == {"issuer": "洛阳市B职改办", "prefix": "洛阳市B职称"}
