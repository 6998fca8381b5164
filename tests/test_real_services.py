"""Against the real services: PostgreSQL, Redis and a Celery worker process.

Each test skips with the reason when its service is unreachable, and fails under
REQUIRE_SERVICES=1 (as in CI).
"""

from __future__ import annotations

import io
import threading
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, connections, transaction
from openpyxl import Workbook

from accounts.models import Role
from core.models import AuditEvent
from tests.factories import OrganisationFactory, UserFactory, make_id_number
from units import services
from units.models import Organisation, RosterImport

pytestmark = pytest.mark.services


def test_it_refuses_updates_and_deletes_of_audit_rows_in_postgresql(postgres):
    event = AuditEvent.objects.create(action="login")
    for statement in (
        "UPDATE core_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "login"


def test_it_keeps_refusing_when_a_client_asks_pgtrigger_to_ignore_its_triggers(postgres):
    """The protections are django-pgtrigger's (core.triggers.Refuse), installed without its
    ``pgtrigger.ignore`` escape hatch, which any client could set."""
    from applications.models import Submission

    event = AuditEvent.objects.create(action="login")
    names = ",".join(
        trigger.get_pgid(model) for model in (AuditEvent, Submission) for trigger in model._meta.triggers
    )
    for statement in (
        "UPDATE core_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL pgtrigger.ignore = %s", ["{" + names + "}"])
            cursor.execute("SET LOCAL zhicheng.audit_purge = 'on'")
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "login"


def test_it_caches_in_redis(redis_url, settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("zc-test-key", {"value": "中文"}, 30)
    assert cache.get("zc-test-key") == {"value": "中文"}
    import redis

    assert any(b"zc-test-key" in key for key in redis.Redis.from_url(redis_url).keys("*zc-test-key*"))


def test_it_imports_a_roster_through_a_real_celery_worker(celery_worker_process):
    handler = UserFactory(role=Role.UNIT_HANDLER)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号", "手机号", "人员性质"])
    for i in range(3):
        sheet.append([f"员工{i}", make_id_number(), "", "在编"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = services.roster_import_start(
        actor=handler, unit=handler.organisation, upload=SimpleUploadedFile("roster.xlsx", buffer.getvalue())
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (RosterImport.Status.DONE, RosterImport.Status.FAILED):
            break
        assert celery_worker_process.poll() is None, "the Celery worker exited"
        time.sleep(0.3)
    assert job.status == RosterImport.Status.DONE, job.errors
    assert handler.organisation.people.filter(role=Role.APPLICANT).count() == 3


@pytest.mark.django_db(transaction=True)
def test_it_decides_a_registration_once_under_concurrent_approvals(postgres):
    pending = OrganisationFactory(pending=True)
    pending.managed_by = OrganisationFactory(tenant=pending.tenant, county_bureau=True)
    pending.save()
    reviewers = [UserFactory(role=Role.COUNTY_REVIEWER, organisation=pending.managed_by) for _ in range(2)]
    outcomes: list[str] = []
    barrier = threading.Barrier(10)

    def approve(reviewer):
        barrier.wait()
        try:
            services.unit_registration_decide(actor=reviewer, unit=pending, approve=True)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(reviewers[i % 2],)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved"] + ["refused"] * 9
    assert Organisation.objects.get(pk=pending.pk).status == Organisation.Status.APPROVED
    assert AuditEvent.objects.filter(action="unit_registration_approved", target_id=str(pending.pk)).count() == 1
