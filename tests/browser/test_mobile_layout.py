"""On a phone the pages fit the screen: nothing to scroll sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import STAFF_PASSWORD, demo_applicant_login, label, log_in

PHONE = {"width": 375, "height": 740}


def horizontal_overflow(page) -> int:
    """How many CSS pixels the document is wider than the viewport (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth") - PHONE["width"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_fits_the_login_page_and_dashboards_on_a_phone_without_horizontal_scrolling(new_page, demo):
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)

    phone.goto("/accounts/login/")
    expect(phone.get_by_role("heading", name="登录")).to_be_visible()
    phone.screenshot(path="/tmp/zc-phone-login.png", full_page=True)
    assert horizontal_overflow(phone) <= 1

    # The widest header there is: a unit handler's navigation with a long name and role.
    log_in(phone, "zhengzhou-unit-handler", STAFF_PASSWORD)
    expect(phone).to_have_url(re.compile(r"/dashboard/$"))
    expect(phone.get_by_role("link", name="添加申报人")).to_be_visible()
    phone.screenshot(path="/tmp/zc-phone-unit-dashboard.png", full_page=True)
    assert horizontal_overflow(phone) <= 1
    phone.get_by_role("button", name="退出").click()

    id_number = demo_applicant_login(demo, "郑州市")
    log_in(phone, id_number, id_number[-6:])
    assert horizontal_overflow(phone) <= 1
    phone.get_by_label(label("原密码")).fill(id_number[-6:])
    phone.get_by_label(label("新密码")).fill("Lvzhou#Qiuyu2026")
    phone.get_by_label(label("再次输入新密码")).fill("Lvzhou#Qiuyu2026")
    phone.get_by_role("button", name="保存新密码").click()
    expect(phone.get_by_role("heading", name="您好，张明远")).to_be_visible()
    phone.screenshot(path="/tmp/zc-phone-applicant-dashboard.png", full_page=True)
    assert horizontal_overflow(phone) <= 1
