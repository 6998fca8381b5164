"""Outbox: no task message is lost when the broker (Redis) is down or a message goes missing.

Two parts (architecture.md §5: a job row is written in the same transaction as the change, the
task is sent on commit):

* ``OutboxTask`` is the base class of every Celery task (``config/celery.py``). When sending a
  message fails because the broker is unreachable, the message is stored as an ``OutboxMessage``
  row instead of raising into the request, whose transaction has already committed: the
  applicant's submission succeeds.
* ``sweep_outbox`` runs every minute (Celery beat). It sends the stored messages once the broker
  is back, and re-enqueues jobs whose message was lost some other way: document jobs, certificate
  batches and roster imports still queued, or running for too long (a worker died and the broker
  did not redeliver). Every task is idempotent, so a message sent twice does no harm.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

try:  # pragma: no cover - redis is installed wherever a broker is configured
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = OperationalError  # type: ignore[misc,assignment]

BROKER_ERRORS: tuple[type[BaseException], ...] = (OperationalError, RedisError, OSError)
NO_OUTBOX = "zc_no_outbox"


def task_by_name(name: str) -> Task:
    """The registered task called ``name`` (``"<app>.tasks.<function>"``). Services enqueue by name
    so that no ``services`` module imports its app's ``tasks`` (which import the services)."""
    from celery import current_app

    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # the autodiscovered ``<app>.tasks`` modules
    if name not in current_app.tasks:
        module = name.rsplit(".", 1)[0]
        __import__(module)
    return current_app.tasks[name]


def enqueue(name: str, *args: Any) -> None:
    """Send the task ``name`` with ``args`` (ids) once the current transaction commits; a message the
    broker cannot take waits in the outbox (``OutboxTask``), and any other failure to send is logged,
    never raised into the request whose change has already been saved (the sweeper catches up)."""
    transaction.on_commit(lambda: task_by_name(name).delay(*args), robust=True)


class OutboxTask(Task):
    """A task whose message, when the broker cannot take it, waits in the database."""

    def apply_async(self, args=None, kwargs=None, task_id=None, producer=None, link=None, link_error=None, **options):
        fallback = not options.pop(NO_OUTBOX, False)
        try:
            return super().apply_async(args, kwargs, task_id, producer, link, link_error, **options)
        except BROKER_ERRORS as error:
            if not fallback or options.get("countdown") or options.get("eta"):
                raise
            from celery.result import AsyncResult

            from core.models import OutboxMessage

            OutboxMessage.objects.create(
                task=self.name, args=list(args or ()), kwargs=dict(kwargs or {}), error=repr(error)[:300]
            )
            logger.warning("broker unreachable; task %s kept in the outbox: %s", self.name, type(error).__name__)
            return AsyncResult(task_id or "outbox", app=self.app)


def _stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "OUTBOX_STALE_SECONDS", 300))


def _send_stored(limit: int = 500) -> tuple[int, bool]:
    """Send stored messages, oldest first; stop at the first broker failure. (sent, broker_up)"""
    from celery import current_app

    from core.models import OutboxMessage

    sent = 0
    with transaction.atomic():
        pending = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True)
            .order_by("id")[:limit]
        )
        for message in pending:
            task = current_app.tasks.get(message.task)
            if task is None:
                message.error = "unknown task"
                message.attempts += 1
                message.save(update_fields=["error", "attempts"])
                continue
            try:
                task.apply_async(message.args, message.kwargs, **{NO_OUTBOX: True})
            except BROKER_ERRORS as error:
                message.attempts += 1
                message.error = repr(error)[:300]
                message.save(update_fields=["attempts", "error"])
                return sent, False
            message.sent_at = timezone.now()
            message.save(update_fields=["sent_at"])
            sent += 1
    return sent, True


def _requeue(label: str, ids: Iterable[int], send: Callable[[int], Any], *, hold: timedelta) -> int:
    """Send each id's task unless this sweep already did so within ``hold`` (no queue growth while a
    busy worker is merely behind)."""
    count = 0
    for pk in ids:
        key = f"outbox:requeued:{label}:{pk}"
        if hold and not cache.add(key, 1, timeout=int(hold.total_seconds())):
            continue
        send(pk)
        count += 1
    return count


def sweep(*, stale: timedelta | None = None, running_stale: timedelta | None = None) -> dict[str, int]:
    """One pass of the sweeper; returns how many messages each part sent."""
    from certificates.models import CertificateBatch, DocumentJob
    from certificates.tasks import issue_certificate_batch, render_document
    from units.models import RosterImport
    from units.tasks import run_roster_import

    stale = _stale_after() if stale is None else stale
    running_stale = timedelta(minutes=30) if running_stale is None else running_stale
    now = timezone.now()
    counts = {"stored": 0, "documents": 0, "batches": 0, "rosters": 0}
    counts["stored"], broker_up = _send_stored()
    if not broker_up:
        return counts

    def send(task) -> Callable[[int], Any]:
        return lambda pk: task.apply_async((pk,), **{NO_OUTBOX: True})

    documents = DocumentJob.objects.filter(status=DocumentJob.Status.QUEUED, created_at__lte=now - stale) | (
        DocumentJob.objects.filter(status=DocumentJob.Status.RUNNING, started_at__lte=now - max(stale, running_stale))
    )
    counts["documents"] = _requeue(
        "document", documents.values_list("pk", flat=True), send(render_document), hold=stale
    )
    batches = CertificateBatch.objects.filter(status=CertificateBatch.Status.QUEUED, created_at__lte=now - stale) | (
        CertificateBatch.objects.filter(
            status=CertificateBatch.Status.RUNNING, updated_at__lte=now - max(stale, running_stale)
        )
    )
    counts["batches"] = _requeue(
        "batch", batches.values_list("pk", flat=True), send(issue_certificate_batch), hold=stale
    )
    rosters = RosterImport.objects.filter(status=RosterImport.Status.QUEUED, created_at__lte=now - stale) | (
        RosterImport.objects.filter(status=RosterImport.Status.RUNNING, created_at__lte=now - max(stale, running_stale))
    )
    counts["rosters"] = _requeue("roster", rosters.values_list("pk", flat=True), send(run_roster_import), hold=stale)
    if any(counts.values()):
        logger.info("outbox sweep: %s", counts)
    return counts


@shared_task(name="core.sweep_outbox")
def sweep_outbox() -> dict[str, int]:
    """Periodic (Celery beat, every minute): see the module docstring."""
    return sweep()
