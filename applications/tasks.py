"""Celery tasks of filing: idempotent, and a sweep takes no ids (it finds its own work)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def close_overdue_returns() -> int:
    """Every minute (Celery beat): close the returned applications whose return deadline has
    passed unfixed (003 四 逾期未补正，视为不具备申报资格), then tell the applicant and the unit.
    A second run closes nothing more and sends nothing twice (``Notification.key``)."""
    from applications import services
    from notifications.tasks import enqueue, notify_closed_overdue

    closed = services.close_overdue_returns(at=timezone.now())
    for application in closed:
        enqueue(notify_closed_overdue, application.pk)
    return len(closed)
