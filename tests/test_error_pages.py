"""Error pages say in Chinese what happened and where to go (home, back, login), in production and
under DEBUG; 405 keeps its Allow header; API paths keep JSON errors (core/errors.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import Client
from django.urls import path

from accounts.models import Role
from config.urls import urlpatterns as site_urlpatterns
from tests.factories import ApplicantFactory, UserFactory

pytestmark = pytest.mark.django_db


def forbidden(request):
    raise PermissionDenied


def missing(request):
    raise Http404("no such application")


def throttled(request):
    response = HttpResponse(status=429)
    response["Retry-After"] = "60"
    return response


def broken(request):
    raise ZeroDivisionError("secret detail")


# This module is the URLconf of the tests marked below: the site's addresses plus a few that fail.
urlpatterns = [
    path("test-errors/403/", forbidden),
    path("test-errors/404/", missing),
    path("test-errors/429/", throttled),
    path("test-errors/500/", broken),
    path("api/test-errors/403/", forbidden),
    *site_urlpatterns,
]
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

ENGLISH = ("Not Found", "Forbidden", "Method Not Allowed", "Server Error", "Too Many Requests", "Traceback")


def chinese_page(response, status: int, *texts: str) -> str:
    body = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f"错误代码 {status}" in body and "返回首页" in body
    for text in texts:
        assert text in body
    for english in ENGLISH:
        assert english not in body, english
    return body


@pytest.fixture
def applicant_client():
    client = Client()
    client.force_login(ApplicantFactory())
    return client


@pytest.mark.urls(__name__)
def test_an_unknown_address_is_a_chinese_404_with_a_way_home_and_to_log_in(client):
    body = chinese_page(client.get("/no-such-page/"), 404, "页面不存在", "请检查网址")
    assert 'href="/accounts/login/"' in body


@pytest.mark.urls(__name__)
def test_a_views_http404_is_the_chinese_404_and_offers_the_page_the_person_came_from(applicant_client):
    response = applicant_client.get("/test-errors/404/", HTTP_REFERER="http://testserver/applications/")
    body = chinese_page(response, 404, "页面不存在")
    assert 'href="http://testserver/applications/">返回上一页' in body
    assert "no such application" not in body
    # Logged in: no login link, the navigation of the base template is there.
    assert ">登录<" not in body and "我的申报" in body


@pytest.mark.urls(__name__)
def test_an_outside_referer_is_not_offered_as_the_way_back(client):
    body = chinese_page(client.get("/no-such-page/", HTTP_REFERER="https://evil.example/"), 404)
    assert "evil.example" not in body and "返回上一页" not in body


@pytest.mark.urls(__name__)
def test_permission_denied_is_a_chinese_403_with_a_login_link_back_to_the_page(client):
    body = chinese_page(client.get("/test-errors/403/"), 403, "无权访问", "联系所在单位")
    assert 'href="/accounts/login/?next=/test-errors/403/"' in body


@pytest.mark.urls(__name__)
def test_a_bare_429_is_the_chinese_page_keeping_retry_after(client):
    response = client.get("/test-errors/429/")
    chinese_page(response, 429, "操作过于频繁", "几分钟后再试")
    assert response["Retry-After"] == "60"


@pytest.mark.urls(__name__)
def test_a_server_error_is_a_chinese_500_without_details():
    response = Client(raise_request_exception=False).get("/test-errors/500/")
    body = chinese_page(response, 500, "系统出现错误", "联系管理员")
    assert "secret detail" not in body


@pytest.mark.parametrize("url", ["/applications/new/", "/certificates/batches/"])
def test_get_on_a_post_only_address_is_a_chinese_405_that_keeps_allow(url):
    client = Client()
    client.force_login(ApplicantFactory() if "applications" in url else UserFactory(role=Role.CITY_REVIEWER))
    response = client.get(url, HTTP_REFERER="http://testserver/dashboard/")
    body = chinese_page(response, 405, "不能直接打开此地址", "通过页面上的按钮办理")
    assert response["Allow"] == "POST"
    assert "返回上一页" in body
    # The site's headers are there too.
    assert "default-src 'self'" in response["Content-Security-Policy"] and response["X-Frame-Options"] == "DENY"


def test_under_debug_an_unknown_address_is_the_chinese_404_not_djangos_technical_page(settings, client):
    settings.DEBUG = True
    body = chinese_page(client.get("/no-such-page/"), 404, "页面不存在")
    assert "Page not found" not in body and "URLconf" not in body


@pytest.mark.urls(__name__)
def test_under_debug_a_views_http404_and_permission_denied_are_the_chinese_pages(settings, applicant_client):
    settings.DEBUG = True
    body = chinese_page(applicant_client.get("/test-errors/404/"), 404, "页面不存在")
    assert "no such application" not in body and "Page not found" not in body
    chinese_page(applicant_client.get("/test-errors/403/"), 403, "无权访问")


def test_under_debug_zc_technical_404_brings_back_djangos_page_for_debugging(settings, client):
    settings.DEBUG = True
    settings.TECHNICAL_404 = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_a_csrf_failure_is_a_chinese_403_saying_the_page_expired():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    chinese_page(response, 403, "页面已过期或安全校验未通过", "刷新页面后重新提交")


@pytest.mark.urls(__name__)
def test_api_paths_keep_json_errors(applicant_client):
    missing_api = applicant_client.get("/api/v1/no-such-endpoint/")
    assert missing_api.status_code == 404 and missing_api.json() == {"detail": "未找到该对象，或您无权访问。"}
    forbidden_api = applicant_client.get("/api/test-errors/403/")
    assert forbidden_api.status_code == 403 and "detail" in forbidden_api.json()


def test_under_debug_api_paths_still_keep_their_own_errors(settings, applicant_client):
    settings.DEBUG = True
    response = applicant_client.get("/api/v1/applications/999999/")
    assert response.status_code == 404 and "detail" in response.json()
