"""Rules a bureau can change (issue 14): Kunming Panlong's admin copies the rule set in force into a
2025 Q1 version, lowers the social-insurance months from 6 to 3, adds a bench case that fails until
the change is made, publishes — and the demo applicant's "can I apply?" answer changes, citing the
new document."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from applications.models import AnnualAssessment, EducationEntry, PersonalRecord, WorkPeriod
from rules.catalog import get_rule_set
from rules.models import RuleSet
from tests.applications.helpers import pdf_bytes
from tests.browser.conftest import STAFF_PASSWORD, demo_applicant_ready, label, log_in

NEW_PASSWORD = "Panlong#Chunfeng2026"
CODE = "kunming-panlong-2024q3"
NUMBER = "盘人社〔2025〕5号"


def applicant_with_four_months_of_insurance(demo):
    """The demo applicant of Kunming Panlong: a bachelor at work since 2020, four months insured."""
    login, applicant = demo_applicant_ready(demo, NEW_PASSWORD, tenant="昆明市盘龙区")
    PersonalRecord.objects.update_or_create(
        person=applicant,
        defaults={"birth_date": date(1990, 3, 15), "gender": "F", "has_contract": True, "months_in_region": 80,
                  "social_insurance_months_in_region": 4, "insured_unit_is_applying_unit": True},
    )
    EducationEntry.objects.create(person=applicant, level="bachelor", school="云南大学", major="土木工程",
                                  graduated_on=date(2020, 6, 30))
    WorkPeriod.objects.create(person=applicant, start=date(2020, 7, 1), employer="昆明市盘龙区第一中学", post="技术员")
    for year in range(2021, date.today().year):
        AnnualAssessment.objects.create(person=applicant, year=year, grade="qualified")
    return login


def can_i_apply(page) -> None:
    page.goto("/applications/can-i-apply/")
    page.get_by_label(label("职称系列")).select_option("engineering")
    page.get_by_label(label("申报级别")).select_option("assistant")
    page.get_by_role("button", name="检查").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_a_bureau_change_a_rule_test_it_publish_it_and_the_applicant_sees_it(demo, new_page, tmp_path):
    login = applicant_with_four_months_of_insurance(demo)
    notice = tmp_path / "盘人社〔2025〕5号.pdf"
    notice.write_bytes(pdf_bytes(2))

    # The applicant asks first: four months of social insurance are not the six the 2024 notice asks.
    applicant = new_page()
    log_in(applicant, login, NEW_PASSWORD)
    can_i_apply(applicant)
    expect(applicant.locator(".precheck-result")).to_contain_text("预审未通过")
    expect(applicant.locator(".checks")).to_contain_text("须在昆明连续缴纳社保满6个月，现4个月")

    # The bureau copies the version in force into a draft.
    admin = new_page()
    log_in(admin, "kunming-panlong-admin", STAFF_PASSWORD)
    admin.goto("/rules/")
    admin.get_by_role("button", name="以现行第1版为基础新建草稿").click()
    expect(admin.locator(".messages")).to_contain_text("已新建草稿（第2版）")
    document = admin.locator("#document")
    document.get_by_label(label("名称")).fill("昆明市盘龙区2025年第一期（3月）初级职称考核认定")
    document.get_by_label(label("文号")).fill(NUMBER)
    document.get_by_label(label("依据文件")).fill(NUMBER)
    document.get_by_label(label("生效日期")).fill("2025-02-10")
    document.get_by_role("button", name="保存文件信息").click()
    expect(admin.locator(".messages")).to_contain_text("文件信息已保存。")

    # The notice itself, as a PDF, to cite.
    documents = admin.locator("#documents")
    documents.get_by_label(label("文件标题")).fill("关于开展2025年第一期初级职称考核认定工作的通知")
    documents.get_by_label(label("文号")).fill(NUMBER)
    documents.get_by_label(label("政策文件（PDF）")).set_input_files(str(notice))
    documents.get_by_role("button", name="上传政策文件").click()
    expect(admin.locator("#documents")).to_contain_text("关于开展2025年第一期初级职称考核认定工作的通知")

    # A case first: four months insured, expected eligible. It fails while the rule says six.
    admin.get_by_role("link", name="测试用例", exact=True).click()
    expect(admin.locator(".bench-summary")).to_contain_text("25个用例全部通过")
    case = admin.locator("#add-case")
    case.get_by_label(label("用例名称")).fill("社保满4个月可以申报")
    case.get_by_label(label("检查日期")).fill("2025-03-10")
    case.get_by_label(label("职称系列")).select_option("engineering")
    case.get_by_label(label("申报级别")).select_option("assistant")
    case.get_by_label(label("在本地缴纳社保月数")).fill("4")
    case.get_by_label(label("参加专业技术工作日期")).fill("2023-07-01")
    case.get_by_label(label("学历")).select_option("bachelor")
    case.get_by_label(label("毕业日期")).fill("2023-06-30")
    case.get_by_label(label("预期结论")).select_option("1")
    case.get_by_role("button", name="添加用例").click()
    expect(admin.locator(".bench-summary")).to_contain_text("26个用例中有1个未通过")
    failing = admin.locator("tr.case-failed")
    expect(failing).to_have_count(1)
    expect(failing).to_contain_text("社保满4个月可以申报")
    expect(failing).to_contain_text("预期可以申报，实际不能申报")
    expect(failing).to_contain_text("须在昆明连续缴纳社保满6个月，现4个月")

    # Publishing is refused, naming the case.
    admin.get_by_role("button", name="发布此版本").click()
    expect(admin.locator(".messages")).to_contain_text("测试用例未全部通过，不能发布：“社保满4个月可以申报”")
    assert RuleSet.objects.get(code=CODE, version=2).status == RuleSet.Status.DRAFT

    # The rule: a refusal first (a word in a number field), shown at the field with its path.
    admin.get_by_role("link", name="修改草稿", exact=True).click()
    admin.get_by_role("link", name="修改第6条“社会保险”").click()
    months = admin.get_by_label(label("须满月数"))
    expect(months).to_have_value("6")
    months.evaluate("input => { input.type = 'text'; }")  # what a script or an old browser could send
    months.fill("三")
    admin.get_by_role("button", name="保存这一条").click()
    expect(admin.locator("#f-p-min_months-error")).to_contain_text(
        '第6条检查“社会保险” › 须满月数（checks[5].min_months）：应为整数，现为 "三"'
    )
    admin.get_by_label(label("须满月数")).fill("3")
    admin.get_by_label(label("规则原文")).fill("申报日之前在昆明连续缴纳3个月社保（硕士及以上学历满足最近1个月）")
    admin.get_by_label(label("出处（依据文件及条款）")).fill(f"{NUMBER} 二(二)")
    admin.get_by_role("button", name="保存这一条").click()
    expect(admin.locator(".messages")).to_contain_text("第6条“社会保险”已保存。")

    # The new case passes; the shipped case of five months no longer holds and is removed.
    admin.get_by_role("link", name="测试用例", exact=True).click()
    expect(admin.locator(".bench-summary")).to_contain_text("26个用例中有1个未通过")
    expect(admin.locator("tr.case-failed")).to_contain_text("在昆明缴纳社保5个月不能申报")
    expect(admin.locator("tr.case-passed", has_text="社保满4个月可以申报")).to_have_count(1)
    admin.get_by_role("button", name="删除用例“在昆明缴纳社保5个月不能申报”").click()
    expect(admin.locator(".bench-summary")).to_contain_text("25个用例全部通过，可以发布")
    admin.get_by_role("button", name="发布此版本").click()
    expect(admin.locator(".messages")).to_contain_text("第2版已发布")
    assert get_rule_set(CODE).version == 2

    # The rule set's page cites the document and links the clause to it; the versions compare.
    cited = admin.get_by_role("link", name=f"{NUMBER} 二(二)")
    expect(cited).to_have_attribute("href", re.compile(r"/rules/\d+/documents/\d+/$"))
    admin.get_by_role("link", name="版本对比", exact=True).click()
    expect(admin.locator("table.diff").first).to_contain_text("生效日期")
    expect(admin.locator(".change", has_text="社会保险")).to_contain_text("须满月数")
    expect(admin.locator(".change", has_text="社会保险").locator("ins").first).to_be_visible()
    admin.get_by_role("link", name="修改记录", exact=True).click()
    expect(admin.locator("table.history")).to_contain_text("发布（第2版）")
    expect(admin.locator("table.history")).to_contain_text("社会保险：须满月数由“6”改为“3”")

    # The applicant's answer has changed, citing the new document.
    can_i_apply(applicant)
    expect(applicant.locator(".precheck-result")).to_contain_text("预审通过")
    expect(applicant.locator("[data-ruleset]")).to_contain_text(
        f"依据：昆明市盘龙区2025年第一期（3月）初级职称考核认定（{NUMBER}，第2版）"
    )
    insurance = applicant.locator(".checks li", has_text="在昆明连续缴纳社保4个月，达到3个月的要求")
    expect(insurance).to_contain_text(f"（依据：{NUMBER} 二(二)）")
    assert "kunming-panlong-2024q3" not in applicant.locator("main").inner_text()
