"""Two tabs pressing 提交 at the same instant: the row lock makes exactly one submission.

Needs PostgreSQL (SQLite has no row locks; there the unique revision is the guard)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from applications import services
from applications.models import Submission
from tests.applications.helpers import IN_WINDOW, eligible_record, fill_required_slots, open_window
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_it_creates_one_submission_when_two_tabs_submit_at_once(postgres):
    applicant = ApplicantFactory(
        organisation=OrganisationFactory(tenant=TenantFactory(code="zhengzhou", name="郑州市"))
    )
    application = services.application_create(actor=applicant, series="engineering", level="assistant", at=IN_WINDOW)
    open_window("zhengzhou")
    eligible_record(applicant)
    fill_required_slots(application)
    services.pledge_sign(actor=applicant, application=application, typed_name=applicant.full_name, agreed=True)

    start = threading.Barrier(2)
    results, errors = [], []

    def press_submit():
        try:
            start.wait()
            results.append(services.application_submit(actor=applicant, application=application, at=IN_WINDOW).pk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    tabs = [threading.Thread(target=press_submit) for _ in range(2)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Submission.objects.filter(application=application).count() == 1
