"""Celery application. Tasks take ids and are idempotent (see architecture.md §5)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("zhicheng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
