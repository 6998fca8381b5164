"""Xuchang's committee journey in a browser, every role from the login page to the certificate, by
the links and buttons the pages show (issue 17; 001_272b0a6ee81b04e4.txt).

The applicant (the demo 李晓燕 of 许昌市第一中学, an 助理工程师) states her 现从事专业 (二(五)2: it must
match the 申报专业), files for 工程 · 中级 and submits; the unit uploads the 年度考核登记表 it
provides (二(五)7) and approves; the competent department and the city bureau approve. The
许昌市工程系列中级职称评审委员会 has three experts in its pool, and a plan of seven (the form
proposes three) is refused at filing with the number that can be drawn. The
secretary files a plan of three instead; the tenant admin downloads the expert list template, fills
in three experts and imports them; the secretary creates a fourth on the page (each new expert's
initial password shown once); the pool now holds seven, the secretary edits the filed plan to seven
(修改评审方案, 保存并重新报备), signs the 保密承诺书 (五(一)) and draws. On the meeting day every expert —
the four new ones changing their initial passwords at first login — signs, reads the frozen file
and votes; the secretary closes and reports within five working days (五(四)); the certificate waits
for the publicity to end, is issued, downloaded and verified. Every page is read for raw codes
(tests/test_plain_words.py); console errors and CSP violations fail the test."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from applications.models import Application
from certificates.models import Certificate
from committees import services as committee_services
from committees.models import Expert, Meeting
from rules.engine.dates import cn_date
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
    supply_unit_materials,
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
)
from tests.browser.test_committee import fill_plan, move_meeting_to_today
from tests.calendar_helpers import calendar_filled_in

NEW_PASSWORD = "Xuchang#Pingshen2026"
APPLICANT = "李晓燕"
COMMITTEE = "许昌市工程系列中级职称评审委员会"
OPINIONS = ["经单位研究，同意推荐。", "材料齐全，同意上报。", "资格审查合格，同意提交评审委员会评审。"]
# Three experts from the tenant admin's Excel list, one created by the secretary on the page.
LISTED = [
    ["xc-li-expert", "李明", "工程", "电气工程", "高级工程师", "许昌电力设计院", "1982年4月1日", "否", "在库", ""],
    ["xc-wang-expert", "王芳", "工程", "给排水工程", "正高级工程师", "郑州大学", "1979年1月20日", "是", "在库", ""],
    ["xc-sun-expert", "孙强", "工程", "暖通工程", "高级工程师", "许昌热力公司", "1988年2月3日", "否", "在库", ""],
]


def initial_passwords(page) -> dict[str, str]:
    """The one-time initial passwords on 专家账号: username → password."""
    expect(page.locator("h1")).to_have_text("专家账号")
    assert "初始密码只在此显示一次" in page.locator("main").inner_text()
    return {
        row.locator("td").nth(1).inner_text(): row.locator("td").nth(2).inner_text()
        for row in page.locator("#initial-passwords tbody tr").all()
    }


@pytest.mark.browser
def test_xuchang_committee_too_small_is_staffed_through_its_pages_and_decides_to_the_certificate(
    demo, new_page, tmp_path
):
    today = timezone.localdate()
    calendar_filled_in(today, days=90)
    open_window_around_now("xuchang", "2026年度许昌市市属职称评审")
    read = Reader("xuchang")

    # The applicant: first login, the record (现从事专业 as the application's 专业), the application.
    id_number = demo_applicant_login(demo, "许昌市")
    initial = next(row["password"] for row in demo if row["login"] == id_number).split("（")[0]
    applicant = new_page()
    first_login(applicant, read, id_number, initial, NEW_PASSWORD)
    fill_personal_record(applicant, read, tmp_path, employer="许昌市第一中学", assessed=range(2018, 2026))
    applicant.get_by_label(label("现从事专业")).fill("建筑工程")
    click(applicant, read, "button", "保存基本信息")
    expect(applicant.locator(".messages")).to_contain_text("个人基本信息已保存。")
    add_title_held(applicant, read, tmp_path, series="工程", level="助理级", name="助理工程师", obtained="2017-09-01")
    add_continuing_education(applicant, read, {2023: 90, 2024: 90, 2025: 90})
    text = start_application(applicant, read, series="工程", level="中级")
    assert "填写申报：工程 · 中级" in text
    expect(applicant.get_by_label(label("专业"))).to_have_value("建筑工程")
    statement = "本人从事建筑工程技术工作，负责校舍新建和维修项目的技术管理。" * 4
    applicant.locator("textarea[name=self_statement]").fill(statement)
    achievements = "主持完成学校综合楼新建工程的施工技术管理，解决了深基坑支护等技术难题。" * 10
    applicant.locator("textarea[name=main_achievements]").fill(achievements)
    click(applicant, read, "button", "保存草稿")
    uploaded = upload_every_missing_slot(applicant, read, tmp_path)
    assert any("聘书" in name for name in uploaded) and any("学历" in name for name in uploaded)  # 二(五)2、4
    sign_and_submit(applicant, read, APPLICANT)
    application = Application.objects.get(applicant__full_name=APPLICANT, tenant__code="xuchang")
    assert application.status == Application.Status.SUBMITTED

    # The unit supplies the 年度考核登记表 (二(五)7) and approves; the department and the bureau approve.
    unit = staff_logs_in(new_page, read, "xuchang-unit-handler", STAFF_PASSWORD)
    open_in_queue(unit, read, APPLICANT)
    supplied = supply_unit_materials(unit, read, tmp_path)
    assert supplied == ["任现职以来"], supplied  # “任现职以来（超过5年的提供近5年）年度考核登记表…”
    open_in_queue(unit, read, APPLICANT)
    approve(unit, read, OPINIONS[0])
    department = staff_logs_in(new_page, read, "xuchang-department", STAFF_PASSWORD)
    open_in_queue(department, read, APPLICANT)
    approve(department, read, OPINIONS[1])
    city = staff_logs_in(new_page, read, "xuchang-city", STAFF_PASSWORD)
    open_in_queue(city, read, APPLICANT)
    approve(city, read, OPINIONS[2])
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW

    # The secretary: three in the pool; the form's seven is refused at filing, naming the three.
    secretary = staff_logs_in(new_page, read, "xuchang-secretary", STAFF_PASSWORD)
    assert drawable_count(open_committee(secretary, read, COMMITTEE)) == 3
    first = committee_services.first_allowed_meeting_date(today)
    title = "2026年度许昌市工程系列中级职称评审会"
    click(secretary, read, "link", "报备评审方案")
    # The form proposes no more than can be drawn; seven (the usual panel) is refused at filing.
    expect(secretary.get_by_label(re.compile("^抽取专家人数"))).to_have_value("3")
    fill_plan(secretary, first, 7, APPLICANT, title)
    errors = secretary.locator(".errors").inner_text()
    assert f"按会议日期{cn_date(first)}，可抽取的专家3人" in errors and "不足7人" in errors
    read(secretary)
    assert not Meeting.objects.filter(tenant__code="xuchang").exists()
    # A plan of three is filed meanwhile; it can be edited until the draw.
    file_plan(secretary, read, COMMITTEE, first, 3, APPLICANT, title)
    expect(secretary.locator("#meeting-status")).to_have_text("已报备评审方案")

    # The tenant admin: 评审委员会 in the navigation, the template, three experts imported from Excel.
    admin = staff_logs_in(new_page, read, "xuchang-admin", STAFF_PASSWORD)
    open_committee(admin, read, COMMITTEE)
    with admin.expect_download() as download:
        admin.get_by_role("link", name="专家名单模板（Excel）").click()
    assert download.value.suggested_filename == "专家名单模板.xlsx"
    with open(download.value.path(), "rb") as file:
        book = load_workbook(io.BytesIO(file.read()))
    sheet = book.active
    sheet.delete_rows(2, sheet.max_row)  # the example row
    for row in LISTED:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    admin.get_by_label(label("专家名单（Excel .xlsx）")).set_input_files(
        files=[{"name": "许昌市工程系列专家名单.xlsx", "buffer": buffer.getvalue(),
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}]
    )
    click(admin, read, "button", "导入专家名单")
    passwords = initial_passwords(admin)
    assert sorted(passwords) == sorted(row[0] for row in LISTED)
    click(admin, read, "link", "返回专家库")
    expect(admin.locator("#pool-shares")).to_contain_text("可抽取专家 6 人")

    # The secretary creates a fourth expert on the page.
    open_committee(secretary, read, COMMITTEE)
    new = secretary.locator("#new-expert")
    new.get_by_label(label("用户名（登录名）")).fill("xc-zhou-expert")
    new.get_by_label(label("姓名")).fill("周建华")
    new.get_by_label(label("专业")).fill("结构工程")
    new.get_by_label(label("职称")).fill("正高级工程师")
    new.get_by_label(label("工作单位")).fill("许昌市建筑设计研究院")
    new.get_by_label(label("出生日期")).fill("1975-03-08")
    click(secretary, read, "button", "创建专家账号并加入专家库")
    passwords.update(initial_passwords(secretary))
    assert len(passwords) == 4
    click(secretary, read, "link", "返回专家库")
    assert Expert.objects.filter(tenant__code="xuchang", committees__name=COMMITTEE).count() == 7

    # The filed plan is edited to seven, re-filed, and the seven are drawn.
    expect(secretary.locator("#pool-shares")).to_contain_text("可抽取专家 7 人")
    click(secretary, read, "link", title)
    click(secretary, read, "link", "修改评审方案")
    secretary.get_by_label(re.compile("^抽取专家人数")).fill("7")
    click(secretary, read, "button", "保存并重新报备")
    expect(secretary.locator("#meeting-status")).to_have_text("已报备评审方案")
    assert "本方案抽取 7 人" in secretary.locator("#plan-drawable").inner_text()
    meeting = draw_experts(secretary, read, "许昌市评委会秘书", "xuchang")
    assert meeting.assignments.count() == 7

    # The meeting day: every expert signs, reads the frozen file and votes.
    move_meeting_to_today(meeting)
    for assignment in meeting.assignments.select_related("expert__user"):
        user = assignment.expert.user
        expert = new_page()
        new_account = user.username in passwords
        expert_reads_and_votes(
            expert, read, username=user.username, password=NEW_PASSWORD if new_account else STAFF_PASSWORD,
            initial=passwords.get(user.username), full_name=user.full_name, applicant=APPLICANT,
            held_title="助理工程师", opinions=OPINIONS,
        )
        expert.close()

    # The secretary closes and reports; the result is published and the minutes count seven.
    text = close_and_report(secretary, read, "申报材料真实完整，业绩符合工程师评审条件。", APPLICANT)
    assert "公示至" in text
    click(secretary, read, "link", "查看会议纪要")
    assert "参会专家7人中7人已签署" in read(secretary)
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED

    # The applicant reads the result.
    nav(applicant, read, "我的申报")
    assert "已通过" in click(applicant, read, "link", "查看进度")

    # The bureau: held while the result is published, issued once the publicity has ended.
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
    assert "李*燕" in text and APPLICANT not in text
