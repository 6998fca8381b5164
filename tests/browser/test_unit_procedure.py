"""A unit handler runs the unit's own procedure in a browser: group → candidates and scores →
quota → publicity with the 公示表 → a named objection resolved → close → recommendation list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import Application
from review.models import ReviewStep, UnitProcedure
from rules.windows import CST
from rules.workdays import working_days_from
from tests.browser.conftest import STAFF_PASSWORD, log_in
from tests.browser.test_review import file_application, open_window_now
from tests.calendar_helpers import calendar_filled_in
from tests.factories import ApplicantFactory
from units.models import Organisation, Tenant


def next_working_day():
    """The first working day after today: the publicity starts after the pledges signed today (003 五(六))."""
    day = timezone.now().astimezone(CST).date() + timedelta(days=1)
    calendar_filled_in(day)
    return working_days_from(day, 1)[0]


@pytest.mark.browser
def test_it_walks_group_publicity_objection_scores_and_recommendation(demo, new_page):
    Tenant.objects.filter(code="zhengzhou").update(unit_procedure_required=True, review_group_min_size=5)
    school = Organisation.objects.get(tenant__code="zhengzhou", name__endswith="第一中学")
    Organisation.objects.filter(pk=school.pk).update(unit_kind=Organisation.UnitKind.PUBLIC_INSTITUTION)
    open_window_now()
    application = file_application(ApplicantFactory(organisation=school, full_name="李文静"))

    page = new_page()
    log_in(page, "zhengzhou-unit-handler", STAFF_PASSWORD)
    page.goto("/")
    page.get_by_role("link", name="评审推荐（评议组、公示、推荐名单）").click()
    page.get_by_label("新建推荐工作（名称）").fill("2026年度职称申报推荐")
    page.get_by_role("button", name="新建").click()

    # 1 The review group: four members are one too few.
    for n, position in enumerate(["院长", "副院长", "教务处主任", "学科带头人", "骨干教师"]):
        page.get_by_label("成员姓名").fill(f"评议成员{n + 1}")
        page.get_by_label("职务（单位领导、部门负责人、业务骨干）").fill(position)
        page.get_by_role("button", name="添加成员").click()
        if n == 3:
            assert "还须补充1名成员" in page.content()
    assert "还须补充" not in page.content()

    # 2 Candidates and quantified scores by every member.
    page.get_by_role("link", name="2 候选人与量化赋分").click()
    page.get_by_label("李文静").check()
    page.get_by_role("button", name="列入候选人").click()
    for n in range(5):
        assert f"评议成员{n + 1}（" in page.locator("form.card").inner_text()  # moves on member by member
        page.locator("input[name^=score_]").fill(str(85 + n))
        page.get_by_role("button", name="保存赋分").click()
        assert "已保存量化赋分" in page.content()
    assert "87.00" in page.locator("#ranking").inner_text()  # mean of 85..89

    # 3 One vacant assistant post.
    page.get_by_role("link", name="3 岗位结构比例").click()
    page.get_by_label("岗位级别").select_option(value="assistant")
    page.get_by_label("空余岗位数").fill("1")
    page.get_by_role("button", name="保存").click()

    # 4 Publicity: five working days from the next working day, the 公示表 is generated.
    page.get_by_role("link", name="4 公示与异议").click()
    page.get_by_label("公示开始日期").fill(next_working_day().isoformat())
    page.get_by_role("button", name="开始公示").click()
    assert "已开始公示" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载公示表（PDF）").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # The first day of the publicity comes (the live server keeps the real clock: the dates move back).
    procedure = UnitProcedure.objects.get(unit=school)
    early = (procedure.publicity_starts_on - timezone.now().astimezone(CST).date()).days
    UnitProcedure.objects.filter(pk=procedure.pk).update(
        publicity_starts_on=procedure.publicity_starts_on - timedelta(days=early),
        publicity_ends_on=procedure.publicity_ends_on - timedelta(days=early),
    )
    page.reload()

    # An anonymous objection is refused; a named one is recorded and must be resolved.
    page.get_by_label("反映人真实姓名").fill("匿名")
    page.get_by_label("反映内容").fill("业绩材料存疑")
    page.get_by_role("button", name="登记异议").click()
    assert "匿名反映不予受理" in page.content()
    page.get_by_label("反映人真实姓名").fill("王建国")
    page.get_by_label("反映内容").fill("业绩材料存疑")
    page.get_by_role("button", name="登记异议").click()
    assert "未处理1条" in page.content()

    page.get_by_role("button", name="结束公示").click()
    assert "公示期未满" in page.content()

    page.get_by_label("调查核实结论").fill("经核实，业绩材料真实。")
    page.get_by_label("反映不实").check()
    page.get_by_role("button", name="记录结论").click()
    assert "未处理0条" in page.content()

    # The five working days pass.
    procedure = UnitProcedure.objects.get(unit=school)
    UnitProcedure.objects.filter(pk=procedure.pk).update(
        publicity_starts_on=procedure.publicity_starts_on - timedelta(days=21),
        publicity_ends_on=procedure.publicity_ends_on - timedelta(days=21),
    )
    page.reload()
    page.get_by_role("button", name="结束公示").click()
    assert "公示已结束" in page.content()

    # 5 The recommendation list goes up the chain.
    page.get_by_role("button", name="推荐上报所选人员").click()
    assert "已推荐上报" in page.content()
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    step = ReviewStep.objects.get(application=application, level="unit")
    assert step.status == ReviewStep.Status.APPROVED and "综合排名第1名" in step.opinion


@pytest.mark.browser
def test_tangshan_scoring_member_switch_saves_the_scores_for_the_member_chosen(demo, new_page):
    """Tangshan runs the unit procedure (002 第七条, a group of at least seven). Choosing another
    member in the 量化赋分 dropdown shows and saves that member's scores, not the first member's."""
    from accounts.models import User
    from applications import services as filing
    from review import procedure as svc
    from review.models import ProcedureScore, ReviewGroupMember
    from tests.applications.helpers import eligible_record, fill_required_slots, open_window

    now = timezone.now()
    open_window("tangshan", opens=now - timedelta(days=1), closes=now + timedelta(days=5))
    school = Organisation.objects.get(tenant__code="tangshan", name__endswith="第一中学")
    applicant = ApplicantFactory(organisation=school, full_name="刘晓东")
    eligible_record(applicant)
    application = filing.application_create(actor=applicant, series="engineering", level="assistant")
    filing.application_save_draft(actor=applicant, application=application, data={
        "specialty": "建筑工程",
        "self_statement": "本人自参加工作以来，认真履行岗位职责。" * 5,
        # Hebei asks for a work summary of at least 2024 characters.
        "main_achievements": "负责多项市政工程的施工技术管理，解决了多个技术难题。" * 80,
    })
    fill_required_slots(application)
    filing.pledge_sign(actor=applicant, application=application, typed_name=applicant.full_name, agreed=True)
    filing.application_submit(actor=applicant, application=application)
    handler = User.objects.get(username="tangshan-unit-handler")
    procedure = svc.procedure_create(actor=handler, title="2026年度唐山市第一中学职称推荐")
    members = [
        svc.group_member_add(actor=handler, procedure=procedure, name=f"唐山评议{n}", position="业务骨干")
        for n in range(1, 8)
    ]
    svc.candidates_add(actor=handler, procedure=procedure, application_ids=[application.pk])
    today = timezone.localdate()
    svc.rules_approval_record(  # 002 第一篇 第七条(三): Tangshan's 细则 approved before scoring
        actor=handler, procedure=procedure, congress_on=today - timedelta(days=7), congress_document="职代会纪要",
        department_on=today - timedelta(days=3), department_document="唐教职改〔2026〕12号",
    )

    page = new_page()
    log_in(page, "tangshan-unit-handler", STAFF_PASSWORD)
    page.goto(f"/review/unit/procedures/{procedure.pk}/scores/")
    assert "唐山评议1（" in page.locator("form.card").inner_text()

    chosen = members[3]
    with page.expect_navigation():
        page.get_by_label("评议组成员").select_option(label=chosen.name)
    assert f"member={chosen.pk}" in page.url
    assert "唐山评议4（" in page.locator("form.card").inner_text()
    page.get_by_label("刘晓东").fill("91.5")
    page.get_by_role("button", name="保存赋分").click()
    assert "已保存量化赋分" in page.content()

    saved = ProcedureScore.objects.get(candidate__procedure=procedure)
    assert saved.member_id == chosen.pk and str(saved.score) == "91.50"
    assert not ProcedureScore.objects.filter(member=members[0]).exists()
    # On to the next member, as after any save; switching back shows the chosen member's score.
    assert "唐山评议5（" in page.locator("form.card").inner_text()
    with page.expect_navigation():
        page.get_by_label("评议组成员").select_option(label=chosen.name)
    assert page.get_by_label("刘晓东").input_value() == "91.50"
    assert ReviewGroupMember.objects.filter(procedure=procedure).count() == 7


@pytest.mark.browser
def test_002_7_3_tangshan_unit_records_the_rules_approvals_before_it_may_score(demo, new_page):
    """002_743bb57fc6424707.txt 第一篇 第七条(三): 《细则》须经单位职代会讨论通过，并连同职代会会议纪要
    报上级主管部门同意后，方可实施. Scores are refused, naming what is missing, until both are entered."""
    procedure = tangshan_procedure_with(["刘晓东"])

    page = new_page()
    log_in(page, "tangshan-unit-handler", STAFF_PASSWORD)
    page.goto(f"/review/unit/procedures/{procedure.pk}/scores/")
    assert "尚未录入职代会讨论通过（日期、会议纪要）和上级主管部门同意（日期、文件）" in page.content()
    page.get_by_label("刘晓东").fill("90")
    page.get_by_role("button", name="保存赋分").click()
    assert "录入前不能量化赋分" in page.content()

    today = timezone.localdate()

    def approvals(department_days_ago: int) -> None:
        page.get_by_label("职代会讨论通过日期").fill((today - timedelta(days=7)).isoformat())
        page.get_by_label("职代会会议纪要（名称或编号）").fill("第三届职代会第五次会议纪要")
        page.get_by_label("上级主管部门同意日期").fill((today - timedelta(days=department_days_ago)).isoformat())
        page.get_by_label("主管部门同意文件（名称或文号）").fill("唐教职改〔2026〕12号")
        page.get_by_role("button", name="保存审批情况").click()

    approvals(8)
    assert "不能早于职代会通过日期" in page.content()
    approvals(3)
    assert "已录入量化考核实施细则的审批情况" in page.content()
    assert "唐教职改〔2026〕12号" in page.locator("#rules-approval").inner_text()

    page.get_by_label("刘晓东").fill("90")
    page.get_by_role("button", name="保存赋分").click()
    assert "已保存量化赋分" in page.content()


@pytest.mark.browser
def test_002_7_3_4_tangshan_unit_records_each_candidates_report_and_defence(demo, new_page):
    """002_743bb57fc6424707.txt 第一篇 第七条(三) 公开述职, (四) 考核答辩: recorded per candidate on the
    量化赋分 page and shown there."""
    procedure = tangshan_procedure_with(["刘晓东", "陈雨婷"])
    today = timezone.localdate()
    page = new_page()
    log_in(page, "tangshan-unit-handler", STAFF_PASSWORD)
    page.goto(f"/review/unit/procedures/{procedure.pk}/scores/")
    form = page.locator("#hearing-form")
    form.get_by_label("候选人").select_option(label="陈雨婷")
    form.get_by_label("公开述职日期").fill((today - timedelta(days=2)).isoformat())
    form.get_by_label("述职地点及情况").fill("学校报告厅，全体专业技术人员大会")
    form.get_by_label("考核答辩日期").fill((today - timedelta(days=3)).isoformat())
    form.get_by_label("答辩地点及情况").fill("第二会议室")
    page.get_by_role("button", name="保存述职与答辩记录").click()
    assert "不能早于述职日期" in page.content()

    form.get_by_label("候选人").select_option(label="陈雨婷")
    form.get_by_label("公开述职日期").fill((today - timedelta(days=2)).isoformat())
    form.get_by_label("述职地点及情况").fill("学校报告厅，全体专业技术人员大会")
    form.get_by_label("考核答辩日期").fill((today - timedelta(days=1)).isoformat())
    form.get_by_label("答辩地点及情况").fill("第二会议室，5名相关专业骨干")
    page.get_by_role("button", name="保存述职与答辩记录").click()
    assert "已记录公开述职和考核答辩情况" in page.content()
    rows = page.locator("#hearings tbody tr")
    chen = rows.filter(has_text="陈雨婷").inner_text()
    assert "学校报告厅，全体专业技术人员大会" in chen and "第二会议室，5名相关专业骨干" in chen
    assert "年" in chen and today.isoformat() not in chen
    assert "尚未记录" in rows.filter(has_text="刘晓东").inner_text()


@pytest.mark.browser
def test_002_9_tangshan_unit_downloads_its_summary_sheet_scoring_sheet_and_review_report(demo, new_page):
    """002_743bb57fc6424707.txt 第一篇 第九条(一)2 情况一览表（附件二）, 3⑶ 量化赋分表, (三)2⑴ 审查情况报告表
    （附件四）: Tangshan's document lists them; each is a PDF of the procedure's candidates."""
    import io
    from pathlib import Path

    from pypdf import PdfReader

    procedure = tangshan_procedure_with(["刘晓东"])
    page = new_page()
    log_in(page, "tangshan-unit-handler", STAFF_PASSWORD)
    page.goto(f"/review/unit/procedures/{procedure.pk}/group/")
    for label in ("情况一览表（PDF）", "量化赋分表（PDF）", "审查情况报告表（PDF）"):
        with page.expect_download() as download:
            page.get_by_role("link", name=label).click()
        content = Path(download.value.path()).read_bytes()
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).replace(" ", "")
        assert "刘晓东" in text, label


def tangshan_procedure_with(names: list[str]) -> UnitProcedure:
    """A Tangshan school's procedure with its group of seven and the named candidates, filed now."""
    from accounts.models import User
    from applications import services as filing
    from review import procedure as svc
    from tests.applications.helpers import eligible_record, fill_required_slots, open_window

    now = timezone.now()
    open_window("tangshan", opens=now - timedelta(days=1), closes=now + timedelta(days=5))
    school = Organisation.objects.get(tenant__code="tangshan", name__endswith="第一中学")
    handler = User.objects.get(username="tangshan-unit-handler")
    ids = []
    for name in names:
        applicant = ApplicantFactory(organisation=school, full_name=name)
        eligible_record(applicant)
        application = filing.application_create(actor=applicant, series="engineering", level="assistant")
        filing.application_save_draft(actor=applicant, application=application, data={
            "specialty": "建筑工程",
            "self_statement": "本人自参加工作以来，认真履行岗位职责。" * 5,
            "main_achievements": "负责多项市政工程的施工技术管理，解决了多个技术难题。" * 80,
        })
        fill_required_slots(application)
        filing.pledge_sign(actor=applicant, application=application, typed_name=name, agreed=True)
        filing.application_submit(actor=applicant, application=application)
        ids.append(application.pk)
    procedure = svc.procedure_create(actor=handler, title="2026年度唐山市第一中学职称推荐")
    for n in range(1, 8):
        svc.group_member_add(actor=handler, procedure=procedure, name=f"唐山评议{n}", position="业务骨干")
    svc.candidates_add(actor=handler, procedure=procedure, application_ids=ids)
    return procedure
