"""Query budgets of the hot pages at deadline scale (issue #9): the same number of queries for N
and 3N rows, keyset pages instead of OFFSET/COUNT, counts capped instead of counting everything."""

from __future__ import annotations

import pytest
from django.urls import reverse

from review import selectors
from tests.factories import ApplicantFactory
from tests.review.helpers import build_city, submitted_application


@pytest.fixture
def city(db):
    return build_city()


def queries(client, django_assert_num_queries, url: str, data: dict | None = None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, data)  # the first request of a session stamps the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, data).status_code == 200
    return len(captured)


def test_it_shows_the_reviewer_queue_in_the_same_queries_for_n_and_3n_rows(client, city, django_assert_num_queries):
    for _ in range(2):
        submitted_application(ApplicantFactory(organisation=city.unit))
    client.force_login(city.handler)
    few = queries(client, django_assert_num_queries, reverse("review:queue"))
    for _ in range(4):
        submitted_application(ApplicantFactory(organisation=city.unit))
    with django_assert_num_queries(few):
        response = client.get(reverse("review:queue"))
    assert len(response.context["queue"].rows) == 6


def test_it_shows_the_applicant_dashboard_in_the_same_queries_for_n_and_3n_rows(
    client, city, django_assert_num_queries
):
    from applications import services as filing
    from tests.applications.helpers import IN_WINDOW

    applicant = city.applicant
    filing.application_create(actor=applicant, series="engineering", level="assistant", at=IN_WINDOW)
    client.force_login(applicant)
    few = queries(client, django_assert_num_queries, reverse("applications:index"))
    for level in ("intermediate", "senior"):
        filing.application_create(actor=applicant, series="engineering", level=level, at=IN_WINDOW)
    with django_assert_num_queries(few):
        assert client.get(reverse("applications:index")).status_code == 200


def test_it_pages_the_queue_by_keyset_without_repeating_or_skipping_rows(client, city, monkeypatch):
    monkeypatch.setattr(selectors, "QUEUE_LIMIT", 2)
    for _ in range(4):
        submitted_application(ApplicantFactory(organisation=city.unit))
    client.force_login(city.handler)
    seen, query = [], {}
    for _ in range(3):
        queue = client.get(reverse("review:queue"), query).context["queue"]
        seen += [step.pk for step in queue.rows]
        if not queue.has_next:
            break
        assert "下一页" in client.get(reverse("review:queue"), query).content.decode()
        query = {"after": queue.next_after}
    assert len(seen) == 4 and len(set(seen)) == 4


def test_it_caps_the_queue_counts_and_shows_the_cap(client, city, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    for _ in range(3):
        submitted_application(ApplicantFactory(organisation=city.unit))
    client.force_login(city.handler)
    response = client.get(reverse("review:queue"))
    assert response.context["queue"].counts["active"] == "2+"
    assert "审核中（2+）" in response.content.decode() or "（2+）" in response.content.decode()
    monkeypatch.setattr(selectors, "COUNT_CAP", 10)
    assert client.get(reverse("review:queue")).context["queue"].counts["active"] == 3
