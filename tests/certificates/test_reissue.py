"""补发 (lost, with the newspaper notice) and 换发 (damaged): same number, new version, old file superseded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from certificates import services, verification
from certificates.models import Certificate, CertificateIssue
from core.models import AuditEvent
from tests.certificates.helpers import approved_application
from tests.factories import OrganisationFactory, TenantFactory, UserFactory

BASE = "https://zc.example.cn"
NOTICE = {
    "notice_newspaper": "郑州日报",
    "notice_date": dt.date(2026, 11, 1),
    "notice_text": "王小明遗失专业技术资格证书一本，声明作废。",
}


@pytest.fixture
def tenant(db):
    return TenantFactory(code="zhengzhou", name="郑州市", authority_name="郑州市人力资源和社会保障局")


@pytest.fixture
def unit(tenant):
    return OrganisationFactory(tenant=tenant)


@pytest.fixture
def city_reviewer(tenant):
    return UserFactory(role=Role.CITY_REVIEWER, organisation=OrganisationFactory(tenant=tenant, city_bureau=True))


@pytest.fixture
def certificate(unit):
    certificate, _ = services.certificate_create(application_id=approved_application(unit=unit).pk)
    return services.certificate_render(certificate_id=certificate.pk, base=BASE)


def content_of(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


@pytest.mark.django_db
def test_it_reissues_a_lost_certificate_under_the_same_number_and_supersedes_the_old_file(
    certificate, city_reviewer, django_capture_on_commit_callbacks
):
    old_content = content_of(certificate.file)
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_reissue(actor=city_reviewer, certificate=certificate, kind="reissue", **NOTICE)
    certificate.refresh_from_db()

    assert certificate.version == 2 and certificate.file
    issues = list(CertificateIssue.objects.filter(certificate=certificate).order_by("version"))
    assert [(i.version, i.kind, i.status) for i in issues] == [
        (1, "original", "superseded"),
        (2, "reissue", "current"),
    ]
    assert issues[1].notice_newspaper == "郑州日报" and issues[1].notice_date == dt.date(2026, 11, 1)
    assert Certificate.objects.filter(number=certificate.number).count() == 1

    new = verification.verify_file(content_of(certificate.file))
    assert new.is_valid and new.issue.version == 2
    old = verification.verify_file(old_content)
    assert old.outcome == "superseded" and "第2版取代" in old.message
    event = AuditEvent.objects.get(action="certificate_reissue")
    assert event.actor == city_reviewer


@pytest.mark.django_db
def test_it_replaces_a_damaged_certificate_without_a_newspaper_notice(
    certificate, city_reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_reissue(
            actor=city_reviewer, certificate=certificate, kind="replacement", reason="证书污损", **NOTICE
        )
    issue = CertificateIssue.objects.get(certificate=certificate, version=2)
    assert issue.kind == "replacement" and issue.notice_newspaper == "" and issue.reason == "证书污损"
    assert AuditEvent.objects.filter(action="certificate_replacement").count() == 1


@pytest.mark.django_db
def test_it_requires_the_newspaper_notice_for_a_reissue_and_saves_nothing_without_it(certificate, city_reviewer):
    with pytest.raises(ValidationError) as error:
        services.certificate_reissue(actor=city_reviewer, certificate=certificate, kind="reissue")
    assert set(error.value.message_dict) == {"notice_newspaper", "notice_date", "notice_text"}
    future = {**NOTICE, "notice_date": dt.date.today() + dt.timedelta(days=3)}
    with pytest.raises(ValidationError) as error:
        services.certificate_reissue(actor=city_reviewer, certificate=certificate, kind="reissue", **future)
    assert "notice_date" in error.value.message_dict
    certificate.refresh_from_db()
    assert certificate.version == 1 and CertificateIssue.objects.filter(certificate=certificate).count() == 1


@pytest.mark.django_db
def test_it_refuses_to_reissue_a_revoked_certificate_or_for_someone_outside_the_bureau(certificate, tenant):
    admin = UserFactory(role=Role.TENANT_ADMIN, organisation=OrganisationFactory(tenant=tenant, city_bureau=True))
    with pytest.raises(PermissionDenied):
        services.certificate_reissue(actor=certificate.holder, certificate=certificate, kind="replacement")
    services.certificate_revoke(actor=admin, certificate=certificate, reason="材料造假")
    certificate.refresh_from_db()
    with pytest.raises(ValidationError, match="已撤销"):
        services.certificate_reissue(actor=admin, certificate=certificate, kind="replacement")


@pytest.mark.django_db
def test_it_lets_the_bureau_reissue_from_the_page_and_shows_the_history(client, certificate, city_reviewer):
    client.force_login(city_reviewer)
    url = reverse("certificates:certificate_reissue", kwargs={"pk": certificate.pk})
    bad = client.post(url, {"kind": "reissue", "notice_newspaper": "郑州日报", "notice_date": "2026/11/01"})
    assert "登报日期格式" in bad.content.decode()
    response = client.post(
        url,
        {"kind": "reissue", "notice_newspaper": "郑州日报", "notice_date": "2026-11-01", "notice_text": "声明作废"},
        follow=True,
    )
    page = response.content.decode()
    assert "第2版" in page and "补发（遗失）" in page and "已被取代" in page and "郑州日报" in page
    client.force_login(certificate.holder)
    assert client.get(url).status_code == 404
