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


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_it_submits_while_the_tenant_unit_and_applicant_rows_are_locked_elsewhere(postgres):
    """On the last day a whole city submits at once: a submission locks its own application row
    only, so it never queues behind another transaction updating the shared tenant, unit or user
    row (an update holds FOR NO KEY UPDATE; the old FOR UPDATE of all three waited for it)."""
    import psycopg2

    unit = OrganisationFactory(tenant=TenantFactory(code="zhengzhou", name="郑州市"))
    applicant = ApplicantFactory(organisation=unit)
    application = services.application_create(actor=applicant, series="engineering", level="assistant", at=IN_WINDOW)
    open_window("zhengzhou")
    eligible_record(applicant)
    fill_required_slots(application)
    services.pledge_sign(actor=applicant, application=application, typed_name=applicant.full_name, agreed=True)

    other = psycopg2.connect(_dsn())
    try:
        with other.cursor() as cursor:  # another request's open transaction updating the shared rows
            cursor.execute("SELECT id FROM units_tenant WHERE id = %s FOR NO KEY UPDATE", [unit.tenant_id])
            cursor.execute("SELECT id FROM units_organisation WHERE id = %s FOR NO KEY UPDATE", [unit.pk])
            cursor.execute("SELECT id FROM accounts_user WHERE id = %s FOR NO KEY UPDATE", [applicant.pk])
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        submission = services.application_submit(actor=applicant, application=application, at=IN_WINDOW)
    finally:
        other.rollback()
        other.close()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert submission.revision == 1


def _dsn() -> str:
    db = connection.settings_dict  # the test database
    return (
        f"dbname={db['NAME']} user={db['USER']} password={db['PASSWORD']} host={db['HOST']} port={db['PORT'] or 5432}"
    )
