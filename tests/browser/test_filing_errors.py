"""A refusal on the filing form is shown where the page lands: at the slot of a refused upload, in
the pledge section for a refused pledge, in the submit section for a refused submission; never
only in the message list at the top of the page, out of sight."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications import services as filing
from tests.applications.helpers import eligible_record, open_window
from tests.browser.conftest import demo_applicant_ready, log_in

NEW_PASSWORD = "Lvzhou#Qiuyu2026"


@pytest.fixture
def draft_page(demo, page):
    id_number, applicant = demo_applicant_ready(demo, NEW_PASSWORD)
    now = timezone.now()
    open_window("zhengzhou", opens=now - timedelta(days=1), closes=now + timedelta(days=1))
    eligible_record(applicant)
    draft = filing.application_create(actor=applicant, series="engineering", level="assistant")
    log_in(page, id_number, NEW_PASSWORD)
    page.goto(f"/applications/{draft.pk}/")
    return page, draft


@pytest.mark.browser
def test_a_refused_upload_is_shown_at_its_slot_in_view(draft_page, tmp_path):
    page, draft = draft_page
    not_a_pdf = tmp_path / "劳动合同.pdf"
    not_a_pdf.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)  # a program named .pdf
    slot = page.locator("#slot-labour_contract")
    slot.locator("input[type=file]").set_input_files(str(not_a_pdf))
    slot.get_by_role("button", name="上传", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("#slot-labour_contract-errors")
    refusal = page.locator("#slot-labour_contract .slot-errors")
    expect(refusal).to_contain_text("文件“劳动合同.pdf”的内容不是PDF、JPG、PNG格式")
    expect(refusal).to_be_in_viewport()
    expect(page.locator(".messages")).to_have_count(0)
    # The reason has the focus (a screen reader reads it), and the file field points to it.
    expect(refusal).to_be_focused()
    field = slot.locator("input[type=file]")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", "slot-labour_contract-errors")
    expect(slot.locator("h3")).to_be_in_viewport()  # the slot's name stays in view above it
    assert not draft.files.exists()


@pytest.mark.browser
def test_a_refused_pledge_and_a_refused_submission_are_shown_in_their_sections(draft_page):
    page, _draft = draft_page
    page.get_by_role("button", name="签署承诺书").click()
    page.wait_for_load_state()
    assert page.url.endswith("#pledge-errors")
    expect(page.locator("#pledge-errors")).to_be_focused()
    expect(page.locator("#pledge-errors")).to_be_in_viewport()
    expect(page.locator(".messages")).to_have_count(0)

    page.get_by_role("button", name="提交申报").click()
    page.wait_for_load_state()
    assert page.url.endswith("#submit-errors")
    box = page.locator("#submit-errors")
    expect(box).to_be_focused()
    expect(box).to_contain_text("未能提交。")
    expect(box).to_contain_text("请先签署诚信承诺书。")
    expect(box).to_be_in_viewport()
    expect(page.locator(".messages")).to_have_count(0)
    # Each reason once: the refusal repeats the blockers the section lists anyway.
    assert box.inner_text().count("请先签署诚信承诺书。") == 1
