"""An applicant asks for the 评审表, watches its progress and downloads the PDF."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Role, User
from certificates import tasks
from certificates.models import DocumentJob
from tests.certificates.conftest import file_application
from tests.certificates.helpers import pdf_text
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory

PASSWORD = "Shenbao@2026"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_an_applicant_request_the_evaluation_form_and_download_it_once_ready(page, monkeypatch, tmp_path):
    unit = OrganisationFactory(tenant=TenantFactory(code="zhengzhou", name="郑州市"))
    applicant = ApplicantFactory(organisation=unit, full_name="李文静")
    User.objects.filter(pk=applicant.pk).update(must_change_password=False)
    application, _ = file_application("zhengzhou", applicant=applicant)
    assert applicant.role == Role.APPLICANT

    # Hold the job in the queue (as a busy worker would) so that the page has progress to show.
    queued: list[int] = []
    monkeypatch.setattr(tasks.render_document, "delay", lambda job_id: queued.append(job_id))

    page.goto("/accounts/login/")
    page.get_by_label("身份证号或用户名").fill(applicant.reveal_id_number())
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()

    page.goto(f"/certificates/applications/{application.pk}/documents/")
    page.get_by_role("button", name="生成评审表").click()
    expect(page.get_by_role("status").filter(has_text="排队中")).to_be_visible()
    assert queued == [DocumentJob.objects.get().pk]

    tasks.render_document.apply(args=[queued[0]])  # the worker picks it up
    download_link = page.get_by_role("link", name="下载评审表")
    expect(download_link).to_be_visible(timeout=10_000)  # the page's script follows the job
    with page.expect_download() as info:
        download_link.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert info.value.suggested_filename.startswith("评审表-")
    content = target.read_bytes()
    assert content.startswith(b"%PDF")
    assert "李文静" in pdf_text(content)
