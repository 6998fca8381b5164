"""A unit registers, is rejected with every reason at once, resubmits, is approved, adds people."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfWriter

from accounts.models import User
from core.idnumbers import CREDIT_CHARS, mask_id_number
from tests.browser.conftest import STAFF_PASSWORD, label, log_in
from tests.factories import make_credit_code, make_id_number
from units.models import Organisation

UNIT_NAME = "郑州市云帆数据服务有限公司"
ADMIN_USERNAME = "yunfan-admin"
ADMIN_PASSWORD = "Yunfan#Shuju2026"
REASONS = ("营业执照扫描件不清晰，请重新上传彩色扫描件。", "联系电话与营业执照登记信息不一致。")


def with_wrong_last_char(code: str, alphabet: str) -> str:
    return code[:17] + next(char for char in alphabet if char != code[17])


def visible_options(page, field: str) -> list[str]:
    return page.get_by_label(label(field)).evaluate(
        "s => Array.from(s.options).filter(o => !o.hidden && o.value).map(o => o.textContent)"
    )


def fill_registration(page, *, credit_code: str, licence) -> None:
    page.get_by_label(label("所在地区（租户）")).select_option(label="郑州市")
    districts = visible_options(page, "注册所在县（市、区）")
    assert districts and all(name.startswith("郑州市 · ") for name in districts)
    assert all(name.startswith("郑州市 · ") for name in visible_options(page, "主管部门"))
    page.get_by_label(label("单位名称")).fill(UNIT_NAME)
    page.get_by_label(label("单位性质")).select_option("non_public")
    page.get_by_label(label("统一社会信用代码")).fill(credit_code)
    page.get_by_label(label("注册所在县（市、区）")).select_option(label="郑州市 · 中原区")
    page.get_by_label(label("联系人")).fill("林晓")
    page.get_by_label(label("联系电话（手机）")).fill("13712345678")
    page.get_by_label(label("单位地址")).fill("郑州市中原区建设西路100号")
    page.get_by_label(label("单位管理员用户名")).fill(ADMIN_USERNAME)
    page.get_by_label(label("单位管理员姓名")).fill("林晓")
    page.get_by_label(label("管理员密码")).fill(ADMIN_PASSWORD)
    page.get_by_label(label("营业执照或法人证书扫描件")).set_input_files(str(licence))


def open_registration(reviewer_page, unit_name: str) -> None:
    reviewer_page.get_by_role("navigation", name="主导航").get_by_role("link", name="单位注册审核").click()
    expect(reviewer_page.get_by_role("heading", name="单位注册审核")).to_be_visible()
    row = reviewer_page.locator("table.list tbody tr").filter(has_text=unit_name)
    expect(row).to_contain_text("非公经济组织")
    expect(row).to_contain_text("中原区")
    row.get_by_role("link", name="查看").click()
    expect(reviewer_page.get_by_role("heading", name=unit_name)).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_takes_a_unit_from_registration_through_rejection_and_approval_to_adding_an_applicant(
    page, new_page, demo, tmp_path
):
    licence = tmp_path / "营业执照.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(licence)
    credit_code = make_credit_code()

    # A bad credit code is named in Chinese next to its field, and nothing is saved.
    page.goto("/units/register/")
    expect(page.get_by_role("heading", name="用人单位注册账号")).to_be_visible()
    page.screenshot(path="/tmp/zc-unit-register.png", full_page=True)
    # Until a tenant is chosen no city's districts or departments are offered; then only its own.
    assert visible_options(page, "注册所在县（市、区）") == [] and visible_options(page, "主管部门") == []
    fill_registration(page, credit_code=with_wrong_last_char(credit_code, CREDIT_CHARS), licence=licence)
    page.get_by_role("button", name="提交注册申请").click()

    credit_code_error = page.locator("#id_credit_code_error")
    expect(credit_code_error).to_contain_text("统一社会信用代码第18位校验码应为")
    expect(page.get_by_role("heading", name="用人单位注册账号")).to_be_visible()
    page.screenshot(path="/tmp/zc-unit-register-error.png", full_page=True)
    assert not Organisation.objects.filter(name=UNIT_NAME).exists()
    assert not User.objects.filter(username=ADMIN_USERNAME).exists()

    # Corrected, the application goes to the bureau of the district the unit is registered in.
    fill_registration(page, credit_code=credit_code, licence=licence)
    page.get_by_role("button", name="提交注册申请").click()
    expect(page.get_by_role("heading", name="注册申请已提交")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"“{UNIT_NAME}”的注册申请已提交给中原区人力资源和社会保障局审核")

    # The county reviewer rejects it with two reasons.
    reviewer = new_page()
    log_in(reviewer, "zhengzhou-county", STAFF_PASSWORD)
    expect(reviewer.locator("main")).to_contain_text("待审核的单位注册：2 个")
    open_registration(reviewer, UNIT_NAME)
    expect(reviewer.locator("dl.facts")).to_contain_text(credit_code)
    expect(reviewer.get_by_role("link", name="营业执照或法人证书（营业执照.pdf）")).to_be_visible()
    reviewer.get_by_label("不通过", exact=True).check()
    reviewer.get_by_label(label("不通过原因")).fill("\n".join(REASONS))
    reviewer.get_by_role("button", name="提交审核结论").click()
    expect(reviewer.locator(".messages")).to_contain_text(f"已完成对“{UNIT_NAME}”的注册审核。")

    # The unit's admin sees both reasons and resubmits.
    unit_admin = new_page()
    log_in(unit_admin, ADMIN_USERNAME, ADMIN_PASSWORD)
    expect(unit_admin.locator("main")).to_contain_text("单位注册未通过")
    unit_admin.get_by_role("navigation", name="主导航").get_by_role("link", name="本单位").click()
    expect(unit_admin.locator("dl.facts")).to_contain_text("未通过")
    reasons = unit_admin.locator(".errors ol li")
    expect(reasons).to_have_text(list(REASONS))
    unit_admin.get_by_label(label("联系电话（手机）")).fill("13912345678")
    unit_admin.get_by_role("button", name="保存修改并重新提交审核").click()
    expect(unit_admin.locator(".messages")).to_contain_text("已修改并重新提交注册申请，请等待审核。")
    expect(unit_admin.locator("dl.facts")).to_contain_text("待审核")

    # The reviewer approves the resubmission.
    open_registration(reviewer, UNIT_NAME)
    expect(reviewer.locator("main")).to_contain_text(REASONS[0])
    reviewer.get_by_label("通过", exact=True).check()
    reviewer.get_by_role("button", name="提交审核结论").click()
    expect(reviewer.locator(".messages")).to_contain_text(f"已完成对“{UNIT_NAME}”的注册审核。")
    assert Organisation.objects.get(name=UNIT_NAME).status == Organisation.Status.APPROVED

    # Now the unit can add an applicant; a mistyped check digit is named by its position.
    unit_admin.goto("/dashboard/")
    expect(unit_admin.locator("main")).to_contain_text("单位账号已审核通过")
    unit_admin.get_by_role("link", name="添加申报人").click()
    expect(unit_admin.get_by_role("heading", name="添加申报人")).to_be_visible()
    id_number = make_id_number()
    unit_admin.get_by_label(label("姓名")).fill("刘新华")
    unit_admin.get_by_label(label("身份证号")).fill(with_wrong_last_char(id_number, "0123456789X"))
    unit_admin.get_by_label(label("手机号")).fill("13698765432")
    unit_admin.get_by_label(label("人员性质")).select_option(label="人事代理")
    unit_admin.get_by_role("button", name="创建账号").click()
    expect(unit_admin.locator("#id_id_number_error")).to_contain_text("身份证号第18位校验码应为")
    assert not User.objects.filter(full_name="刘新华").exists()

    unit_admin.get_by_label(label("身份证号")).fill(id_number)
    unit_admin.get_by_role("button", name="创建账号").click()
    expect(unit_admin.locator(".messages")).to_contain_text("已为刘新华创建申报账号。申报人首次登录须修改初始密码。")
    expect(unit_admin.get_by_role("heading", name="刘新华")).to_be_visible()
    facts = unit_admin.locator("dl.facts")
    expect(facts).to_contain_text(mask_id_number(id_number))
    expect(facts).to_contain_text(UNIT_NAME)
    expect(facts).to_contain_text("尚未修改初始密码")
    assert id_number not in unit_admin.content()
    assert re.search(r"/units/people/\d+/$", unit_admin.url)
