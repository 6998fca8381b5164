"""The queue's rows as the page prints them (issue 18): labels, dates and links worked out once per row in
Python instead of a dozen template lookups, choice displays and ``{% url %}`` calls per row - the
rows were most of the queue page's rendering time. The API keeps the model rows (``review/api.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from applications.models import LEVEL_CHOICES, SERIES_CHOICES, Application
from review.models import ReviewStep

_PLACEHOLDER = 987654321


@dataclass(frozen=True, slots=True)
class QueueRow:
    step_id: int
    application_id: int
    applicant: str
    unit: str
    series: str
    level: str
    step_level: str
    revision: int
    closed: bool
    active: bool
    overdue: bool
    since: str
    deadline: str
    url: str


def _when(value: datetime | None) -> str:
    """As the pages print a time: 2026年12月1日 09:00 (the ``date:"Y年n月j日 H:i"`` filter, local time)."""
    if value is None:
        return ""
    value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


def queue_rows(steps: list[ReviewStep], now: datetime) -> list[QueueRow]:
    series = {code: str(label) for code, label in SERIES_CHOICES}
    levels = {code: str(label) for code, label in LEVEL_CHOICES}
    step_levels = {code: str(label) for code, label in ReviewStep._meta.get_field("level").flatchoices}
    # One reverse for the page; each row's link differs only by its id.
    detail = reverse("review:detail", args=[_PLACEHOLDER])
    rows = []
    for step in steps:
        application = step.application
        active = step.status == ReviewStep.Status.ACTIVE
        rows.append(
            QueueRow(
                step_id=step.pk,
                application_id=step.application_id,
                applicant=application.applicant.full_name,
                unit=application.unit.name,
                series=series.get(application.series, application.series),
                level=levels.get(application.level, application.level),
                step_level=step_levels.get(step.level, step.level),
                revision=step.revision,
                closed=application.status == Application.Status.CLOSED,
                active=active,
                overdue=active and step.deadline is not None and step.deadline < now,
                since=_when(step.active_since),
                deadline=_when(step.deadline),
                url=detail.replace(str(_PLACEHOLDER), str(step.application_id)),
            )
        )
    return rows
