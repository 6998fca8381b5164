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


def test_it_shows_the_windows_and_sends_the_admin_to_the_tenant_pages_to_change_them(client, admin):
    """Windows are part of the tenant document: one write path (tenant_apply), every change a version."""
    DeclarationWindow.objects.create(
        tenant_code="kunming-panlong",
        name="2025年第一期初级职称考核认定",
        opens_at=dt.datetime(2025, 3, 3, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        submit_closes_at=dt.datetime(2025, 3, 20, 17, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    )
    DeclarationWindow.objects.create(
        tenant_code="kunming-panlong", name="季度批次", recurrence={"months": [3, 6], "first_day": 1, "last_day": 25}
    )
    client.force_login(admin)
    page = client.get(reverse("rules:windows")).content.decode()
    assert "2025年3月20日 17:00:00" in page and "每年3、6月，1日00:00至25日23:59:59" in page
    assert reverse("units:tenant_windows", kwargs={"code": "kunming-panlong"}) in page
    assert client.post(reverse("rules:windows"), {"name": "x"}).status_code == 404
    assert not AuditEvent.objects.filter(action="window_created").exists()


def test_it_shows_windows_read_only_to_reviewers(client, admin):
    reviewer = UserFactory(role=Role.CITY_REVIEWER, organisation=admin.organisation)
    client.force_login(reviewer)
    assert "新增或修改申报批次" not in client.get(reverse("rules:windows")).content.decode()


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
