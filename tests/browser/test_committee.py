"""Committee meetings in a browser.

Xuchang (issue 17): the secretary files a plan of seven with three experts in the pool and is told
how many can be drawn; adds experts (one account on the page, more from an Excel list, each with
a one-time password shown once), files the plan, signs the 保密承诺书 and draws; every expert
changes the initial password at first login, signs the pledge (001_272b0a6ee81b04e4.txt 五(一)),
reads the frozen file and votes on the meeting day — not before; the secretary closes and reports
within 5 working days (001 五(四)); the bureau's certificate page keeps the certificate back while
the result is published. No page shows a console error or a raw code.

Zhengzhou: a too-early meeting date is refused with the first allowed date, and the bureau sees the
passed result."""

from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook

from applications.models import Application
from committees import services
from committees.models import Meeting
from rules.engine.dates import cn_date
from rules.windows import CST
from rules.workdays import add_working_days
from tests.browser.conftest import STAFF_PASSWORD, label, log_in
from tests.calendar_helpers import calendar_filled_in
from tests.committees.helpers import build_world, xuchang_world

# What no person should read on a page: snake_case identifiers (slot ids, level codes…), ISO
# dates or timestamps, and the codes of statuses, series and levels.
RAW_CODE = re.compile(
    r"\b[a-z]+_[a-z_]+\b|\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?\b"
    r"|\b(?:planned|drawn|closed|reported|withdrawn|pending|passed|failed|agree|disagree|abstain"
    r"|engineering|intermediate|assistant|committee|active|approved|in_review)\b"
)
NEW_PASSWORD = "Pingshen#2026xc"


def seen(page) -> str:
    """The page's text, checked for raw codes; returns it for further assertions."""
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    found = RAW_CODE.findall(text)
    assert not found, f"{page.url} 页面显示了内部代码：{found}"
    return text


def move_meeting_to_today(meeting: Meeting) -> None:
    """The days between filing and the meeting pass: the meeting is held today, from before now."""
    now = timezone.now()
    start_of_day = datetime.combine(now.astimezone(CST).date(), time(0, 0), tzinfo=CST)
    starts = max(start_of_day, now - timedelta(hours=1))
    shift = meeting.starts_at - starts
    # It ends today too, whatever the hour (an evening run must not put its end, and so the 5 working
    # days to report, on tomorrow).
    ends = min(starts + timedelta(hours=8), start_of_day + timedelta(hours=23, minutes=59))
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts, ends_at=ends, plan_filed_at=meeting.plan_filed_at - shift,
    )


