"""A database outage answers a Chinese 503 page (JSON for the API), never a traceback; runs
without services (tests/faults/test_faults.py restarts a real PostgreSQL)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_answers_a_chinese_503_when_a_view_loses_the_database():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(role=Role.UNIT_HANDLER))
    with mock.patch("core.views.render", side_effect=OperationalError("server closed the connection unexpectedly")):
        response = client.get("/dashboard/")
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "15"
    assert "数据库暂时不可用，您的操作未保存" in body and "Traceback" not in body and "OperationalError" not in body


def test_it_answers_a_chinese_503_when_a_middleware_loses_the_database():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(role=Role.UNIT_HANDLER))
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load", side_effect=OperationalError("connection refused")
    ):
        page = client.get("/dashboard/")
        api = client.get("/api/v1/me/")
    assert page.status_code == 503 and "请稍候片刻后重试" in page.content.decode()
    assert api.status_code == 503 and "数据库暂时不可用" in api.json()["detail"]


def test_it_answers_other_errors_with_a_chinese_500_without_details():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(role=Role.UNIT_HANDLER))
    with mock.patch("core.views.render", side_effect=ZeroDivisionError("secret detail")):
        response = client.get("/dashboard/")
    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode() and "secret detail" not in response.content.decode()
