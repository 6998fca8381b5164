"""Faults of a real deployment, against real PostgreSQL, Redis and Celery worker processes.

Each test skips with the reason when a service is unreachable and fails under REQUIRE_SERVICES=1.
Run with PGDATA_DIR set to the scripts/services.sh data directory (for the PostgreSQL restart).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import timedelta

import pytest
from django.db import DatabaseError, InterfaceError, connection, connections

from accounts.models import Role
from certificates import services as certificate_services
from certificates.models import Certificate, CertificateBatch, DocumentJob
from core.models import AuditEvent, OutboxMessage
from core.outbox import sweep
from tests.certificates.conftest import file_application
from tests.certificates.helpers import approved_application
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory, UserFactory
from tests.faults.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_it_accepts_a_submission_while_redis_is_down_and_runs_its_jobs_once_redis_is_back(
    celery_worker_process, redis_control
):
    from notifications.models import Notification

    redis_control.stop()
    started = time.monotonic()
    application, submission = file_application("zhengzhou")  # the applicant submits: Redis is down
    job = certificate_services.document_request(
        actor=application.applicant, application=application, kind=DocumentJob.Kind.EVALUATION_FORM
    )
    assert time.monotonic() - started < 60
    application.refresh_from_db()
    assert application.status == application.Status.SUBMITTED and submission.pk
    stored = set(OutboxMessage.objects.filter(sent_at__isnull=True).values_list("task", flat=True))
    assert {"notifications.tasks.notify_submission", "certificates.tasks.render_document"} <= stored
    assert sweep(stale=timedelta(0))["stored"] == 0  # still down: the sweeper keeps them
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.QUEUED

    redis_control.start()

    def swept() -> bool:
        sweep(stale=timedelta(hours=1))  # what Celery beat runs every minute
        return not OutboxMessage.objects.filter(sent_at__isnull=True).exists()

    wait_for(swept, timeout=60, what="the outbox to drain")
    wait_for(
        lambda: DocumentJob.objects.get(pk=job.pk).is_finished,
        timeout=120,
        what="the document job",
        workers=[celery_worker_process],
    )
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE and job.attempts == 1
    wait_for(
        lambda: Notification.objects.filter(recipient=application.applicant).exists(),
        timeout=60,
        what="the submission notice",
    )
    assert Notification.objects.filter(recipient=application.applicant, key__startswith="submitted:").count() == 1


def test_it_redelivers_a_document_job_whose_worker_was_killed_and_renders_it_once(
    short_visibility, celery_worker_process, extra_workers
):
    application, _ = file_application("zhengzhou")
    job = certificate_services.document_request(
        actor=application.applicant, application=application, kind=DocumentJob.Kind.EVALUATION_FORM
    )
    wait_for(
        lambda: DocumentJob.objects.get(pk=job.pk).status != DocumentJob.Status.QUEUED,
        timeout=60,
        what="the worker to start the job",
        workers=[celery_worker_process],
    )
    os.kill(celery_worker_process.pid, signal.SIGKILL)  # mid-job (or just after it: both must hold)
    celery_worker_process.wait(timeout=10)
    job.refresh_from_db()
    killed_while_running = job.status == DocumentJob.Status.RUNNING

    # The job claimed by the dead worker is "running"; the redelivered message takes it over once
    # it is stale (10 minutes in production; made stale here instead of waiting).
    DocumentJob.objects.filter(pk=job.pk, status=DocumentJob.Status.RUNNING).update(
        started_at=job.started_at - timedelta(hours=1) if job.started_at else None
    )
    replacement = extra_workers("replacement")
    wait_for(
        lambda: DocumentJob.objects.get(pk=job.pk).status == DocumentJob.Status.DONE,
        timeout=120,
        what="the redelivered job",
        workers=[replacement],
    )
    job.refresh_from_db()
    assert job.file and job.sha256
    assert AuditEvent.objects.filter(action="document_rendered", target_id=str(job.pk)).count() == 1
    if killed_while_running:
        assert job.attempts == 2  # delivered twice, rendered once


def test_it_finishes_a_certificate_batch_killed_mid_batch_with_every_certificate_exactly_once(
    short_visibility, celery_worker_process, extra_workers
):
    tenant = TenantFactory(code="zhengzhou", name="郑州市")
    unit = OrganisationFactory(tenant=tenant)
    applications = [approved_application(applicant=ApplicantFactory(organisation=unit)) for _ in range(6)]
    issuer = UserFactory(role=Role.TENANT_ADMIN, organisation=unit)
    batch = certificate_services.certificate_batch_issue(actor=issuer, tenant=tenant)
    wait_for(
        lambda: CertificateBatch.objects.get(pk=batch.pk).done >= 1,
        timeout=120,
        what="the first certificate",
        workers=[celery_worker_process],
    )
    os.kill(celery_worker_process.pid, signal.SIGKILL)
    celery_worker_process.wait(timeout=10)
    batch.refresh_from_db()
    assert batch.status == CertificateBatch.Status.RUNNING and batch.done < 6, "killed too late to prove anything"

    replacement = extra_workers("replacement")  # the broker redelivers the unacknowledged batch message
    wait_for(
        lambda: CertificateBatch.objects.get(pk=batch.pk).status == CertificateBatch.Status.DONE,
        timeout=180,
        what="the redelivered batch",
        workers=[replacement],
    )
    certificates = Certificate.objects.filter(application__in=applications)
    assert certificates.count() == 6
    assert sorted(certificates.values_list("application_id", flat=True)) == sorted(a.pk for a in applications)
    assert len(set(certificates.values_list("number", flat=True))) == 6
    assert all(certificate.file and certificate.sha256 for certificate in certificates)


def test_it_fails_cleanly_while_postgresql_restarts_under_load_and_recovers_without_a_restart(
    live_server, postgres_control
):
    import urllib.error
    import urllib.request

    from applications import services as application_services
    from applications.models import Application, Submission
    from tests.applications.helpers import IN_WINDOW, eligible_record, fill_required_slots, open_window

    open_window("zhengzhou")
    unit = OrganisationFactory(tenant=TenantFactory(code="zhengzhou", name="郑州市"))
    ready = []
    for _ in range(4):
        applicant = ApplicantFactory(organisation=unit)
        eligible_record(applicant)
        draft = application_services.application_create(
            actor=applicant, series="engineering", level="assistant", at=IN_WINDOW
        )
        application_services.application_save_draft(
            actor=applicant,
            application=draft,
            data={
                "specialty": "建筑工程",
                "self_statement": "本人自参加工作以来，认真履行岗位职责。" * 5,
                "main_achievements": "负责多项市政工程的施工技术管理，解决了多个技术难题。" * 25,
            },
        )
        fill_required_slots(draft)
        application_services.pledge_sign(
            actor=applicant, application=draft, typed_name=applicant.full_name, agreed=True
        )
        ready.append(draft)

    stop = threading.Event()
    answers: list[tuple[int, str]] = []
    outcomes: list[str] = []

    def browse() -> None:
        while not stop.is_set():
            try:
                with urllib.request.urlopen(f"{live_server.url}/healthz", timeout=10) as response:
                    answers.append((response.status, response.read().decode()))
            except urllib.error.HTTPError as error:
                answers.append((error.code, error.read().decode()))
            except OSError:
                answers.append((0, ""))
            time.sleep(0.05)

    def submit(application) -> None:
        while not stop.is_set():
            try:
                application_services.application_submit(
                    actor=application.applicant, application=application, at=IN_WINDOW
                )
                outcomes.append("submitted")
                return
            except (DatabaseError, InterfaceError):
                outcomes.append("failed")
                time.sleep(0.2)
            finally:
                connections.close_all()

    threads = [threading.Thread(target=browse) for _ in range(2)]
    threads += [threading.Thread(target=submit, args=(application,)) for application in ready]
    postgres_control.stop()  # the restart starts while requests arrive
    for thread in threads:
        thread.start()
    time.sleep(2)
    postgres_control.start()
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    connection.close()

    failures = [body for status, body in answers if status >= 500]
    assert failures, "the outage was not observed"
    assert all(
        status == 503 and "数据库暂时不可用" in body and "Traceback" not in body
        for status, body in answers
        if status >= 500
    )
    # Recovered without restarting the app: the same live server answers again.
    with urllib.request.urlopen(f"{live_server.url}/healthz", timeout=10) as response:
        assert response.status == 200
    # No half-written submission: each application is submitted with exactly one frozen revision
    # and one audit record, or is still a draft with neither.
    for application in Application.objects.filter(pk__in=[a.pk for a in ready]):
        submissions = Submission.objects.filter(application=application).count()
        audits = AuditEvent.objects.filter(action="application_submitted", target_id=str(application.pk)).count()
        if application.status == Application.Status.SUBMITTED:
            assert (submissions, audits) == (1, 1)
        else:
            assert (submissions, audits) == (0, 0)
    assert outcomes.count("submitted") == len(ready)
