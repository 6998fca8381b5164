"""The outbox (core/outbox.py): a message the broker cannot take waits in the database, and the
periodic sweeper sends it, and re-enqueues jobs whose message was lost. Runs without services;
tests/faults/test_faults.py repeats the story against real Redis and a real worker."""

from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from kombu.exceptions import OperationalError
from openpyxl import Workbook

from accounts.models import Role
from config.celery import OUTBOX_SWEEP_SECONDS, app
from core.models import OutboxMessage
from core.outbox import OutboxTask, sweep
from tests.factories import UserFactory, make_id_number
from units.models import RosterImport
from units.tasks import run_roster_import

pytestmark = pytest.mark.django_db


def roster_job(rows: int = 2) -> RosterImport:
    handler = UserFactory(role=Role.UNIT_HANDLER)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号", "手机号", "人员性质"])
    for i in range(rows):
        sheet.append([f"员工{i}", make_id_number(birth=f"1990010{i + 1}"), "", "在编"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return RosterImport.objects.create(
        unit=handler.organisation,
        uploaded_by=handler,
        original_name="roster.xlsx",
        file=SimpleUploadedFile("roster.xlsx", buffer.getvalue()),
    )


def test_it_registers_every_task_on_the_outbox_base_and_the_sweeper_in_the_beat_schedule():
    app.loader.import_default_modules()
    assert isinstance(app.tasks["units.tasks.run_roster_import"], OutboxTask)
    assert isinstance(app.tasks["certificates.tasks.issue_certificate_batch"], OutboxTask)
    entry = app.conf.beat_schedule["core-sweep-outbox"]
    assert entry["task"] == "core.sweep_outbox" and entry["schedule"] == OUTBOX_SWEEP_SECONDS
    assert "notifications-reminders" in app.conf.beat_schedule  # added to, not replacing, the settings' schedule


def test_it_keeps_a_message_in_the_outbox_when_the_broker_is_down_and_sends_it_later():
    job = roster_job()
    with mock.patch("celery.app.task.Task.apply_async", side_effect=OperationalError("Connection refused")):
        result = run_roster_import.delay(job.pk)  # would raise into the request without the outbox
        assert result is not None
        assert sweep(stale=timedelta(0))["stored"] == 0  # broker still down: nothing lost, nothing sent
    message = OutboxMessage.objects.get()
    assert (message.task, message.args, message.sent_at) == ("units.tasks.run_roster_import", [job.pk], None)
    assert message.attempts == 1

    counts = sweep(stale=timedelta(hours=1))  # broker back (eager here): the stored message runs
    assert counts["stored"] == 1
    job.refresh_from_db()
    message.refresh_from_db()
    assert job.status == RosterImport.Status.DONE and job.created_count == 2
    assert message.sent_at is not None
    assert sweep(stale=timedelta(hours=1))["stored"] == 0  # sent once


def test_it_re_enqueues_a_queued_job_whose_message_was_lost_once_per_period():
    job = roster_job()
    assert sweep()["rosters"] == 0  # young: its own message may still be on the way
    with mock.patch("units.tasks.run_roster_import.apply_async") as send:
        assert sweep(stale=timedelta(0))["rosters"] == 1
        send.assert_called_once()
        assert send.call_args.args[0] == (job.pk,)
    counts = sweep(stale=timedelta(seconds=0))
    assert counts["rosters"] == 1
    job.refresh_from_db()
    assert job.status == RosterImport.Status.DONE
    assert sweep(stale=timedelta(0))["rosters"] == 0  # finished jobs are left alone

    other = roster_job()
    with mock.patch("units.tasks.run_roster_import.apply_async") as send:
        RosterImport.objects.filter(pk=other.pk).update(created_at=other.created_at - timedelta(hours=1))
        assert sweep(stale=timedelta(minutes=5))["rosters"] == 1
        assert sweep(stale=timedelta(minutes=5))["rosters"] == 0  # held: a busy worker does not grow the queue
        assert send.call_count == 1


def test_it_does_not_swallow_errors_that_are_not_the_broker():
    with (
        mock.patch("celery.app.task.Task.apply_async", side_effect=TypeError("bad arguments")),
        pytest.raises(TypeError),
    ):
        run_roster_import.delay(1)
    assert not OutboxMessage.objects.exists()
