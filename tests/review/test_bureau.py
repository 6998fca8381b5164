"""Bureau tools: statistics per window with server-side SVG charts, Excel exports of the queue
(with its filters), the statistics and the integrity records; masked IDs, audited, bounded."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.models import Application
from core.models import AuditEvent
from review import exports
from review.models import ReviewStep
from review.statistics import bar_chart, statistics
from tests.factories import ApplicantFactory, make_id_number
from tests.review.helpers import build_city, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return build_city()


def _sheet(response) -> list[tuple]:
    assert response["Content-Type"] == exports.XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def test_it_counts_applications_by_status_unit_series_and_level(city):
    submitted_application(city.applicant)
    submitted_application(ApplicantFactory(organisation=city.unit))
    stats = statistics(city.handler)
    assert stats.total == 2
    by = {b.title: dict(b.rows) for b in stats.breakdowns}
    assert by["按单位"] == {city.unit.name: 2}
    assert sum(by["按状态"].values()) == 2 and sum(by["按申报级别"].values()) == 2
    assert stats.windows and statistics(city.handler, "不存在的批次").window == ""


def test_it_counts_a_returned_or_closed_application_under_its_own_status_not_as_in_review(city):
    from review.chain import Action
    from review.services import review_decide
    from tests.applications.helpers import IN_WINDOW

    in_review, returned, closed = (
        submitted_application(person) for person in (city.applicant, *(ApplicantFactory(organisation=city.unit)
                                                                         for _ in range(2)))
    )
    review_decide(actor=city.head, application=in_review, action=Action.APPROVE, opinion="同意。", at=IN_WINDOW)
    review_decide(actor=city.head, application=returned, action=Action.RETURN, opinion="请补正。", at=IN_WINDOW,
                  problems=[{"target": "field:specialty", "message": "专业填写不完整"}])
    Application.objects.filter(pk=closed.pk).update(status=Application.Status.CLOSED)
    by = {b.title: dict(b.rows) for b in statistics(city.handler).breakdowns}
    assert by["按状态"] == {"审核中": 1, "已退回修改": 1, "已关闭（逾期未补正）": 1}


def test_it_draws_charts_as_escaped_svg_without_inline_style():
    svg = str(bar_chart("按单位", [("<script>", 3), ("乙单位", 1)]))
    assert svg.startswith("<svg") and "<rect" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "style=" not in svg


def test_it_shows_statistics_in_a_fixed_number_of_queries(client, city, django_assert_num_queries):
    submitted_application(city.applicant)
    client.force_login(city.handler)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("review:statistics"))
    with CaptureQueriesContext(connection) as warm:
        client.get(reverse("review:statistics"))
    for _ in range(3):
        submitted_application(ApplicantFactory(organisation=city.unit))
    with django_assert_num_queries(len(warm)):
        response = client.get(reverse("review:statistics"))
    assert len(warm) <= len(first)
    assert response.context["stats"].total == 4
    assert "<svg" in response.content.decode()


def test_it_exports_the_queue_with_its_filters_and_masked_ids(client, city):
    number = make_id_number(birth="19850505")
    city.applicant.set_id_number(number)
    city.applicant.save()
    submitted_application(city.applicant)
    other = submitted_application(ApplicantFactory(organisation=city.unit))
    Application.objects.filter(pk=other.pk).update(series="education")
    client.force_login(city.handler)
    rows = _sheet(client.get(reverse("review:queue_export"), {"series": "engineering"}))
    assert rows[0][0] == "申报人" and len(rows) == 2
    assert rows[1][0] == city.applicant.full_name and rows[1][1] == city.applicant.id_number_masked
    assert number not in str(rows)
    event = AuditEvent.objects.get(action="personal_data_export")
    assert event.detail["export"] == "review_queue" and event.detail["filters"]["series"] == "engineering"


def test_it_refuses_an_export_beyond_the_limit_with_a_clear_message(client, city, monkeypatch):
    submitted_application(city.applicant)
    submitted_application(ApplicantFactory(organisation=city.unit))
    monkeypatch.setattr(exports, "EXPORT_LIMIT", 1)
    client.force_login(city.handler)
    response = client.get(reverse("review:queue_export"), follow=True)
    assert "超过1条" in response.content.decode()
    assert not AuditEvent.objects.filter(action="personal_data_export").exists()


def test_it_exports_statistics_and_integrity_records(client, city):
    submitted_application(city.applicant)
    client.force_login(city.city_reviewer)
    rows = _sheet(client.get(reverse("review:statistics_export")))
    assert ("申报总数", 1) in rows
    client.post(reverse("review:integrity_add"), {"subject": "unit", "unit": city.unit.pk, "period": "year",
                                                  "reason": "把关不严"})
    rows = _sheet(client.get(reverse("review:integrity_export")))
    assert rows[1][0] == "单位" and rows[1][3] == city.unit.name and "把关不严" in rows[1][4]


def test_it_hides_statistics_and_exports_from_applicants(client, city):
    client.force_login(city.applicant)
    for name in ("review:statistics", "review:statistics_export", "review:queue_export", "review:integrity_export"):
        assert client.get(reverse(name)).status_code == 404


def test_it_exports_only_the_reviewers_own_remit(client, city):
    submitted_application(city.applicant)
    other = build_city(code="xuchang", name="许昌市")
    client.force_login(other.handler)
    rows = _sheet(client.get(reverse("review:queue_export")))
    assert len(rows) == 1
    assert statistics(other.city_reviewer).total == 0


def test_it_flags_overdue_steps_on_the_dashboard_and_the_applicants_timeline(client, city):
    application = submitted_application(city.applicant)
    step = ReviewStep.objects.get(application=application, status=ReviewStep.Status.ACTIVE)
    # Submitted at a fixed instant; give the step a deadline still ahead of today's clock.
    ReviewStep.objects.filter(pk=step.pk).update(deadline=timezone.now() + timedelta(days=3))
    client.force_login(city.handler)
    page = client.get(reverse("dashboard")).content.decode()
    assert "待审核 <strong>1</strong>" in page and "已超过审核期限" not in page
    ReviewStep.objects.filter(pk=step.pk).update(deadline=timezone.now() - timedelta(hours=1))
    assert "1 份已超过审核期限" in client.get(reverse("dashboard")).content.decode()
    client.force_login(city.applicant)
    status = client.get(reverse("applications:status", args=[application.pk])).content.decode()
    assert "已超过审核期限" in status
