"""A demo applicant files online: record, real PDF and JPG uploads, pre-check, pledge, submit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application, Submission
from tests.applications.helpers import jpeg_bytes, open_window, pdf_bytes
from tests.browser.conftest import demo_applicant_login, label, log_in

NEW_PASSWORD = "Lvzhou#Qiuyu2026"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_a_demo_applicant_fill_the_record_upload_precheck_and_submit(page, demo, tmp_path):
    now = timezone.now()
    open_window("zhengzhou", opens=now - timedelta(days=1), closes=now + timedelta(days=1))
    diploma = tmp_path / "毕业证书.pdf"
    diploma.write_bytes(pdf_bytes(2))
    contract = tmp_path / "劳动合同.jpg"
    contract.write_bytes(jpeg_bytes(1200, 1600))
    cpd = tmp_path / "继续教育证.pdf"
    cpd.write_bytes(pdf_bytes(1))
    fake = tmp_path / "假文件.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)

    id_number = demo_applicant_login(demo, "郑州市")
    log_in(page, id_number, id_number[-6:])
    page.get_by_label(label("原密码")).fill(id_number[-6:])
    page.get_by_label(label("新密码")).fill(NEW_PASSWORD)
    page.get_by_label(label("再次输入新密码")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # The personal record, kept across years.
    page.goto("/applications/record/")
    page.get_by_label(label("出生日期")).fill("1990-03-15")
    page.get_by_label(label("性别")).select_option("M")
    page.get_by_label(label("已与单位签订聘用合同或劳动合同")).check()
    page.get_by_label(label("在本地工作月数")).fill("120")
    page.get_by_label(label("在本地缴纳社保月数")).fill("120")
    page.get_by_role("button", name="保存基本信息").click()
    expect(page.locator(".messages")).to_contain_text("个人基本信息已保存。")

    page.get_by_role("link", name="添加学历（从第一学历到最高学历）").click()
    page.get_by_label(label("学历")).select_option("bachelor")
    page.get_by_label(label("毕业院校")).fill("郑州大学")
    page.get_by_label(label("所学专业")).fill("土木工程")
    page.get_by_label(label("毕业日期")).fill("2012-06-30")
    page.get_by_label(label("学历学位证书扫描件")).set_input_files(str(diploma))
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#education")).to_contain_text("郑州大学")
    expect(page.locator("#education")).to_contain_text("毕业证书.pdf")

    page.get_by_role("link", name="添加工作经历").click()
    page.get_by_label(label("起始日期")).fill("2012-07-01")
    page.get_by_label(label("工作单位")).fill("郑州市第一中学")
    page.get_by_label(label("岗位（职务）")).fill("技术员")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#work")).to_contain_text("郑州市第一中学")

    page.get_by_role("link", name="添加年度考核").click()
    page.get_by_label(label("年度")).fill("2025")
    page.get_by_label(label("考核等次")).select_option("qualified")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#assessment")).to_contain_text("2025年度 · 合格")

    # A new application, autosaved as it is typed.
    page.goto("/applications/")
    page.get_by_label(label("职称系列")).select_option("engineering")
    page.get_by_label(label("申报级别")).select_option("assistant")
    page.get_by_role("button", name="开始填写申报").click()
    expect(page.get_by_role("heading", name="填写申报：工程 · 助理级")).to_be_visible()
    expect(page.locator("#materials h2")).to_contain_text("还缺 3 项")
    page.get_by_label(label("本人述职")).fill("从事土木工程技术工作十余年，负责校舍维修和基建项目的技术管理。")
    expect(page.locator(".autosave-status")).to_contain_text("已自动保存", timeout=10_000)
    application = Application.objects.get(applicant__full_name="张明远")
    assert application.self_statement.startswith("从事土木工程技术工作")

    # Leaving with unsaved changes asks first; staying lets the autosave finish.
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_label(label("专业")).fill("道路桥梁")
    page.get_by_role("link", name="修改个人信息与业绩档案").click(no_wait_after=True)
    expect(page.locator(".autosave-status")).to_contain_text("已自动保存", timeout=10_000)
    assert dialogs == ["beforeunload"]
    application.refresh_from_db()
    assert application.specialty == "道路桥梁"

    # Uploads are judged by content, at once, with the reason.
    page.locator("#slot-diploma input[type=file]").set_input_files(str(fake))
    page.locator("#slot-diploma").get_by_role("button", name="上传", exact=True).click()
    # The reason is shown at the slot the page goes back to, not in the message list at the top.
    refusal = page.locator("#slot-diploma .slot-errors")
    expect(refusal).to_contain_text("文件“假文件.pdf”的内容不是PDF、JPG、PNG格式")
    expect(refusal).to_be_in_viewport()
    expect(refusal).to_be_focused()
    expect(page.locator(".messages")).to_have_count(0)
    page.reload()  # shown once
    expect(page.locator("#slot-diploma .slot-errors")).to_have_count(0)
    for slot, path in (("diploma", diploma), ("labour_contract", contract), ("continuing_education_certificate", cpd)):
        page.locator(f"#slot-{slot} input[type=file]").set_input_files(str(path))
        page.locator(f"#slot-{slot}").get_by_role("button", name="上传", exact=True).click()
        expect(page.locator(f"#slot-{slot}")).to_contain_text(path.name)
    expect(page.locator("#materials h2")).to_contain_text("必传材料已齐")
    expect(page.locator("#slot-labour_contract")).to_contain_text("1200×1600像素")
    page.screenshot(path="/tmp/zc-filing-form.png", full_page=True)

    page.get_by_role("link", name="查看预审结果").click()
    expect(page.locator(".precheck-result")).to_contain_text("预审通过")
    page.get_by_role("link", name="返回申报").click()

    expect(page.locator("#submit .blockers")).to_contain_text("请先签署诚信承诺书。")
    page.get_by_label("本人已阅读并承诺").check()
    page.get_by_label("签名（请输入您的姓名）").fill("张明远")
    page.get_by_role("button", name="签署承诺书").click()
    expect(page.locator("#pledge")).to_contain_text("签名：张明远")
    expect(page.locator("#submit")).to_contain_text("可以提交")

    page.get_by_role("button", name="提交申报").click()
    expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/status/$"))
    expect(page.locator(".timeline .current")).to_contain_text("已提交，待单位审核")
    expect(page.locator(".timeline .current")).to_contain_text("郑州市第一中学")
    submission = Submission.objects.get(application=application)
    assert {f["name"] for f in submission.snapshot["files"]} == {"毕业证书.pdf", "劳动合同.jpg", "继续教育证.pdf"}
    assert id_number not in page.content()
    page.screenshot(path="/tmp/zc-filing-status.png", full_page=True)
