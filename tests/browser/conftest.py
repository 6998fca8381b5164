"""Shared pieces for the browser specifications: demo logins, a second browser, logging in."""

from __future__ import annotations

import re

import pytest

from accounts.models import Role
from units.demo import DEMO_STAFF_PASSWORD, load_demo

STAFF_PASSWORD = DEMO_STAFF_PASSWORD


@pytest.fixture
def demo(transactional_db):
    """The demo data, loaded once the transactional database is there; returns the demo logins."""
    return load_demo()


def demo_applicant_login(logins: list[dict[str, str]], tenant: str) -> str:
    """The 18-digit ID number the demo applicant of ``tenant`` logs in with."""
    return next(row["login"] for row in logins if row["tenant"] == tenant and row["role"] == str(Role.APPLICANT.label))


def demo_applicant_ready(logins: list[dict[str, str]], password: str, tenant: str = "郑州市"):
    """The tenant's demo applicant with ``password`` set and the first-login change done: (login, user)."""
    from accounts.models import User

    login = demo_applicant_login(logins, tenant)
    applicant = User.objects.get(role=Role.APPLICANT, tenant__name=tenant)
    applicant.set_password(password)
    applicant.must_change_password = False
    applicant.save()
    return login, applicant


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (another person at another computer)."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def label(text: str) -> re.Pattern[str]:
    """A form label exactly, with or without the red asterisk that marks a required field."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def log_in(page, login: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(label("身份证号或用户名")).fill(login)
    page.get_by_label(label("密码")).fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()
