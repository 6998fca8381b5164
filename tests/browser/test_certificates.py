"""The city bureau issues a batch of certificates, watches it finish, and anyone verifies one."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Role, User
from certificates import tasks
from certificates.models import Certificate, CertificateBatch
from tests.browser.conftest import log_in
from tests.certificates.helpers import approved_application, decoded_qr_codes
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory, UserFactory

STAFF_PASSWORD = "Zhicheng@2026"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_the_bureau_issue_a_batch_follow_it_and_open_the_verification_page(page, new_page, monkeypatch):
    tenant = TenantFactory(code="zhengzhou", name="郑州市", authority_name="郑州市人力资源和社会保障局")
    unit = OrganisationFactory(tenant=tenant)
    reviewer = UserFactory(role=Role.CITY_REVIEWER, organisation=OrganisationFactory(tenant=tenant, city_bureau=True))
    User.objects.filter(pk=reviewer.pk).update(must_change_password=False)
    for name in ("王小明", "李文静", "赵子龙"):
        approved_application(applicant=ApplicantFactory(organisation=unit, full_name=name))

    # Hold the batch in the queue (as a busy worker would) so that the page has progress to show.
    queued: list[int] = []
    monkeypatch.setattr(tasks.issue_certificate_batch, "delay", lambda batch_id: queued.append(batch_id))

    log_in(page, reviewer.username, STAFF_PASSWORD)
    page.goto("/certificates/")
    expect(page.get_by_text("其中3件尚未发证")).to_be_visible()
    page.get_by_role("button", name="批量发证").click()
    expect(page.get_by_role("heading", name=f"批量发证 #{CertificateBatch.objects.get().pk}")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("排队中")
    assert queued == [CertificateBatch.objects.get().pk]

    tasks.issue_certificate_batch.apply(args=[queued[0]])  # the worker picks it up
    expect(page.get_by_text("发证完成：新发证书3张，失败0件。")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("status")).to_contain_text("已处理3/3件")
    assert page.get_by_label("发证进度").evaluate("bar => bar.value") == 100

    certificate = Certificate.objects.get(holder_name="李文静")
    content = certificate.file.open("rb").read()
    # Someone holding the certificate scans its QR code (read here with ZXing, as phones do).
    [scanned] = decoded_qr_codes(PdfReader(io.BytesIO(content)).pages[0].images[0].image)
    assert urlsplit(scanned).path == f"/certificates/verify/{certificate.token}/"
    public = new_page()  # not logged in
    public.goto(urlsplit(scanned).path)
    expect(public.get_by_text("李*静")).to_be_visible()
    expect(public.locator(".certificate-status")).to_have_text("有效")
    expect(public.get_by_text(certificate.number)).to_be_visible()

    # The holder's signed PDF, uploaded on the same page, is reported valid; a tampered copy is not.
    public.get_by_label("证书PDF").set_input_files(
        files=[{"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": content}]
    )
    public.get_by_role("button", name="核验文件").click()
    expect(public.locator(".verify-file-result")).to_contain_text("证书有效：电子签名完好")
    expect(public.locator(".certificate-status")).to_have_text("有效")
    position = content.index(b"stream") + 40
    altered = content[:position] + bytes([content[position] ^ 1]) + content[position + 1 :]
    public.get_by_label("证书PDF").set_input_files(
        files=[{"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": altered}]
    )
    public.get_by_role("button", name="核验文件").click()
    expect(public.locator(".verify-file-result")).to_contain_text("已被篡改")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_the_bureau_reissue_a_lost_certificate_and_record_its_fee(page):
    from certificates import services

    tenant = TenantFactory(code="zhengzhou", name="郑州市", authority_name="郑州市人力资源和社会保障局")
    unit = OrganisationFactory(tenant=tenant)
    reviewer = UserFactory(role=Role.CITY_REVIEWER, organisation=OrganisationFactory(tenant=tenant, city_bureau=True))
    User.objects.filter(pk=reviewer.pk).update(must_change_password=False)
    application = approved_application(applicant=ApplicantFactory(organisation=unit, full_name="王小明"))
    certificate, _ = services.certificate_create(application_id=application.pk)
    services.certificate_render(certificate_id=certificate.pk, base="http://testserver")

    log_in(page, reviewer.username, STAFF_PASSWORD)
    page.goto("/certificates/")
    page.get_by_role("link", name="补发/换发").click()
    page.get_by_label("登报报纸名称").fill("郑州日报")
    page.get_by_label("登报日期").fill("2026-11-01")
    page.get_by_label("遗失声明内容").fill("王小明遗失证书一本，声明作废。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已受理补发/换发")).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text("第2版")
    expect(page.locator("tbody tr").nth(1)).to_contain_text("已被取代")

    page.goto("/certificates/fees/")
    page.get_by_label("申报编号").fill(str(application.pk))
    page.get_by_role("button", name="登记费用").click()
    expect(page.get_by_text("费用已登记。")).to_be_visible()
    expect(page.locator(".fee-status")).to_have_text("未缴")
    page.get_by_role("button", name="登记已缴").click()
    expect(page.locator(".fee-status")).to_have_text("已缴")
