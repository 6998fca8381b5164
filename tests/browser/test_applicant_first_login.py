"""An applicant's first login: change the initial password before anything else."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.idnumbers import mask_id_number
from tests.browser.conftest import demo_applicant_login, label, log_in

PASSWORD_CHANGE = re.compile(r"/accounts/password/change/$")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_forces_a_new_applicant_to_change_the_initial_password_before_showing_the_dashboard(page, demo):
    id_number = demo_applicant_login(demo, "郑州市")
    initial_password = id_number[-6:]

    log_in(page, id_number, initial_password)

    expect(page).to_have_url(PASSWORD_CHANGE)
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.locator(".notice")).to_contain_text("首次登录（或密码被重置后）须先修改初始密码")

    page.goto("/dashboard/")
    expect(page).to_have_url(PASSWORD_CHANGE)
    page.goto("/units/people/")
    expect(page).to_have_url(PASSWORD_CHANGE)

    page.get_by_label(label("原密码")).fill(initial_password)
    page.get_by_label(label("新密码")).fill("abc123")
    page.get_by_label(label("再次输入新密码")).fill("abc123")
    page.get_by_role("button", name="保存新密码").click()

    expect(page).to_have_url(PASSWORD_CHANGE)
    new_password_error = page.locator("#id_new_password_error")
    expect(new_password_error).to_contain_text("密码太短，至少需要10个字符（现为6个）")
    expect(new_password_error).to_contain_text("密码至少应包含大写字母、小写字母、数字、符号中的三类")
    expect(page.locator(".field.has-error #id_new_password")).to_be_visible()
    page.goto("/dashboard/")
    expect(page).to_have_url(PASSWORD_CHANGE)

    page.get_by_label(label("原密码")).fill(initial_password)
    page.get_by_label(label("新密码")).fill("Lvzhou#Qiuyu2026")
    page.get_by_label(label("再次输入新密码")).fill("Lvzhou#Qiuyu2026")
    page.get_by_role("button", name="保存新密码").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator(".messages")).to_contain_text("密码已修改。")
    expect(page.get_by_role("heading", name="您好，张明远")).to_be_visible()
    expect(page.locator(".next-step")).to_contain_text(f"身份证号：{mask_id_number(id_number)}")
    assert id_number not in page.content()
    page.screenshot(path="/tmp/zc-applicant-dashboard.png", full_page=True)

    page.goto("/units/people/")
    expect(page).not_to_have_url(PASSWORD_CHANGE)
