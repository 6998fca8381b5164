"""Celery tasks: take ids, idempotent (a retried task finds its messages already there)."""

from __future__ import annotations

import logging

from celery import shared_task

from notifications import services

logger = logging.getLogger(__name__)


def enqueue(task, *args: int) -> None:
    """Queue a notification task after commit; a broker outage is logged, never shown to the
    person whose decision has already been saved (the daily reminders catch up)."""
    try:
        task.delay(*args)
    except Exception:
        logger.exception("could not queue %s%s", task.name, args)


@shared_task
def notify_submission(application_id: int, submission_id: int) -> None:
    services.deliver(services.on_submitted(application_id, submission_id))


@shared_task
def notify_review_transition(transition_id: int) -> None:
    services.deliver(services.on_transition(transition_id))


@shared_task
def notify_certificate(certificate_id: int) -> None:
    services.deliver(services.on_certificate(certificate_id))


@shared_task
def notify_closed_overdue(application_id: int) -> None:
    services.deliver(services.on_closed_overdue(application_id))


@shared_task
def send_reminders() -> None:
    """Daily (Celery beat): drafts before a window closes, overdue steps and their escalation."""
    services.deliver(services.remind_drafts() + services.remind_overdue())
