"""Electronic title certificates: numbering, batch issue, the PDF and its QR code, verification,
revocation, pages and downloads."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from applications.models import Application
from certificates import certificate_documents, services
from certificates.models import Certificate, CertificateBatch, CertificateCounter
from core.models import AuditEvent
from tests.certificates.helpers import approved_application, decoded_qr_codes, pdf_page_sizes, pdf_text
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory, UserFactory, make_id_number

BASE = "https://zc.example.cn"


@pytest.fixture
def tenant(db):
    return TenantFactory(code="zhengzhou", name="郑州市", authority_name="郑州市人力资源和社会保障局")


@pytest.fixture
def bureau(tenant):
    return OrganisationFactory(tenant=tenant, city_bureau=True)


@pytest.fixture
def city_reviewer(bureau):
    return UserFactory(role=Role.CITY_REVIEWER, organisation=bureau)


@pytest.fixture
def tenant_admin(bureau):
    return UserFactory(role=Role.TENANT_ADMIN, organisation=bureau)


@pytest.fixture
def unit(tenant):
    return OrganisationFactory(tenant=tenant)


def issue(application, **kwargs) -> Certificate:
    certificate, _ = services.certificate_create(application_id=application.pk, **kwargs)
    return certificate


def run_batch(actor, tenant, capture, **kwargs) -> CertificateBatch:
    with capture(execute=True):
        batch = services.certificate_batch_issue(actor=actor, tenant=tenant, **kwargs)
    batch.refresh_from_db()
    return batch


# --- numbering ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_numbers_certificates_sequentially_per_tenant_year_and_level(tenant, unit):
    first, second, third = (approved_application(unit=unit) for _ in range(3))
    intermediate = approved_application(unit=unit, level="intermediate")
    elsewhere = approved_application(tenant=TenantFactory(code="xuchang", name="许昌市", region_code="411000"))

    assert [issue(a).serial for a in (first, second, third)] == [1, 2, 3]
    assert issue(intermediate).serial == 1
    assert issue(elsewhere).serial == 1
    year = timezone.localdate().year  # the year of issue
    assert Certificate.objects.get(application=second).number == f"410100{year}200002"
    assert Certificate.objects.get(application=intermediate).number == f"410100{year}300001"
    assert Certificate.objects.get(application=elsewhere).number == f"411000{year}200001"


@pytest.mark.django_db
def test_a_tenant_that_is_not_seeded_numbers_certificates_in_the_pattern_of_its_setting():
    luoyang = TenantFactory(
        code="luoyang",
        name="洛阳市",
        region_code="410300",
        settings={"certificate_number": "LY{year}-{level_digit}-{serial:04d}"},
    )
    application = approved_application(tenant=luoyang)
    year = timezone.localdate().year
    assert issue(application).number == f"LY{year}-2-0001"
    # The default pattern gives exactly what the fixed format always gave.
    plain = TenantFactory(code="luoyang-plain", name="洛阳市B", region_code="410300")
    number = certificate_documents.certificate_number(plain, year=2026, level="assistant", serial=12)
    assert number == "41030020262" + "00012"
    coded = TenantFactory(
        code="ly", name="洛阳市C", settings={"certificate_number": "{code}{region}{year}{level_digit}{serial}"}
    )
    assert certificate_documents.certificate_number(coded, year=2026, level="senior", serial=7) == "ly410100202657"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{region}{year}{level}{serial:05d}", "未知占位符“{level}”"),
        ("{region}{year}{level_digit}", "缺少{serial}"),
        ("{region}{serial:05d}", "缺少{year}、{level_digit}"),
        ("{region}{year}{level_digit}{serial:05d", "花括号不成对"),
        ("{region:d}{year}{level_digit}{serial}", "无法使用"),
        ("{region}{region}{region}{region}{region}{region}{year}{level_digit}{serial:05d}", "超过40个字符"),
    ],
)
@pytest.mark.django_db
def test_it_refuses_a_number_pattern_it_cannot_use_in_chinese_and_burns_no_number(pattern, message):
    tenant = TenantFactory(code="luoyang", name="洛阳市", settings={"certificate_number": pattern})
    application = approved_application(tenant=tenant)
    with pytest.raises(ValidationError) as error:
        services.certificate_create(application_id=application.pk)
    assert message in error.value.messages[0]
    assert not Certificate.objects.exists() and not CertificateCounter.objects.filter(last__gt=0).exists()


@pytest.mark.django_db
def test_it_issues_one_certificate_per_application_and_burns_no_number_on_a_repeat(unit):
    application = approved_application(unit=unit)
    certificate, created = services.certificate_create(application_id=application.pk)
    again, created_again = services.certificate_create(application_id=application.pk)
    assert (created, created_again) == (True, False)
    assert again.pk == certificate.pk
    assert CertificateCounter.objects.get().last == 1


@pytest.mark.django_db
def test_it_gives_the_number_back_when_the_issue_rolls_back(unit):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        issue(approved_application(unit=unit))
        raise Boom
    assert issue(approved_application(unit=unit)).serial == 1


@pytest.mark.django_db
def test_it_refuses_an_application_that_is_not_approved(unit):
    application = approved_application(unit=unit)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.IN_REVIEW)
    with pytest.raises(ValidationError):
        issue(application)
    assert not CertificateCounter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_allocates_numbers_without_gaps_or_duplicates_under_concurrent_issuing(postgres):
    tenant = TenantFactory(code="zhengzhou", name="郑州市")
    unit = OrganisationFactory(tenant=tenant)
    applications = [approved_application(unit=unit) for _ in range(16)]
    # Two workers per application: each application still gets exactly one certificate.
    targets = [application.pk for application in applications for _ in range(2)]
    barrier = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def worker(application_id: int) -> None:
        try:
            connection.ensure_connection()  # connect first, so that the issues themselves overlap
            barrier.wait(timeout=30)
            services.certificate_create(application_id=application_id)
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(pk,)) for pk in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert serials == list(range(1, len(applications) + 1))
    assert len(set(Certificate.objects.values_list("number", flat=True))) == len(applications)
    assert CertificateCounter.objects.get().last == len(applications)


# --- batch issue -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_issues_a_batch_once_and_nothing_twice(tenant, unit, city_reviewer, django_capture_on_commit_callbacks):
    approved = [approved_application(unit=unit) for _ in range(2)]
    draft = approved_application(unit=unit)
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.SUBMITTED)
    foreign = approved_application(tenant=TenantFactory(code="xuchang", name="许昌市"))

    batch = run_batch(city_reviewer, tenant, django_capture_on_commit_callbacks)
    assert (batch.status, batch.total, batch.done, batch.issued, batch.failed) == ("done", 2, 2, 2, 0)
    assert batch.progress_percent == 100
    assert set(Certificate.objects.values_list("application_id", flat=True)) == {a.pk for a in approved}
    assert all(c.file and len(c.sha256) == 64 for c in Certificate.objects.all())
    assert not Certificate.objects.filter(application__in=[draft, foreign]).exists()

    again = run_batch(city_reviewer, tenant, django_capture_on_commit_callbacks)
    assert (again.total, again.issued) == (0, 0)
    services.certificate_batch_run(batch_id=batch.pk)  # a redelivered task
    assert Certificate.objects.count() == 2
    assert CertificateCounter.objects.get().last == 2
    assert AuditEvent.objects.filter(action="certificate_issued").count() == 2
    assert AuditEvent.objects.filter(action="certificate_batch_requested", actor=city_reviewer).count() == 2


@pytest.mark.django_db
def test_it_limits_a_batch_to_the_chosen_applications(tenant, unit, tenant_admin, django_capture_on_commit_callbacks):
    chosen, other = approved_application(unit=unit), approved_application(unit=unit)
    batch = run_batch(tenant_admin, tenant, django_capture_on_commit_callbacks, application_ids=[chosen.pk])
    assert batch.issued == 1
    assert list(Certificate.objects.values_list("application_id", flat=True)) == [chosen.pk]
    assert not Certificate.objects.filter(application=other).exists()


@pytest.mark.django_db
def test_it_renders_a_certificate_left_without_its_pdf_on_the_next_batch(
    tenant, unit, city_reviewer, django_capture_on_commit_callbacks
):
    certificate = issue(approved_application(unit=unit))  # as if the worker died before rendering
    batch = run_batch(city_reviewer, tenant, django_capture_on_commit_callbacks)
    certificate.refresh_from_db()
    assert (batch.total, batch.issued) == (1, 0)
    assert certificate.file and certificate.serial == 1


@pytest.mark.django_db
def test_it_lets_only_the_city_bureau_of_the_tenant_issue(tenant, unit, bureau):
    approved_application(unit=unit)
    outsiders = [
        ApplicantFactory(organisation=unit),
        UserFactory(role=Role.UNIT_HANDLER, organisation=unit),
        UserFactory(role=Role.DEPARTMENT_REVIEWER, organisation=OrganisationFactory(tenant=tenant, department=True)),
        UserFactory(
            role=Role.CITY_REVIEWER, organisation=OrganisationFactory(tenant=TenantFactory(), city_bureau=True)
        ),
    ]
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            services.certificate_batch_issue(actor=outsider, tenant=tenant)
    assert not CertificateBatch.objects.exists()


# --- the PDF and its QR code --------------------------------------------------------------------


@pytest.mark.django_db
def test_it_prints_name_masked_id_title_issuer_number_date_and_the_qr_code(unit):
    number = make_id_number()
    holder = ApplicantFactory(organisation=unit, full_name="王小明", number=number)
    certificate = issue(approved_application(applicant=holder))
    certificate = services.certificate_render(certificate_id=certificate.pk, base=BASE)
    content = certificate.file.read()

    text = pdf_text(content)
    for expected in ("王小明", certificate.number, holder.id_number_masked, "助理工程师", "郑州市人力资源和社会保障局"):
        assert expected in text
    assert f"{certificate.issued_on.year}年" in text
    assert number not in text and number not in content.decode("latin-1")
    assert pdf_page_sizes(content) == [(842, 595)]  # A4 landscape

    url = f"{BASE}/certificates/verify/{certificate.token}/"
    assert certificate_documents.verification_url(certificate.token, BASE) == url
    assert certificate_documents.qr_data_uri(url) in certificate_documents.render_html(certificate, base=BASE)
    images = PdfReader(io.BytesIO(content)).pages[0].images
    assert len(images) == 1
    assert decoded_qr_codes(images[0].image) == [url]


# --- verification and revocation ---------------------------------------------------------------


@pytest.mark.django_db
def test_it_shows_a_valid_certificate_publicly_and_revoked_right_after_revocation(client, unit, tenant_admin):
    holder = ApplicantFactory(organisation=unit, full_name="王小明")
    certificate = issue(approved_application(applicant=holder))
    url = reverse("certificates:verify", kwargs={"token": certificate.token})
    assert url == f"/certificates/verify/{certificate.token}/"

    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    for expected in (
        "王*明",
        holder.id_number_masked,
        "助理工程师",
        "郑州市人力资源和社会保障局",
        certificate.number,
        "有效",
    ):
        assert expected in body
    assert "王小明" not in body

    services.certificate_revoke(actor=tenant_admin, certificate=certificate, reason="材料造假")
    body = client.get(url).content.decode()
    assert "已撤销" in body and "有效" not in body.split("状态", 1)[1].split("</dd>", 1)[0]
    event = AuditEvent.objects.get(action="certificate_revoked")
    assert event.actor == tenant_admin and event.detail["reason"] == "材料造假"
    assert client.get(reverse("certificates:verify", kwargs={"token": "no-such-token"})).status_code == 404


@pytest.mark.django_db
def test_it_looks_a_certificate_up_by_number_and_holder_name(client, unit):
    certificate = issue(approved_application(unit=unit))
    lookup = reverse("certificates:verify_lookup")
    assert client.get(lookup).status_code == 200
    found = client.get(lookup, {"number": certificate.number, "name": "王小明"}).content.decode()
    assert "王*明" in found and "有效" in found
    missed = client.get(lookup, {"number": certificate.number, "name": "李四"}).content.decode()
    assert "未找到" in missed and certificate.title not in missed


@pytest.mark.django_db
def test_it_requires_a_reason_and_a_tenant_admin_to_revoke(unit, tenant_admin, city_reviewer):
    certificate = issue(approved_application(unit=unit))
    with pytest.raises(ValidationError):
        services.certificate_revoke(actor=tenant_admin, certificate=certificate, reason="  ")
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(actor=city_reviewer, certificate=certificate, reason="理由")
    other_admin = UserFactory(role=Role.TENANT_ADMIN, organisation=OrganisationFactory(city_bureau=True))
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(actor=other_admin, certificate=certificate, reason="理由")
    certificate.refresh_from_db()
    assert certificate.is_valid


# --- pages and downloads -----------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lets_the_bureau_issue_a_batch_and_follow_its_progress(
    client, tenant, unit, city_reviewer, django_capture_on_commit_callbacks
):
    approved_application(unit=unit)
    client.force_login(city_reviewer)
    listing = client.get(reverse("certificates:certificate_list"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "批量发证" in body
    assert "<script>" not in body and " style=" not in body and " onclick=" not in body

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:batch_issue"))
    batch = CertificateBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("certificates:batch_detail", kwargs={"pk": batch.pk})
    detail = client.get(response.url).content.decode()
    assert "certificates/certificates.js" in detail and "data-batch-status" in detail
    assert "<script>" not in detail and " style=" not in detail
    status = client.get(reverse("certificates:batch_status", kwargs={"pk": batch.pk})).json()
    assert status == {
        "id": batch.pk,
        "status": "done",
        "status_label": "已完成",
        "total": 1,
        "done": 1,
        "issued": 1,
        "failed": 0,
        "progress": 100,
        "finished": True,
    }
    assert Certificate.objects.get().number in client.get(reverse("certificates:certificate_list")).content.decode()
    assert Certificate.objects.get().batch == batch


@pytest.mark.django_db
def test_it_lets_the_holder_download_the_certificate_and_audits_it(client, tenant, unit):
    certificate = issue(approved_application(unit=unit))
    services.certificate_render(certificate_id=certificate.pk, base=BASE)
    client.force_login(certificate.holder)
    mine = client.get(reverse("certificates:my_certificates")).content.decode()
    url = reverse("certificates:certificate_download", kwargs={"pk": certificate.pk})
    assert url in mine
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="certificate_downloaded", actor=certificate.holder).count() == 1

    for outsider in (
        ApplicantFactory(organisation=unit),
        UserFactory(role=Role.UNIT_HANDLER, organisation=unit),
        UserFactory(role=Role.DEPARTMENT_REVIEWER, organisation=OrganisationFactory(tenant=tenant, department=True)),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("certificates:certificate_list")).status_code == 404
    assert AuditEvent.objects.filter(action="certificate_downloaded").count() == 1


@pytest.mark.django_db
def test_it_lets_a_tenant_admin_revoke_from_the_list(client, unit, tenant_admin):
    certificate = issue(approved_application(unit=unit))
    client.force_login(tenant_admin)
    url = reverse("certificates:certificate_revoke", kwargs={"pk": certificate.pk})
    client.post(url, {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.is_valid
    assert client.post(url, {"reason": "证书信息有误"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revoked_reason == "证书信息有误"


@pytest.mark.django_db
def test_it_issues_to_an_application_approved_through_the_real_review_chain(django_capture_on_commit_callbacks):
    from review.chain import Action
    from review.services import review_decide
    from tests.review.helpers import DAY_2, build_city, submitted_application

    city = build_city()
    application = submitted_application(city.applicant)
    for reviewer in (city.handler, city.department_reviewer, city.county_reviewer, city.city_reviewer):
        review_decide(actor=reviewer, application=application, action=Action.APPROVE, opinion="同意", at=DAY_2)
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED

    batch = run_batch(city.city_reviewer, city.tenant, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(application=application)
    assert batch.issued == 1 and certificate.holder == city.applicant
    assert certificate.holder_name in pdf_text(certificate.file.read())


@pytest.mark.django_db
def test_it_lists_certificates_in_a_constant_number_of_queries(client, unit, city_reviewer):
    issue(approved_application(unit=unit))
    client.force_login(city_reviewer)
    url = reverse("certificates:certificate_list")
    client.get(url)  # warm the session and the per-process caches

    def count() -> int:
        from django.db import connection as db
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(db) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    for _ in range(4):
        issue(approved_application(unit=unit))
    assert count() == one  # no query per certificate


@pytest.mark.django_db
def test_it_hides_a_batch_from_staff_who_do_not_issue(client, tenant, unit, city_reviewer):
    batch = CertificateBatch.objects.create(tenant=tenant, requested_by=city_reviewer)
    for outsider in (
        UserFactory(role=Role.UNIT_HANDLER, organisation=unit),
        UserFactory(role=Role.DEPARTMENT_REVIEWER, organisation=OrganisationFactory(tenant=tenant, department=True)),
        ApplicantFactory(organisation=unit),
    ):
        client.force_login(outsider)
        for name in ("certificates:batch_detail", "certificates:batch_status"):
            assert client.get(reverse(name, kwargs={"pk": batch.pk})).status_code == 404
        assert client.post(reverse("certificates:batch_issue")).status_code == 404
    assert CertificateBatch.objects.count() == 1
