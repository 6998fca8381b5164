"""Reviewer pages, the API and the applicant's timeline; list pages pin their query count."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from review.models import ReturnProblem, ReviewStep
from rules.models import DeclarationWindow
from tests.factories import ApplicantFactory, DistrictFactory, OrganisationFactory, UserFactory
from tests.review.helpers import build_city, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return build_city()


@pytest.fixture
def application(city):
    return submitted_application(city.applicant)


@pytest.fixture
def returns_open_today(city):
    """The pages decide at today's clock: a batch whose returns are open today, whatever the date
    (the application itself was submitted in the fixed November batch)."""
    now = timezone.now()
    DeclarationWindow.objects.create(
        tenant_code=city.tenant.code, name="本期测试批次", opens_at=now - timedelta(days=1),
        submit_closes_at=now + timedelta(days=30),
    )


def test_it_lists_the_units_queue_with_counts_in_a_fixed_number_of_queries(
    client, city, application, django_assert_num_queries
):
    client.force_login(city.handler)
    client.get(reverse("review:queue"))  # the first request of a session also stamps the session
    # session, user, counts (one aggregate), rows (joined), the read's audit row; the unit filter's
    # choices come from the cache the first view filled
    with django_assert_num_queries(5):
        response = client.get(reverse("review:queue"))
    assert response.status_code == 200
    assert city.applicant.full_name in response.content.decode()
    for _ in range(3):
        submitted_application(ApplicantFactory(organisation=city.unit))
    with django_assert_num_queries(5):
        response = client.get(reverse("review:queue"), {"series": "engineering", "overdue": ""})
    assert response.context["queue"].counts["active"] == 4
    assert len(response.context["queue"].rows) == 4


def test_it_keeps_the_chosen_filters_selected_and_prints_each_row_once(client, city, application):
    client.force_login(city.handler)
    page = client.get(reverse("review:queue"), {"series": "engineering", "level": application.level}).content.decode()
    assert page.count(" selected>") == 2
    assert '<option value="engineering" selected>' in page
    assert f'<option value="{application.level}" selected>' in page
    assert page.count(f'value="{application.pk}" id="pick-') == 1 and city.applicant.full_name in page


def test_it_filters_the_queue_by_status_and_overdue(client, city, application):
    client.force_login(city.handler)
    ReviewStep.objects.filter(application=application).update(deadline=timezone.now() + timedelta(days=3))
    assert client.get(reverse("review:queue"), {"overdue": "1"}).context["queue"].rows == []
    ReviewStep.objects.filter(application=application).update(deadline="2020-01-01T00:00:00+08:00")
    response = client.get(reverse("review:queue"), {"overdue": "1"})
    assert len(response.context["queue"].rows) == 1
    assert "已超期" in response.content.decode()
    assert client.get(reverse("review:queue"), {"status": "approved"}).context["queue"].rows == []


def test_it_shows_the_frozen_snapshot_and_the_attachments(client, city, application):
    client.force_login(city.handler)
    response = client.get(reverse("review:detail", args=[application.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    file = application.files.first()
    assert reverse("applications:download", args=[file.attachment_id]) in body
    assert "退回修改" in body and "通过" in body


def test_it_returns_through_the_page_with_one_row_per_problem(client, city, application, returns_open_today):
    client.force_login(city.handler)
    slot = application.files.first().slot
    response = client.post(
        reverse("review:decide", args=[application.pk]),
        {
            "action": "return",
            "opinion": "",
            "problem_target": ["field:self_statement", f"slot:{slot}", ""],
            "problem_message": ["请补充述职。", "扫描件不清晰。", ""],
        },
    )
    assert response.status_code == 302
    assert ReturnProblem.objects.filter(application=application).count() == 2
    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED


def test_it_shows_every_problem_when_a_return_is_incomplete(client, city, application):
    client.force_login(city.handler)
    response = client.post(
        reverse("review:decide", args=[application.pk]),
        {"action": "return", "problem_target": ["field:salary"], "problem_message": [""]},
    )
    assert response.status_code == 400
    assert "请选择问题所在" in response.content.decode() and "请写明需要修改的内容" in response.content.decode()


def test_it_approves_in_bulk_with_one_opinion(client, city, application):
    other = submitted_application(ApplicantFactory(organisation=city.unit))
    client.force_login(city.handler)
    response = client.post(
        reverse("review:bulk_approve"), {"application": [application.pk, other.pk], "opinion": "同意推荐。"}
    )
    assert response.status_code == 302
    assert set(ReviewStep.objects.filter(order=1).values_list("status", "opinion")) == {("approved", "同意推荐。")}


def test_it_shows_the_applicant_the_timeline_and_what_to_fix(client, city, application, returns_open_today):
    client.force_login(city.handler)
    client.post(reverse("review:decide", args=[application.pk]), {"action": "approve", "opinion": "同意"})
    client.force_login(city.department_reviewer)
    client.post(
        reverse("review:decide", args=[application.pk]),
        {"action": "return", "problem_target": ["field:main_achievements"], "problem_message": ["业绩不足400字。"]},
    )
    client.force_login(city.applicant)
    body = client.get(reverse("applications:status", args=[application.pk])).content.decode()
    assert city.unit.name in body and city.department.name in body and city.city.name in body
    assert "同意" in body
    assert "主要工作业绩" in body and "业绩不足400字。" in body


def test_it_answers_404_to_reviewers_outside_the_chain_on_every_action(client, city, application):
    kunming = build_city("kunming", "昆明市")
    outsiders = [
        UserFactory(role="unit_handler", organisation=city.private_unit),  # another unit
        UserFactory(role="department_reviewer", organisation=kunming.department),  # another tenant
        kunming.handler,
        kunming.county_reviewer,
        kunming.city_reviewer,
        city.applicant,
    ]
    other_department = UserFactory(
        role="department_reviewer",
        organisation=city.unit.tenant.organisations.create(kind="department", name="另一个主管部门"),
    )
    other_county = UserFactory(role="county_reviewer", organisation=kunming.county)
    # A county bureau of the same city, for another district.
    neighbour_county = UserFactory(
        role="county_reviewer",
        organisation=OrganisationFactory(
            tenant=city.tenant, county_bureau=True, district=DistrictFactory(tenant=city.tenant)
        ),
    )
    outsiders += [other_department, other_county, neighbour_county]
    for user in outsiders:
        client.force_login(user)
        for method, name in (
            ("get", "review:detail"),
            ("post", "review:decide"),
            ("post", "review_api:decide"),
        ):
            response = getattr(client, method)(reverse(name, args=[application.pk]), {"action": "approve"})
            assert response.status_code == 404, (user.username, name)
        bulk = client.post(reverse("review:bulk_approve"), {"application": [application.pk]}, follow=True)
        assert "请至少勾选一份申报" in bulk.content.decode() or bulk.status_code == 404, user.username
        export = client.get(reverse("review:queue_export"), {"status": "active"})
        assert export.status_code == 404 or application.applicant.full_name not in _sheet_text(export), user.username
    assert ReviewStep.objects.get(application=application, order=1).status == "active"
    client.force_login(city.handler)  # the level that holds it exports it
    export = client.get(reverse("review:queue_export"), {"status": "active"})
    assert application.applicant.full_name in _sheet_text(export)


def _sheet_text(response) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.content))
    return " ".join(str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row)


def test_it_serves_the_queue_and_the_decision_over_the_api(client, city, application, returns_open_today):
    client.force_login(city.handler)
    listing = client.get(reverse("review_api:queue")).json()
    assert listing["counts"]["active"] == 1
    assert listing["results"][0]["application"] == application.pk
    response = client.post(
        reverse("review_api:decide", args=[application.pk]),
        {"action": "return", "problems": [{"target": "field:self_statement", "message": "请补充。"}]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["to_status"] == "returned"
    bad = client.post(
        reverse("review_api:decide", args=[application.pk]), {"action": "approve"}, content_type="application/json"
    )
    assert bad.status_code == 400


def test_it_offers_each_level_the_units_in_its_remit_as_the_unit_filter(city):
    from review.selectors import units_in_remit

    other_district_unit = OrganisationFactory(tenant=city.tenant)
    other_tenant = build_city(code="xuchang", name="许昌市")
    city_units = {u.pk for u in units_in_remit(city.city_reviewer)}
    assert {city.unit.pk, city.private_unit.pk, other_district_unit.pk} <= city_units
    assert not city_units & {other_tenant.unit.pk, other_tenant.private_unit.pk}
    assert city.department.pk not in city_units, "only units, not bureaus or departments"
    assert {u.pk for u in units_in_remit(city.county_reviewer)} == {city.unit.pk, city.private_unit.pk}
    assert [u.pk for u in units_in_remit(city.department_reviewer)] == [city.unit.pk]
    assert [u.pk for u in units_in_remit(city.handler)] == [city.unit.pk]
    assert units_in_remit(city.applicant) == []


def test_it_caches_the_unit_filter_per_organisation_and_never_shows_another_its_units(client, city):
    """The cached unit filter (issue 18) is keyed by the organisation: a county reviewer and a
    reviewer of another city each see only their own units, whichever page filled the cache."""
    other = build_city("xuchang", "许昌市")
    client.force_login(city.county_reviewer)
    mine = client.get(reverse("review:queue")).content.decode()
    client.force_login(other.county_reviewer)
    theirs = client.get(reverse("review:queue")).content.decode()
    assert city.private_unit.name in mine and city.private_unit.name not in theirs
    assert other.private_unit.name in theirs and other.private_unit.name not in mine
    client.force_login(city.county_reviewer)
    again = client.get(reverse("review:queue"), {"unit": city.private_unit.pk}).content.decode()
    assert f'<option value="{city.private_unit.pk}" selected>' in again
