"""Huzhou's committee journey in a browser, every role from the login page to the certificate, by
the links and buttons the pages show (issue 17; 004_318552047dacbbf4.txt).

The applicant (the demo 陈思琪 of 湖州市第一中学, an 助理工程师 since 2017) files for 工程 · 中级
with four years of continuing education (三(二): 90 学时 a year) and four years of appointment
(二), and submits; the unit, the competent department (湖州市教育局) and the city bureau approve;
the 湖州市工程系列中级职称评审委员会's secretary files the meeting plan against the pool of three,
signs the 保密承诺书 and draws; on the meeting day each expert signs, reads the frozen file — record,
assessments, continuing education, every attachment, the lower levels' opinions — and votes; the
secretary closes and reports; during the publicity a named objection is recorded and found untrue;
the bureau's certificate page holds the certificate back until the publicity ends, then issues
it; the holder downloads it and anyone verifies it. Every page is read for raw codes
(tests/test_plain_words.py); console errors and CSP violations fail the test."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application
from certificates.models import Certificate
from committees import services as committee_services
from committees.models import Meeting
from tests.browser.conftest import STAFF_PASSWORD, demo_applicant_login, label
from tests.browser.journey import (
    Reader,
    add_continuing_education,
    add_title_held,
    approve,
    click,
    download_own_certificate,
    fill_personal_record,
    first_login,
    issue_certificates,
    nav,
    open_in_queue,
    open_window_around_now,
    public_verifies,
    sign_and_submit,
    staff_logs_in,
    start_application,
    upload_every_missing_slot,
)
from tests.browser.journey_committee import (
    close_and_report,
    draw_experts,
    drawable_count,
    expert_reads_and_votes,
    file_plan,
    open_committee,
    publicity_ends,
    upload_photo,
)
from tests.browser.test_committee import move_meeting_to_today
from tests.calendar_helpers import calendar_filled_in

NEW_PASSWORD = "Huzhou#Pingshen2026"
APPLICANT = "陈思琪"
COMMITTEE = "湖州市工程系列中级职称评审委员会"
OPINIONS = ["经单位研究，同意推荐。", "材料齐全，同意上报。", "符合申报条件，同意提交评审委员会评审。"]


@pytest.mark.browser
def test_huzhou_committee_review_from_the_applicants_login_to_the_public_verifying_the_certificate(
    demo, new_page, tmp_path
):
    today = timezone.localdate()
    calendar_filled_in(today, days=90)
    open_window_around_now("huzhou", "2026年度湖州市职称评审推荐")
    read = Reader("huzhou")

    # The applicant: the initial password the unit hands out, changed at the first login.
    id_number = demo_applicant_login(demo, "湖州市")
    initial = next(row["password"] for row in demo if row["login"] == id_number).split("（")[0]
    applicant = new_page()
    first_login(applicant, read, id_number, initial, NEW_PASSWORD)
    fill_personal_record(applicant, read, tmp_path, employer="湖州市第一中学", assessed=range(2018, 2026))
    # 二 four years of the current title by the year's end; 三(二) 90 学时 in each of the last four years.
    add_title_held(applicant, read, tmp_path, series="工程", level="助理级", name="助理工程师", obtained="2017-09-01")
    add_continuing_education(applicant, read, {2022: 90, 2023: 90, 2024: 90, 2025: 90})
    text = start_application(applicant, read, series="工程", level="中级")
    assert "填写申报：工程 · 中级" in text
    applicant.get_by_label(label("专业")).fill("建筑工程")
    statement = "本人从事建筑工程技术工作，负责校舍新建和维修项目的技术管理。" * 4
    applicant.locator("textarea[name=self_statement]").fill(statement)
    achievements = "主持完成学校体育馆新建工程的施工技术管理，工程获市优质工程奖。" * 10
    applicant.locator("textarea[name=main_achievements]").fill(achievements)
    click(applicant, read, "button", "保存草稿")
    upload_photo(applicant, read, tmp_path)  # 附件1 二、1: at least 30KB
    uploaded = upload_every_missing_slot(applicant, read, tmp_path)
    assert any("继续教育" in name for name in uploaded) and any("聘书" in name for name in uploaded)
    sign_and_submit(applicant, read, APPLICANT)
    application = Application.objects.get(applicant__full_name=APPLICANT, tenant__code="huzhou")
    assert application.status == Application.Status.SUBMITTED

    # After submitting she records this year's hours; the file the experts read stays as submitted.
    nav(applicant, read, "个人档案")
    add_continuing_education(applicant, read, {2026: 37})
    expect(applicant.locator("main")).to_contain_text("37")

    # The unit, the competent department and the city bureau, each from its own queue.
    unit = staff_logs_in(new_page, read, "huzhou-unit-handler", STAFF_PASSWORD)
    open_in_queue(unit, read, APPLICANT)
    approve(unit, read, OPINIONS[0])
    department = staff_logs_in(new_page, read, "huzhou-department", STAFF_PASSWORD)
    assert OPINIONS[0] in open_in_queue(department, read, APPLICANT)
    approve(department, read, OPINIONS[1])
    city = staff_logs_in(new_page, read, "huzhou-city", STAFF_PASSWORD)
    open_in_queue(city, read, APPLICANT)
    approve(city, read, OPINIONS[2])
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW

    # The committee's secretary: the pool of three, the plan, the pledge, the draw.
    secretary = staff_logs_in(new_page, read, "huzhou-secretary", STAFF_PASSWORD)
    text = open_committee(secretary, read, COMMITTEE)
    assert "待本评委会评审的申报：1 份" in text
    pool = drawable_count(text)
    assert pool == 3
    first = committee_services.first_allowed_meeting_date(today)
    file_plan(secretary, read, COMMITTEE, first, pool, APPLICANT, "2026年度湖州市工程系列中级职称评审会")
    expect(secretary.locator("#meeting-status")).to_have_text("已报备评审方案")
    meeting = draw_experts(secretary, read, "湖州市评委会秘书", "huzhou")
    assert meeting.assignments.count() == 3

    # The meeting day: each expert signs, reads the frozen file and votes.
    move_meeting_to_today(meeting)
    for assignment in meeting.assignments.select_related("expert__user"):
        user = assignment.expert.user
        expert = new_page()
        files = expert_reads_and_votes(
            expert, read, username=user.username, password=STAFF_PASSWORD, full_name=user.full_name,
            applicant=APPLICANT, held_title="助理工程师", opinions=OPINIONS,
            absent={"#continuing-education": "2026"},
        )
        assert any("继续教育" in name for name in files), files
        expert.close()

    # The secretary closes the meeting and reports; the result is published.
    text = close_and_report(secretary, read, "申报材料真实完整，业绩符合工程师评审条件。", APPLICANT)
    assert "公示至" in text
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    click(secretary, read, "link", "查看会议纪要")
    assert "会议结束" in read(secretary)
    secretary.go_back()
    read(secretary)

    # The applicant reads the result.
    nav(applicant, read, "我的申报")
    assert "已通过" in click(applicant, read, "link", "查看进度")

    # During the publicity: a named objection, recorded and found untrue.
    secretary.get_by_label("被反映的申报人").select_option(label=APPLICANT)
    secretary.get_by_label(label("反映人真实姓名")).fill("沈建明")
    secretary.get_by_label(label("反映内容")).fill("工程获奖情况存疑")
    text = click(secretary, read, "button", "登记异议")
    assert "尚未处理，该申报暂不发证" in text
    secretary.get_by_label(label("调查核实结论")).fill("经核实，获奖证书真实。")
    secretary.get_by_label("反映不实").check()
    text = click(secretary, read, "button", "记录结论")
    assert "反映不实" in text

    # The bureau holds the certificate while the publicity runs, and issues it once it has ended.
    text = nav(city, read, "证书")
    assert "以下1件评审通过的申报暂不发证" in text and "公示期满后方可发证" in text
    publicity_ends(Meeting.objects.get(pk=meeting.pk))
    city.reload()
    issue_certificates(city, read, 1)
    certificate = Certificate.objects.get(application=application)

    # The holder downloads it; anyone verifies it.
    number, content = download_own_certificate(applicant, read)
    assert number == certificate.number
    public = new_page()
    text = public_verifies(public, read, number, APPLICANT, content)
    expect(public.locator(".certificate-title")).to_contain_text("工程师")
    assert "陈*琪" in text and APPLICANT not in text
