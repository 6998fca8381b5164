"""Submitting is refused, with each reason said exactly, when a slot is empty, the window is
closed or the pre-check fails — and nothing is submitted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications import services as filing
from applications.models import Submission
from tests.applications.helpers import open_window
from tests.browser.conftest import demo_applicant_ready, label, log_in

NEW_PASSWORD = "Lvzhou#Qiuyu2026"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_shows_every_reason_submission_is_blocked_and_submits_nothing(page, demo, no_quarterly_window):
    id_number, applicant = demo_applicant_ready(demo, NEW_PASSWORD)
    # The window closed yesterday, the record is empty and nothing is uploaded.
    now = timezone.now()
    open_window("zhengzhou", opens=now - timedelta(days=10), closes=now - timedelta(days=1))
    draft = filing.application_create(actor=applicant, series="engineering", level="assistant")

    log_in(page, id_number, NEW_PASSWORD)
    page.goto(f"/applications/{draft.pk}/")
    blockers = page.locator("ul.blockers")
    expect(blockers).to_contain_text("当前不在申报时间内")
    expect(blockers).to_contain_text("预审未通过")
    expect(blockers).to_contain_text("缺少材料：劳动合同")
    expect(blockers).to_contain_text("请先签署诚信承诺书")
    expect(blockers).not_to_contain_text("employment.")
    expect(page.locator("#materials h2")).to_contain_text("还缺")

    page.get_by_role("button", name="提交申报").click()
    expect(page.locator("body")).to_contain_text("当前不在申报时间内")
    assert not Submission.objects.filter(application=draft).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_saves_what_was_typed_before_the_form_script_arrived(page, demo):
    id_number, applicant = demo_applicant_ready(demo, NEW_PASSWORD)
    now = timezone.now()
    open_window("zhengzhou", opens=now - timedelta(days=1), closes=now + timedelta(days=1))
    draft = filing.application_create(actor=applicant, series="engineering", level="assistant")
    log_in(page, id_number, NEW_PASSWORD)

    # A slow connection: the form's script is held back until the applicant has typed.
    held = []
    page.route("**/applications/filing*.js", lambda route: held.append(route))
    page.goto(f"/applications/{draft.pk}/", wait_until="commit")
    page.get_by_label(label("专业")).fill("道路桥梁")
    assert len(held) == 1
    held[0].continue_()

    expect(page.locator(".autosave-status")).to_contain_text("已自动保存", timeout=10_000)
    draft.refresh_from_db()
    assert draft.specialty == "道路桥梁"
