"""Audit of reads (issue 16; GB/T 22239-2019 level 3 安全审计, PIPL on sensitive personal data):
viewing an application's snapshot, a person's record or a certificate holder's details, on a page
or through the API, writes an audit row (who, what, when, from where); a list page writes one row
per page view, never one per row; reading one's own data is not recorded."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from tests.certificates.helpers import certificate_for
from tests.factories import ApplicantFactory
from tests.review.helpers import build_city, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return build_city()


def reads(what: str):
    return AuditEvent.objects.filter(action=f"read_{what}")


def test_it_records_who_read_an_applications_snapshot_and_from_where(client, city):
    application = submitted_application(city.applicant)
    client.force_login(city.handler)
    client.get(reverse("review:detail", kwargs={"pk": application.pk}), REMOTE_ADDR="10.1.2.3")
    event = reads("application").get()
    assert (event.actor, event.target_id, event.ip) == (city.handler, str(application.pk), "10.1.2.3")
    assert event.detail["path"] == f"/review/{application.pk}/" and event.at is not None


def test_it_records_reading_a_persons_record_on_the_page_and_through_the_api(client, city):
    client.force_login(city.handler)
    client.get(reverse("units:person_detail", kwargs={"pk": city.applicant.pk}))
    client.get(f"/api/v1/applicants/{city.applicant.pk}/")
    assert reads("person").filter(actor=city.handler, target_id=str(city.applicant.pk)).count() == 2


def test_it_records_reading_a_certificate_holders_details_but_not_the_holders_own(client, city):
    application = submitted_application(city.applicant)
    certificate = certificate_for(application)
    client.force_login(city.city_reviewer)
    assert client.get(f"/api/v1/certificates/issued/{certificate.pk}/").status_code == 200
    assert reads("certificate").filter(actor=city.city_reviewer).count() == 1
    client.force_login(certificate.holder)
    client.get(f"/api/v1/certificates/issued/{certificate.pk}/")
    assert reads("certificate").count() == 1  # the holder reading their own certificate


def test_it_writes_one_row_per_list_page_view_whatever_the_number_of_rows(client, city):
    for _ in range(3):
        submitted_application(ApplicantFactory(organisation=city.unit))
    client.force_login(city.handler)
    client.get(reverse("review:queue"))
    event = reads("queue").get()
    assert event.detail["rows"] == 3
    client.get(reverse("units:people"))
    assert reads("people").count() == 1


def test_it_costs_a_list_page_one_insert(client, city):
    submitted_application(city.applicant)
    client.force_login(city.handler)
    client.get(reverse("review:queue"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("review:queue"))
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and "core_auditevent" in inserts[0]
