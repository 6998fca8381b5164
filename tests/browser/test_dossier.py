"""The Tangshan bureau asks for an application's dossier (材料册), watches it render, downloads it;
then asks for the window's roster (推荐人员名单) and downloads the Excel file."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import User
from certificates import tasks
from certificates.models import DocumentJob
from tests.browser.conftest import log_in
from tests.certificates.helpers import pdf_text
from tests.certificates.test_dossier import tangshan_application
from tests.review.helpers import build_city

STAFF_PASSWORD = "Zhicheng@2026"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_the_bureau_request_a_dossier_follow_it_download_it_and_download_a_roster(
    page, monkeypatch, tmp_path
):
    city = build_city("tangshan", "唐山市")
    User.objects.filter(pk=city.city_reviewer.pk).update(must_change_password=False)
    application, _ = tangshan_application(applicant=city.applicant)

    # Hold the jobs in the queue (as a busy worker would) so that the pages have progress to show.
    queued: list[int] = []
    monkeypatch.setattr(tasks.render_document, "delay", lambda job_id: queued.append(job_id))

    log_in(page, city.city_reviewer.username, STAFF_PASSWORD)
    page.goto(f"/certificates/applications/{application.pk}/documents/")
    page.get_by_role("button", name="生成材料册").click()
    expect(page.get_by_role("status").filter(has_text="排队中")).to_be_visible()
    job = DocumentJob.objects.get(kind=DocumentJob.Kind.DOSSIER)
    assert queued == [job.pk]

    tasks.render_document.apply(args=[job.pk])  # the worker picks it up
    download_link = page.get_by_role("link", name="下载材料册")
    expect(download_link).to_be_visible(timeout=10_000)
    with page.expect_download() as info:
        download_link.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert info.value.suggested_filename.startswith("材料册-")
    content = target.read_bytes()
    reader = PdfReader(io.BytesIO(content))
    first = reader.pages[0].extract_text()
    assert "材料册目录" in first and city.applicant.full_name in pdf_text(content)
    assert len(reader.pages) == job.__class__.objects.get(pk=job.pk).page_count

    # The window's roster, from the bureau's 名单与统计 page.
    page.goto("/certificates/windows/")
    page.get_by_role("button", name="生成推荐人员名单").first.click()
    expect(page.get_by_role("heading", name="推荐人员名单")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("排队中")
    roster = DocumentJob.objects.get(kind=DocumentJob.Kind.ROSTER)
    assert queued[-1] == roster.pk
    tasks.render_document.apply(args=[roster.pk])
    roster_link = page.get_by_role("link", name="下载推荐人员名单")
    expect(roster_link).to_be_visible(timeout=10_000)
    with page.expect_download() as info:
        roster_link.click()
    assert info.value.suggested_filename.endswith(".xlsx")
    saved = tmp_path / "roster.xlsx"
    info.value.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[3][1] == city.applicant.full_name
    assert rows[3][3] == city.applicant.id_number_masked
