"""Tangshan's journey in a browser, every role from the login page to the certificate, by the links
and buttons the pages show (issue 17; 002_743bb57fc6424707.txt 第一篇).

The applicant (the demo 王建国 of 唐山市第一中学, an 助理工程师) files for 工程 · 中级; the unit
runs its own procedure (第七条): a review group of at least seven, candidates, 量化赋分 by every
member — each chosen in the member dropdown, whose switch the site's CSP once silently broke —, the
vacant posts of a public institution, five working days of publicity with a named objection
resolved, and the recommendation list sent up; the competent department and the city bureau
approve; the committee (hebei-2024 is 评审 at every level) draws its experts, who vote on the
meeting day; the secretary reports and publishes the result; once that publicity has ended the
bureau issues the certificate, the holder downloads it and anyone verifies it. Every page is read for
raw codes (tests/test_plain_words.py); console errors and CSP violations fail the test."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application
from certificates.models import Certificate
from committees import services as committee_services
from committees.models import Meeting
from review.models import ProcedureScore, ReviewGroupMember, ReviewStep, UnitProcedure
from rules.engine.dates import cn_date
from rules.workdays import working_days_from
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
    from_inbox,
    issue_certificates,
    nav,
    open_in_queue,
    open_window_around_now,
    print_forms,
    public_verifies,
    sign_and_submit,
    staff_logs_in,
    start_application,
    upload_every_missing_slot,
)
from tests.browser.test_committee import fill_plan, move_meeting_to_today, sign_pledge
from tests.calendar_helpers import calendar_filled_in

NEW_PASSWORD = "Tangshan#Tuijian2026"
APPLICANT = "王建国"
MEMBERS = [
    ("唐山评议组长", "校长"),
    ("唐山评议副组长", "副校长"),
    ("唐山评议成员一", "教务处主任"),
    ("唐山评议成员二", "总务处主任"),
    ("唐山评议成员三", "学科带头人"),
    ("唐山评议成员四", "骨干教师"),
    ("唐山评议成员五", "骨干教师"),
]
SCORES = ["88", "90", "86", "92", "85", "89", "93"]  # mean 89.00


def shift_publicity(procedure: UnitProcedure, days: int) -> None:
    """``days`` pass (the live server keeps the real clock, so the publicity moves back instead)."""
    procedure.refresh_from_db()
    UnitProcedure.objects.filter(pk=procedure.pk).update(
        publicity_starts_on=procedure.publicity_starts_on - timedelta(days=days),
        publicity_ends_on=procedure.publicity_ends_on - timedelta(days=days),
    )


@pytest.mark.browser
def test_tangshan_unit_procedure_committee_and_certificate_walked_by_every_role(demo, new_page, tmp_path):
    today = timezone.localdate()
    calendar_filled_in(today, days=90)
    open_window_around_now("tangshan", "2026年度唐山市职称申报")
    read = Reader("tangshan")

    # The applicant: first login, the record with the title held, an application for 中级.
    id_number = demo_applicant_login(demo, "唐山市")
    initial = next(row["password"] for row in demo if row["login"] == id_number).split("（")[0]
    applicant = new_page()
    first_login(applicant, read, id_number, initial, NEW_PASSWORD)
    # 第六条(四): every year's assessment since the current title.
    fill_personal_record(applicant, read, tmp_path, employer="唐山市第一中学", assessed=range(2018, today.year))
    add_title_held(applicant, read, tmp_path, series="工程", level="助理级", name="助理工程师", obtained="2017-09-01")
    add_continuing_education(applicant, read, {2023: 90, 2024: 90, 2025: 90})
    text = start_application(applicant, read, series="工程", level="中级")
    assert "填写申报：工程 · 中级" in text
    applicant.get_by_label(label("专业")).fill("建筑工程")
    applicant.get_by_label(label("本人述职")).fill("本人自参加工作以来，认真履行岗位职责。" * 5)
    # The field goes by the rule set's name of the material it answers, not 主要工作业绩 (第九条(一)3⑾:
    # 一般不少于2024字).
    assert applicant.get_by_label(label("主要工作业绩")).count() == 0
    applicant.get_by_label(label("任现职以来专业技术工作总结")).fill(
        "负责多项市政工程的施工技术管理，解决了多个技术难题。" * 90
    )
    click(applicant, read, "button", "保存草稿")
    upload_every_missing_slot(applicant, read, tmp_path)
    sign_and_submit(applicant, read, APPLICANT)
    application = Application.objects.get(applicant__full_name=APPLICANT, tenant__code="tangshan")
    assert application.status == Application.Status.SUBMITTED

    # 第七条 The unit's procedure: the review group of seven.
    unit = staff_logs_in(new_page, read, "tangshan-unit-handler", STAFF_PASSWORD)
    click(unit, read, "link", "评审推荐（评议组、公示、推荐名单）")
    unit.get_by_label("新建推荐工作（名称）").fill("2026年度唐山市第一中学职称推荐")
    click(unit, read, "button", "新建")
    for n, (name, position) in enumerate(MEMBERS):
        unit.get_by_label("成员姓名").fill(name)
        unit.get_by_label("职务（单位领导、部门负责人、业务骨干）").fill(position)
        text = click(unit, read, "button", "添加成员")
        if n == 5:
            assert "还须补充1名成员" in text
    assert "还须补充" not in text

    # 第七条(三) The 《量化考核实施细则》, passed by the 职代会 and agreed by the competent department,
    # recorded before any score.
    click(unit, read, "link", "2 候选人与量化赋分")
    approved = timezone.localdate()
    unit.get_by_label("职代会讨论通过日期").fill((approved - timedelta(days=7)).isoformat())
    unit.get_by_label("职代会会议纪要（名称或编号）").fill("第三届职代会第五次会议纪要")
    unit.get_by_label("上级主管部门同意日期").fill((approved - timedelta(days=3)).isoformat())
    unit.get_by_label("主管部门同意文件（名称或文号）").fill("唐教职改〔2026〕12号")
    assert "已录入量化考核实施细则的审批情况" in click(unit, read, "button", "保存审批情况")

    # Candidates and 量化赋分: every member chosen in the dropdown, last first, scores their own.
    unit.get_by_label(APPLICANT, exact=False).check()
    click(unit, read, "button", "列入候选人")
    for (name, _position), score in reversed(list(zip(MEMBERS, SCORES, strict=True))):
        with unit.expect_navigation():
            unit.get_by_label("评议组成员").select_option(label=name)
        read(unit)
        assert f"{name}（" in unit.locator("form.card").inner_text()
        unit.locator("form.card").get_by_label(APPLICANT).fill(score)
        text = click(unit, read, "button", "保存赋分")
        assert "已保存量化赋分" in text
    saved = {score.member.name: str(score.score) for score in ProcedureScore.objects.select_related("member")}
    assert saved == {name: f"{score}.00" for (name, _), score in zip(MEMBERS, SCORES, strict=True)}
    ranking = unit.locator("#ranking").inner_text()
    assert "89.00" in ranking and "7/7" in ranking

    # The vacant posts of a public institution (岗位结构比例).
    click(unit, read, "link", "3 岗位结构比例")
    unit.get_by_label("岗位级别").select_option(label="中级")
    unit.get_by_label("空余岗位数").fill("1")
    click(unit, read, "button", "保存")

    # Five working days of publicity, the 公示表, a named objection found untrue.
    click(unit, read, "link", "4 公示与异议")
    # After the day the candidates signed their pledges (the 公示表's 本人郑重承诺): the next working day.
    unit.get_by_label("公示开始日期").fill(working_days_from(today + timedelta(days=1), 1)[0].isoformat())
    text = click(unit, read, "button", "开始公示")
    assert "已开始公示" in text
    with unit.expect_download() as download:
        unit.get_by_role("link", name="下载公示表（PDF）").click()
    assert download.value.suggested_filename.endswith(".pdf")
    # Before its first day no objection is taken; the page says when the publicity runs.
    procedure = UnitProcedure.objects.get(unit__tenant__code="tangshan")
    unit.get_by_label("反映人真实姓名").fill("李志强")
    unit.get_by_label("反映内容").fill("论文发表时间存疑")
    text = click(unit, read, "button", "登记异议")
    assert f"公示期为{cn_date(procedure.publicity_starts_on)}至{cn_date(procedure.publicity_ends_on)}" in text, text
    assert "不在公示期内" in text and "未处理0条" in text
    shift_publicity(procedure, days=(procedure.publicity_starts_on - today).days)  # the first day comes
    unit.reload()
    read(unit)
    unit.get_by_label("反映人真实姓名").fill("李志强")
    unit.get_by_label("反映内容").fill("论文发表时间存疑")
    text = click(unit, read, "button", "登记异议")
    assert "未处理1条" in text
    unit.get_by_label("调查核实结论").fill("经核实，论文发表时间属实。")
    unit.get_by_label("反映不实").check()
    text = click(unit, read, "button", "记录结论")
    assert "未处理0条" in text
    shift_publicity(procedure, days=21)  # the five working days pass
    unit.reload()
    text = click(unit, read, "button", "结束公示")
    assert "公示已结束" in text

    # The recommendation list goes up.
    click(unit, read, "link", "5 推荐人员名单")
    text = click(unit, read, "button", "推荐上报所选人员")
    assert "已推荐上报" in text
    step = ReviewStep.objects.get(application=application, level="unit")
    assert step.status == ReviewStep.Status.APPROVED and "综合排名第1名" in step.opinion
    assert ReviewGroupMember.objects.filter(procedure=procedure).count() == 7

    # The competent department and the city bureau.
    department = staff_logs_in(new_page, read, "tangshan-department", STAFF_PASSWORD)
    open_in_queue(department, read, APPLICANT)
    approve(department, read, "材料齐全，同意推荐。")
    city = staff_logs_in(new_page, read, "tangshan-city", STAFF_PASSWORD)
    from_inbox(city, read, f"{APPLICANT}的申报待您审核")
    approve(city, read, "符合申报条件，同意提交评审委员会评审。")
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW

    # The committee: the plan, the pledge, the draw of the three experts in the pool.
    secretary = staff_logs_in(new_page, read, "tangshan-secretary", STAFF_PASSWORD)
    click(secretary, read, "link", "评审委员会与评审会议")
    click(secretary, read, "link", "专家库与评审方案")
    assert "可抽取的专家3人" in click(secretary, read, "link", "报备评审方案")
    first = committee_services.first_allowed_meeting_date(today)
    fill_plan(secretary, first, 3, APPLICANT, "2026年度唐山市工程系列中级评审会")
    read(secretary)
    assert secretary.locator("#meeting-status").inner_text() == "已报备评审方案"
    sign_pledge(secretary, "唐山市评委会秘书")
    click(secretary, read, "button", "随机抽取专家")
    assert secretary.locator("#meeting-status").inner_text() == "已抽取专家，表决中"
    meeting = Meeting.objects.get(tenant__code="tangshan")
    move_meeting_to_today(meeting)  # the days up to the meeting pass

    # The meeting day: each expert signs the pledge, reads the file and votes.
    for assignment in meeting.assignments.select_related("expert__user"):
        expert = staff_logs_in(new_page, read, assignment.expert.user.username, STAFF_PASSWORD)
        click(expert, read, "link", "我的评审会议")
        click(expert, read, "link", "评审表决")
        sign_pledge(expert, assignment.expert.user.full_name)
        text = click(expert, read, "link", "查看材料并表决")
        assert APPLICANT in expert.locator("h1").inner_text() and "助理工程师" in text
        expert.get_by_label("同意", exact=True).check()
        click(expert, read, "button", "提交表决意见")
        assert expert.get_by_role("row").filter(has_text=APPLICANT).filter(has_text="同意").count() == 1
        expert.close()

    # The secretary closes the meeting and reports the result, which is published.
    secretary.reload()
    read(secretary)
    secretary.get_by_label(re.compile("^评委会讨论意见")).fill("申报材料真实完整，业绩符合中级条件。")
    click(secretary, read, "button", "结束会议并统计表决结果")
    assert secretary.get_by_role("row").filter(has_text="评审通过").count() == 1
    click(secretary, read, "button", "报送评审结果并公示")
    assert secretary.locator("#meeting-status").inner_text() == "结果已报送并公示"
    text = click(secretary, read, "link", "查看会议纪要")
    assert "参会专家3人中3人已签署" in text and "逾期" not in text
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED

    # The bureau reads the committee's result and its minutes.
    nav(city, read, "评审结果")
    row = city.get_by_role("row").filter(has_text="2026年度唐山市工程系列中级评审会")
    click(city, read, "link", "结果与会议纪要", within=row)
    assert city.get_by_role("row").filter(has_text=APPLICANT).filter(has_text="评审通过").count() == 1

    # The applicant reads the result and prints the 评审表 and the 材料册 (第九条(一)).
    nav(applicant, read, "我的申报")
    assert "已通过" in click(applicant, read, "link", "查看进度")
    print_forms(applicant, read, ["评审表", "材料册"])

    # The bureau waits for the publicity to end; then it issues the certificate.
    text = nav(city, read, "证书")
    assert "以下1件评审通过的申报暂不发证" in text and "公示期满后方可发证" in text
    Meeting.objects.filter(pk=meeting.pk).update(publicity_ends_on=today - timedelta(days=1))  # it ends
    city.reload()
    issue_certificates(city, read, 1)
    certificate = Certificate.objects.get(application=application)

    # The holder downloads it; anyone verifies it.
    from_inbox(applicant, read, "您的职称电子证书已签发")
    number, content = download_own_certificate(applicant, read)
    assert number == certificate.number
    public = new_page()
    text = public_verifies(public, read, number, APPLICANT, content)
    expect(public.locator(".certificate-title")).to_contain_text("工程师")
    assert "王*国" in text
