"""Tenant admins keep their declaration windows and the working-day calendar current."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Role
from core.models import AuditEvent
from rules.models import CalendarOverride, DeclarationWindow
from rules.workdays import add_working_days
from tests.factories import OrganisationFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    tenant = TenantFactory(code="kunming-panlong", name="昆明市盘龙区")
    return UserFactory(role=Role.TENANT_ADMIN, organisation=OrganisationFactory(tenant=tenant, city_bureau=True))


WINDOW = {
    "name": "2025年第一期初级职称考核认定",
    "opens_at": "2025-03-03T09:00",
    "submit_closes_at": "2025-03-20T17:00",
    "return_closes_at": "2025-03-27T17:00",
    "review_closes_at": "2025-03-31T17:00",
}


def test_it_lets_a_tenant_admin_open_a_window_that_the_status_then_answers(client, admin):
    client.force_login(admin)
    response = client.post(reverse("rules:windows"), WINDOW)
    assert response.status_code == 302
    window = DeclarationWindow.objects.get(name=WINDOW["name"])
    assert window.tenant_code == "kunming-panlong"
    assert AuditEvent.objects.filter(action="window_created").count() == 1
    from rules.windows import window_status

    status = window_status("kunming-panlong", dt.datetime(2025, 3, 20, 9, 0, 0, tzinfo=window.opens_at.tzinfo))
    assert status["window"]["name"] == WINDOW["name"]


def test_it_refuses_deadlines_out_of_order_and_overlaps_naming_each_field(client, admin):
    client.force_login(admin)
    bad = {**WINDOW, "submit_closes_at": "2025-03-01T17:00", "review_closes_at": "2025-02-01T17:00"}
    body = client.post(reverse("rules:windows"), bad).content.decode()
    assert "申报截止时间须晚于开始申报时间" in body and "审核截止时间不能早于" in body
    assert not DeclarationWindow.objects.filter(name=WINDOW["name"]).exists()
    client.post(reverse("rules:windows"), WINDOW)
    overlap = client.post(reverse("rules:windows"), {**WINDOW, "name": "重叠批次"}).content.decode()
    assert "申报时间重叠" in overlap


def test_it_shows_windows_read_only_to_reviewers(client, admin):
    reviewer = UserFactory(role=Role.CITY_REVIEWER, organisation=admin.organisation)
    client.force_login(reviewer)
    assert "新增申报批次" not in client.get(reverse("rules:windows")).content.decode()
    assert client.post(reverse("rules:windows"), WINDOW).status_code == 404


def test_it_lets_the_calendar_learn_a_year_the_package_does_not_know(client, admin):
    client.force_login(admin)
    for day in ("2027-01-01",):
        client.post(reverse("rules:calendar"), {"day": day, "is_workday": "0", "note": "国办发明电〔2026〕X号"})
    assert CalendarOverride.objects.get(date="2027-01-01").is_workday is False
    missing_note = client.post(reverse("rules:calendar"), {"day": "2027-01-02", "is_workday": "1", "note": ""})
    assert "依据</a>：该字段是必填项" in missing_note.content.decode()
    assert not CalendarOverride.objects.filter(date="2027-01-02").exists()


def test_it_counts_working_days_with_an_override(admin):
    monday = dt.date(2024, 9, 23)
    assert add_working_days(monday, 1) == monday
    CalendarOverride.objects.create(date=monday, is_workday=False, note="测试")
    assert add_working_days(monday, 1) == dt.date(2024, 9, 24)


def test_it_hides_the_pages_from_applicants(client):
    from tests.factories import ApplicantFactory

    client.force_login(ApplicantFactory())
    assert client.get(reverse("rules:windows")).status_code == 404
    assert client.get(reverse("rules:calendar")).status_code == 404
