"""Shared pieces for the browser specifications: demo logins, a second browser, logging in.

Every page the fixtures open is watched: a console error, an uncaught script error or a
Content-Security-Policy violation on any page fails the test at teardown, listing them (the site's
own strict policy silently disables inline handlers, so a page can look right and do nothing)."""

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


# Reported through the console, which the watcher below already listens to; Chromium logs most
# violations itself, this also catches those it reports only to the page.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " at " + (event.sourceFile || document.location.href) + ":" + event.lineNumber);
}, true);
"""


class PageProblems:
    """Console errors, uncaught exceptions and CSP violations seen on the pages of one test."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.allowed: list[re.Pattern[str]] = []

    def watch(self, context) -> None:
        context.add_init_script(CSP_LISTENER)
        context.on("page", self._watch_page)

    def _watch_page(self, page) -> None:
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self._add(f"{page.url} 脚本错误: {error}"))

    def _console(self, page, message) -> None:
        if message.type == "error":
            where = message.location.get("url") or page.url
            self._add(f"{where} 控制台错误: {message.text}")

    def _add(self, text: str) -> None:
        if not any(pattern.search(text) for pattern in self.allowed):
            self.problems.append(text)

    def allow(self, pattern: str) -> None:
        """A test that provokes an error on purpose (a 404 page, say) names it here beforehand."""
        self.allowed.append(re.compile(pattern))

    def check(self) -> None:
        if self.problems:
            listed = "\n".join(f"  - {text}" for text in dict.fromkeys(self.problems))
            pytest.fail(f"浏览器控制台报错或违反内容安全策略（CSP）：\n{listed}", pytrace=False)


@pytest.fixture
def page_problems():
    """What the pages of this test reported; ``page_problems.allow(regex)`` for an expected one."""
    problems = PageProblems()
    yield problems
    problems.check()


def open_watched_page(browser, live_server, problems: PageProblems, **options):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    problems.watch(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def new_page(browser, live_server, page_problems):
    """Open a page in a fresh browser context (another person at another computer)."""
    contexts = []

    def open_page(**options):
        context, page = open_watched_page(browser, live_server, page_problems, **options)
        contexts.append(context)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(browser, live_server, page_problems):
    """One page in a fresh browser context, watched like those of ``new_page``."""
    context, page = open_watched_page(browser, live_server, page_problems)
    yield page
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