def expert_list(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(services.IMPORT_COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def fill_plan(page, day, count: int, applicant_name: str, title: str = "2026年度工程系列中级评审会") -> None:
    page.get_by_label(re.compile("^会议名称")).fill(title)
    page.get_by_label(re.compile("^开始时间")).fill(f"{day:%Y-%m-%d}T09:00")
    page.get_by_label(re.compile("^结束时间")).fill(f"{day:%Y-%m-%d}T17:00")
    page.get_by_label(re.compile("^抽取专家人数")).fill(str(count))
    checkbox = page.get_by_label(re.compile(re.escape(applicant_name)))
    if not checkbox.is_checked():
        checkbox.check()
    page.get_by_role("button", name="报备方案").click()
    page.wait_for_load_state()


def sign_pledge(page, full_name: str) -> None:
    page.get_by_label("我已阅读并同意遵守以上保密承诺").check()
    page.get_by_label(label("签名（请输入您的姓名）")).fill(full_name)
    page.get_by_role("button", name="签署保密承诺书").click()
    page.wait_for_load_state()


@pytest.mark.browser
def test_xuchang_staffs_a_plan_by_adding_experts_and_decides_on_the_meeting_day(transactional_db, new_page):
    today = timezone.localdate()
    calendar_filled_in(today)
    world = xuchang_world(experts=3)
    application = world.applications[0]
    applicant_name = application.applicant.full_name
    first = services.first_allowed_meeting_date(today)

    secretary = new_page()
    log_in(secretary, world.secretary.username, STAFF_PASSWORD)
    secretary.get_by_role("link", name="评审委员会与评审会议").click()
    seen(secretary)
    secretary.get_by_role("link", name="专家库与评审方案").click()
    assert "可抽取的专家3人" in seen(secretary)
    secretary.get_by_role("link", name="报备评审方案").click()
    assert "可抽取的专家3人" in seen(secretary)

    # 1 Seven of three: refused at filing, with the number that can be drawn.
    fill_plan(secretary, first, 7, applicant_name)
    errors = secretary.locator(".errors").inner_text()
    assert f"按会议日期{cn_date(first)}，可抽取的专家3人" in errors and "不足7人" in errors
    seen(secretary)
    assert not Meeting.objects.exists()

    # 2 One expert account on the page: its initial password is shown once.
    secretary.get_by_role("link", name=re.compile("^← ")).click()
    new = secretary.locator("#new-expert")
    new.get_by_label(label("用户名（登录名）")).fill("xc-zhou-expert")
    new.get_by_label(label("姓名")).fill("周建华")
    new.get_by_label(label("专业")).fill("结构工程")
    new.get_by_label(label("职称")).fill("正高级工程师")
    new.get_by_label(label("工作单位")).fill("许昌市建筑设计研究院")
    new.get_by_label(label("出生日期")).fill("1975-03-08")
    new.get_by_role("button", name="创建专家账号并加入专家库").click()
    text = seen(secretary)
    assert "初始密码只在此显示一次" in text
    passwords = {
        row.locator("td").nth(1).inner_text(): row.locator("td").nth(2).inner_text()
        for row in secretary.locator("#initial-passwords tbody tr").all()
    }
    assert list(passwords) == ["xc-zhou-expert"]
    secretary.reload()
    assert "已不再显示" in seen(secretary)

    # 3 Three more from an Excel list: a bad row first (nothing imported), then the corrected list.
    secretary.get_by_role("link", name="返回专家库").click()
    rows = [
        ["xc-li-expert", "李明", "工程", "电气工程", "高级工程师", "许昌电力设计院", "1982-04-01", "否", "在库", ""],
        ["xc-wang-expert", "王芳", "工程", "给排水工程", "正高级工程师", "郑州大学", "1979-01-20", "是", "在库", ""],
        ["xc-sun-expert", "孙强", "工程", "暖通工程", "高级工程师", "许昌热力公司", "1988-02-03", "否", "在库", ""],
    ]
    bad = [*rows[:2], [*rows[2][:6], "明年", *rows[2][7:]]]

    def upload(content: bytes) -> str:
        secretary.locator("#import-experts input[type=file]").set_input_files(
            files=[{"name": "专家名单.xlsx", "buffer": content,
                    "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}]
        )
        secretary.get_by_role("button", name="导入专家名单").click()
        return seen(secretary)

    text = upload(expert_list(bad))
    assert "名单未导入" in text and "第4行 出生日期：“明年”不是日期" in text
    assert "第2行" not in text and "第3行" not in text
    text = upload(expert_list(rows))
    assert "已创建 3 个专家账号" in text
    for row in secretary.locator("#initial-passwords tbody tr").all():
        passwords[row.locator("td").nth(1).inner_text()] = row.locator("td").nth(2).inner_text()
    assert len(passwords) == 4
    secretary.screenshot(path="/tmp/zc-committee-passwords.png", full_page=True)

    # 4 Seven can now be drawn: the plan is filed, the secretary signs the pledge and draws.
    secretary.get_by_role("link", name="返回专家库").click()
    assert "可抽取的专家7人" in seen(secretary)
    secretary.get_by_role("link", name="报备评审方案").click()
    fill_plan(secretary, first, 7, applicant_name)
    assert secretary.locator("#meeting-status").inner_text() == "已报备评审方案"
    assert "可抽取的专家7人" in seen(secretary)
    secretary.screenshot(path="/tmp/zc-committee-plan.png", full_page=True)
    sign_pledge(secretary, world.secretary.full_name)
    assert "已签署保密承诺书" in seen(secretary)
    secretary.get_by_role("button", name="随机抽取专家").click()
    assert secretary.locator("#meeting-status").inner_text() == "已抽取专家，表决中"
    assert "会议当天起方可表决" in seen(secretary)
    meeting = Meeting.objects.get()
    assert meeting.assignments.count() == 7

    # 5 Before the meeting day an expert can sign and read, not vote.
    logins = {a.expert.user.username: a.expert.user for a in meeting.assignments.select_related("expert__user")}
    early = new_page()
    log_in(early, "xc-zhou-expert", passwords["xc-zhou-expert"])
    assert "修改密码" in early.locator("h1").inner_text()
    early.get_by_label(label("原密码")).fill(passwords["xc-zhou-expert"])
    early.get_by_label(label("新密码")).fill(NEW_PASSWORD)
    early.get_by_label(label("再次输入新密码")).fill(NEW_PASSWORD)
    early.get_by_role("button", name="保存新密码").click()
    early.wait_for_load_state()
    early.get_by_role("link", name="我的评审会议").first.click()
    early.get_by_role("link", name="评审表决").click()
    assert applicant_name not in seen(early)  # nothing of the agenda before the pledge
    sign_pledge(early, "周建华")
    early.get_by_role("link", name="查看材料").click()
    assert "会议当天起方可表决" in seen(early)
    assert early.get_by_role("button", name="提交表决意见").count() == 0
    early.close()

    # 6 The meeting day: every expert signs, reads the file and votes.
    move_meeting_to_today(meeting)
    for username, user in logins.items():
        expert = new_page()
        if username in passwords:
            log_in(expert, username, passwords[username] if username != "xc-zhou-expert" else NEW_PASSWORD)
            if "修改密码" in expert.locator("h1").inner_text():
                expert.get_by_label(label("原密码")).fill(passwords[username])
                expert.get_by_label(label("新密码")).fill(NEW_PASSWORD)
                expert.get_by_label(label("再次输入新密码")).fill(NEW_PASSWORD)
                expert.get_by_role("button", name="保存新密码").click()
                expert.wait_for_load_state()
        else:
            log_in(expert, username, STAFF_PASSWORD)
        seen(expert)
        expert.get_by_role("link", name="我的评审会议").first.click()
        seen(expert)
        expert.get_by_role("link", name="评审表决").click()
        if expert.get_by_role("button", name="签署保密承诺书").count():
            sign_pledge(expert, user.full_name)
        seen(expert)
        expert.get_by_role("link", name="查看材料并表决").click()
        text = seen(expert)
        assert applicant_name in expert.locator("h1").inner_text()
        assert "助理工程师" in expert.locator("#titles-held").inner_text()
        assert "合格" in expert.locator("#assessments").inner_text()
        assert "学时" in expert.locator("#continuing-education").inner_text()
        assert "审核意见：同意。" in text
        if username == "xc-zhou-expert":
            expert.screenshot(path="/tmp/zc-committee-item.png", full_page=True)
        link = expert.locator("#files a").first
        response = expert.request.get(link.get_attribute("href"))
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith("inline")
        expert.get_by_label("同意", exact=True).check()
        expert.get_by_role("button", name="提交表决意见").click()
        seen(expert)
        assert expert.get_by_role("row").filter(has_text=applicant_name).filter(has_text="同意").count() == 1
        expert.close()

    # 7 Close on the meeting day and report within five working days.
    secretary.reload()
    assert secretary.get_by_role("row").filter(has_text=applicant_name).filter(has_text="7 人").count() == 1
    seen(secretary)
    secretary.get_by_label(re.compile("^评委会讨论意见")).fill("申报材料真实完整，业绩突出。")
    secretary.get_by_role("button", name="结束会议并统计表决结果").click()
    seen(secretary)
    assert secretary.get_by_role("row").filter(has_text="评审通过").count() == 1
    due = add_working_days(timezone.localdate() + timedelta(days=1), services.REPORT_WORKING_DAYS)
    assert f"请在 {cn_date(due)} 前" in secretary.locator("#report-due").inner_text()
    secretary.get_by_role("button", name="报送评审结果并公示").click()
    assert secretary.locator("#meeting-status").inner_text() == "结果已报送并公示"
    assert "公示至" in seen(secretary)
    secretary.get_by_role("link", name="查看会议纪要").click()
    text = seen(secretary)
    assert "参会专家7人中7人已签署" in text and "逾期" not in text
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED

    # 8 The bureau's certificate page keeps the certificate back while the result is published.
    bureau = new_page()
    log_in(bureau, world.city.city_reviewer.username, STAFF_PASSWORD)
    bureau.goto("/certificates/")
    text = seen(bureau)
    assert "以下1件评审通过的申报暂不发证" in text and applicant_name in text and "公示期满后方可发证" in text


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

    fill_plan(secretary, first - timedelta(days=1), 3, applicant_name, "2026年度工程系列评审会")
    assert f"会议最早可安排在{first.year}年{first.month}月{first.day}日" in secretary.locator(".errors").inner_text()
    fill_plan(secretary, first, 3, applicant_name, "2026年度工程系列评审会")
    assert secretary.locator("#meeting-status").inner_text() == "已报备评审方案"
    sign_pledge(secretary, world.secretary.full_name)
    secretary.get_by_role("button", name="随机抽取专家").click()
    secretary.wait_for_load_state()
    assert secretary.locator("#meeting-status").inner_text() == "已抽取专家，表决中"
    meeting = Meeting.objects.get()
    move_meeting_to_today(meeting)

    for assignment in meeting.assignments.select_related("expert__user"):
        expert = new_page()
        log_in(expert, assignment.expert.user.username, STAFF_PASSWORD)
        expert.get_by_role("link", name="我的评审会议").first.click()
        expert.get_by_role("link", name="评审表决").click()
        sign_pledge(expert, assignment.expert.user.full_name)
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
