"""The language switcher of the shell (issue 16, English as the second language): every page built on
``base.html`` carries it, it brings the reader back to the same page (query string included) in the
chosen language, ``<html lang>`` follows the language, and switching back gives the Chinese page
unchanged. The outage page (``core/unavailable.html``, no shell) still names its language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SWITCHER = re.compile(r'<form action="/i18n/setlang/" method="post" class="lang">(.*?)</form>', re.S)
NEXT = re.compile(r'<input name="next" type="hidden" value="([^"]*)">')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def switcher_of(html: str) -> str:
    found = SWITCHER.search(html)
    assert found, "页面没有语言切换"
    return found.group(1)


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (None, "/accounts/login/"),
        (None, "/certificates/verify/"),
        (Role.APPLICANT, "/dashboard/"),
        (Role.UNIT_HANDLER, "/units/people/?q=%E5%BC%A0"),
        (Role.CITY_REVIEWER, "/notifications/"),
        (Role.CITY_REVIEWER, "/accounts/api-tokens/"),
        (Role.CITY_REVIEWER, "/no-such-page/"),
    ],
)
def test_every_shell_page_switches_to_english_and_back_to_the_same_page(client, role, url):
    if role is not None:
        client.force_login(UserFactory(role=role))
    chinese = client.get(url)
    page = chinese.content.decode()
    assert html_lang(page) == "zh-hans"
    switcher = switcher_of(page)
    assert NEXT.search(switcher).group(1).replace("&amp;", "&") == url
    assert 'value="zh-hans" class="link-dark" lang="zh-hans" aria-current="true"' in switcher
    assert 'value="en" class="link-dark" lang="en">English</button>' in switcher

    back = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert back.status_code == 302 and back["Location"] == url
    english = client.get(url)
    assert english.status_code == chinese.status_code
    assert english["Content-Language"] == "en"
    text = english.content.decode()
    assert html_lang(text) == "en"
    assert 'value="en" class="link-dark" lang="en" aria-current="true"' in switcher_of(text)
    assert "职称在线申报评审平台" not in text and "Professional Title Online Platform" in text

    client.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    again = client.get(url).content.decode()
    assert CSRF.sub("", again) == CSRF.sub("", page), "切回中文后页面与原来的中文页面不同"


def test_the_language_cookie_alone_selects_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/accounts/login/").content.decode()
    assert html_lang(page) == "en" and "ID number or username" in page


def test_the_outage_page_names_its_language():
    with translation.override("zh-hans"):
        chinese = render_to_string("core/unavailable.html", {"message": "数据库维护中"})
    with translation.override("en"):
        english = render_to_string("core/unavailable.html", {"message": "x"})
    assert '<html lang="zh-CN">' in chinese and "<h1>暂时无法访问</h1>" in chinese
    assert '<html lang="en">' in english and "<h1>Temporarily unavailable</h1>" in english
    assert "返回首页" not in english
