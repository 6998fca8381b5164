"""Celery application. Tasks take ids and are idempotent (see architecture.md §5).

Every task's base class is ``core.outbox.OutboxTask``: a message the broker cannot take (Redis
down) waits in the database, and the periodic ``core.sweep_outbox`` (registered below, every
minute) sends it when the broker is back and re-enqueues jobs whose message was lost.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("zhicheng", task_cls="core.outbox:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

OUTBOX_SWEEP_SECONDS = 60.0


@app.on_after_configure.connect
def _register_periodic_tasks(sender: Celery, **kwargs) -> None:
    # Added to (not replacing) CELERY_BEAT_SCHEDULE from the settings.
    sender.add_periodic_task(OUTBOX_SWEEP_SECONDS, sender.signature("core.sweep_outbox"), name="core-sweep-outbox")
