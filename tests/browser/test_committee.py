"""A committee meeting in a browser: the secretary files the plan (a too-early date is refused with
the first allowed date), draws the experts, the experts vote online on the frozen snapshot, the
secretary closes the meeting and reports, and the bureau sees the passed result."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import Application
from committees import services
from committees.models import Meeting
from tests.browser.conftest import STAFF_PASSWORD, log_in
from tests.calendar_helpers import calendar_filled_in
from tests.committees.helpers import build_world


@pytest.mark.browser
def test_it_takes_an_application_through_a_committee_meeting_to_the_bureau(transactional_db, new_page):
    calendar_filled_in(timezone.localdate())
    world = build_world("zhengzhou", experts=3, applications=1)
    application = world.applications[0]
    applicant_name = application.applicant.full_name
    first = services.first_allowed_meeting_date(timezone.localdate())

    secretary = new_page()
    log_in(secretary, world.secretary.username, STAFF_PASSWORD)
    secretary.get_by_role("link", name="评审委员会与评审会议").click()
    secretary.get_by_role("link", name="专家库与评审方案").click()
    assert "中青年专家" in secretary.locator("#pool-shares").inner_text()
    secretary.get_by_role("link", name="报备评审方案").click()

    def fill_plan(day) -> None:
        secretary.get_by_label(re.compile("^会议名称")).fill("2026年度工程系列评审会")
        secretary.get_by_label(re.compile("^开始时间")).fill(f"{day:%Y-%m-%d}T09:00")
        secretary.get_by_label(re.compile("^结束时间")).fill(f"{day:%Y-%m-%d}T17:00")
        secretary.get_by_label(re.compile("^抽取专家人数")).fill("3")
        secretary.get_by_label(re.compile(re.escape(applicant_name))).check()
        secretary.get_by_role("button", name="报备方案").click()
        secretary.wait_for_load_state()

    fill_plan(first - timedelta(days=1))
    assert f"会议最早可安排在{first.year}年{first.month}月{first.day}日" in secretary.locator(".errors").inner_text()
    fill_plan(first)
    assert secretary.locator("#meeting-status").inner_text() == "已报备评审方案"

    secretary.get_by_role("button", name="随机抽取专家").click()
    secretary.wait_for_load_state()
    assert secretary.locator("#meeting-status").inner_text() == "已抽取专家，表决中"
    meeting = Meeting.objects.get()

    for assignment in meeting.assignments.select_related("expert__user"):
        expert = new_page()
        log_in(expert, assignment.expert.user.username, STAFF_PASSWORD)
        expert.get_by_role("link", name="我的评审会议").first.click()
        expert.get_by_role("link", name="评审表决").click()
        expert.get_by_role("link", name="查看材料并表决").click()
        assert applicant_name in expert.locator("h1").inner_text()
        expert.get_by_label("同意", exact=True).check()
        expert.get_by_role("button", name="提交表决意见").click()
        expert.wait_for_load_state()
        assert expert.get_by_role("row").filter(has_text=applicant_name).filter(has_text="同意").count() == 1

    secretary.reload()
    assert secretary.get_by_role("row").filter(has_text=applicant_name).filter(has_text="3 人").count() == 1
    secretary.get_by_label(re.compile("^评委会讨论意见")).fill("申报材料真实完整，业绩突出。")
    secretary.get_by_role("button", name="结束会议并统计表决结果").click()
    secretary.wait_for_load_state()
    assert secretary.get_by_role("row").filter(has_text="评审通过").count() == 1
    secretary.get_by_role("button", name="报送评审结果并公示").click()
    secretary.wait_for_load_state()
    assert secretary.locator("#meeting-status").inner_text() == "结果已报送并公示"

    bureau = new_page()
    log_in(bureau, world.city.city_reviewer.username, STAFF_PASSWORD)
    bureau.get_by_role("link", name="评审结果").first.click()
    row = bureau.get_by_role("row").filter(has_text="2026年度工程系列评审会")
    assert row.get_by_role("cell", name="1", exact=True).count() == 2  # reviewed 1, passed 1
    row.get_by_role("link", name="结果与会议纪要").click()
    assert bureau.get_by_role("row").filter(has_text=applicant_name).filter(has_text="评审通过").count() == 1
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
