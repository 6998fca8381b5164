"""Reads of the review chain, scoped to what the user may see; anything else is 404."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.models import Role, User
from applications.models import Application
from applications.selectors import applications_for_user
from core.dates import chinese_date
from review.chain import DEFINITIONS, Level
from review.models import ReturnProblem, ReviewStep, ReviewTransition
from units.models import Organisation

# The committee's own pages come with the committee issue; its level is not in these queues.
QUEUE_LEVELS = [level for level in Level if level != Level.COMMITTEE]


def _levels_for(user: User) -> list[str]:
    return [level.value for level in QUEUE_LEVELS if user.role in DEFINITIONS[level].roles]


def steps_held_by(user: User) -> QuerySet[ReviewStep]:
    """Steps held by the user's organisation at a level the user's role acts at."""
    qs = ReviewStep.objects.all()
    if not user.is_authenticated or user.organisation_id is None:
        return qs.none()
    levels = _levels_for(user)
    if not levels:
        return qs.none()
    if user.role == Role.TENANT_ADMIN:
        return qs.filter(level__in=levels, organisation__tenant_id=user.tenant_id)
    return qs.filter(level__in=levels, organisation_id=user.organisation_id)


def is_reviewer(user: User) -> bool:
    return user.is_authenticated and bool(_levels_for(user))


def applications_for_reviewer(user: User) -> QuerySet[Application]:
    """Applications that have come to one of the user's levels (any revision)."""
    held = steps_held_by(user).values("application_id")
    return applications_for_user(user).filter(pk__in=held)


def get_application_for_reviewer(user: User, pk: int) -> Application:
    return get_object_or_404(applications_for_reviewer(user), pk=pk)


@dataclass
class QueueFilters:
    status: str = ReviewStep.Status.ACTIVE
    series: str = ""
    level: str = ""
    unit: int | None = None
    overdue: bool = False
    # Keyset cursor "<active_since in microseconds>-<id>" of the last row shown: the next page
    # starts after it, so no page costs a COUNT or an OFFSET however deep the queue is.
    after: str = ""

    @classmethod
    def from_query(cls, data) -> QueueFilters:
        status = data.get("status") or ReviewStep.Status.ACTIVE
        if status not in ReviewStep.Status.values or status == ReviewStep.Status.WAITING:
            status = ReviewStep.Status.ACTIVE
        unit = data.get("unit") or ""
        return cls(
            status=status,
            series=data.get("series") or "",
            level=data.get("level") or "",
            unit=int(unit) if str(unit).isdigit() else None,
            overdue=str(data.get("overdue") or "") in ("1", "true", "on"),
            after=after if re.fullmatch(r"-?\d{1,20}-\d{1,18}", after := str(data.get("after") or "")) else "",
        )


@dataclass
class Queue:
    rows: list[ReviewStep]
    counts: dict[str, int]
    units: list[Organisation] = field(default_factory=list)
    filters: QueueFilters = field(default_factory=QueueFilters)
    now: datetime | None = None
    has_next: bool = False
    next_after: str = ""

    def first_query(self) -> str:
        """The query string of the first page with the same filters."""
        params = {"status": self.filters.status, "series": self.filters.series, "level": self.filters.level}
        params.update({"unit": self.filters.unit or "", "overdue": "1" if self.filters.overdue else ""})
        return urlencode({k: v for k, v in params.items() if v})

    def next_query(self) -> str:
        """The query string of the next page: the same filters, after the last row shown."""
        return f"{self.first_query()}&{urlencode({'after': self.next_after})}"


QUEUE_LIMIT = 20  # rows per page (issue #9: render what a person reads, fetch one more to know "has next";
# issue 18: the cost of a page grows with its rows - 20, as the floor it is measured against, with a pager)
COUNT_CAP = 1000  # counts stop here and show "1000+": never an unbounded COUNT over a bureau's queue


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def _cursor(step: ReviewStep) -> str:
    return f"{(step.active_since - EPOCH) // MICROSECOND}-{step.pk}"


def _capped_counts(querysets: dict[str, QuerySet]) -> dict[str, int | str]:
    """Each count in one query, reading at most COUNT_CAP + 1 index entries per count."""
    parts, params = [], []
    for name, qs in querysets.items():
        sql, sql_params = qs.order_by().values("id")[: COUNT_CAP + 1].query.sql_with_params()
        # The SQL is Django's own compilation of the queryset (parameters kept apart); names are ours.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped_{name})")  # noqa: S608
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        values = cursor.fetchone()
    return {name: (f"{COUNT_CAP}+" if n > COUNT_CAP else n) for name, n in zip(querysets, values, strict=True)}


# What a queue row shows (page and API): the long texts and personal columns stay behind.
QUEUE_ROW_FIELDS = (
    "id", "application_id", "organisation_id", "revision", "level", "status", "active_since", "deadline",
    "application__id", "application__series", "application__level", "application__status",
    "application__applicant_id",
    "application__unit_id", "application__applicant__id", "application__applicant__full_name",
    "application__unit__id", "application__unit__name",
)


def units_in_remit(user: User) -> list[Organisation]:
    """The units whose applications reach the user's levels (the queue's unit filter), from the
    chain's declared inverse of each level's holder: an index lookup on organisations, not a scan
    of every step the user's organisation ever held."""
    if not user.is_authenticated or user.organisation_id is None:
        return []
    if user.role == Role.TENANT_ADMIN:
        remit = Q(tenant_id=user.tenant_id)
    else:
        remit = Q(pk__in=[])
        for level in _levels_for(user):
            remit |= DEFINITIONS[level].units_held(user.organisation_id)
    return list(
        Organisation.objects.filter(remit, kind=Organisation.Kind.UNIT).only("id", "name").order_by("name", "id")
    )


def review_queue(user: User, filters: QueueFilters, *, at: datetime | None = None) -> Queue:
    """The user's queue: three queries whatever the number of rows (counts, rows, units)."""
    now = at or timezone.now()
    held = steps_held_by(user).exclude(status=ReviewStep.Status.WAITING)
    if filters.series:
        held = held.filter(application__series=filters.series)
    if filters.level:
        held = held.filter(application__level=filters.level)
    if filters.unit:
        held = held.filter(application__unit_id=filters.unit)
    active = held.filter(status=ReviewStep.Status.ACTIVE)
    counts = _capped_counts(
        {
            "active": active,
            "overdue": active.filter(deadline__lt=now),
            "approved": held.filter(status=ReviewStep.Status.APPROVED),
            "returned": held.filter(status=ReviewStep.Status.RETURNED),
            "rejected": held.filter(status=ReviewStep.Status.REJECTED),
        }
    )
    rows = held.filter(status=filters.status)
    if filters.overdue:
        rows = rows.filter(deadline__lt=now)
    if filters.after:
        micros, pk = (int(part) for part in filters.after.rsplit("-", 1))
        since = EPOCH + micros * MICROSECOND
        rows = rows.filter(Q(active_since__gt=since) | Q(active_since=since, id__gt=pk))
    rows = list(
        rows.select_related("application__applicant", "application__unit")
        .only(*QUEUE_ROW_FIELDS)
        .order_by("active_since", "id")[: QUEUE_LIMIT + 1]
    )
    has_next = len(rows) > QUEUE_LIMIT
    rows = rows[:QUEUE_LIMIT]
    return Queue(
        rows=rows,
        counts=counts,
        # Read only when the page's unit filter is not in the cache (review/queue.html).
        units=SimpleLazyObject(lambda: units_in_remit(user)),
        filters=filters,
        now=now,
        has_next=has_next,
        next_after=_cursor(rows[-1]) if has_next else "",
    )


@dataclass
class Timeline:
    steps: list[ReviewStep]
    returns: list[ReviewTransition]
    open_problems: list[ReturnProblem]
    revision: int | None
    # Lines of the entrusted path and of appeals, oldest first (review.entrusted, review.appeals).
    notes: list[tuple[datetime, str]] = field(default_factory=list)
    # The decision the applicant or unit may appeal now, and who would re-examine (review.appeals).
    appeal: dict | None = None

    @property
    def active(self) -> ReviewStep | None:
        """The level holding the application now."""
        return next((step for step in self.steps if step.status == ReviewStep.Status.ACTIVE), None)


def application_timeline(application: Application) -> Timeline:
    """The applicant's view of the chain: the current revision's levels with state, since when,
    deadline and opinion; every earlier return with its problems; the problems still to fix."""
    steps = list(
        ReviewStep.objects.filter(application=application).select_related("organisation").order_by("-revision", "order")
    )
    revision = steps[0].revision if steps else None
    current = [step for step in steps if step.revision == revision]
    returns = list(
        ReviewTransition.objects.filter(application=application, kind=ReviewTransition.Kind.RETURN)
        .select_related("step__organisation")
        .prefetch_related("problems")
        .order_by("-created_at", "-id")
    )
    open_problems: list[ReturnProblem] = []
    closed = (Application.Status.RETURNED, Application.Status.REJECTED)
    if returns and application.status in closed and returns[0].revision == revision:
        open_problems = list(returns[0].problems.all())
    from review import appeals, entrusted

    notes = sorted(entrusted.notes(application) + appeals.notes(application), key=lambda line: line[0])
    return Timeline(
        steps=current,
        returns=returns,
        open_problems=open_problems,
        revision=revision,
        notes=notes,
        appeal=appeals.appeal_offer(application),
    )


def current_step(application: Application) -> ReviewStep | None:
    return (
        ReviewStep.objects.select_related("organisation", "submission")
        .filter(application=application)
        .order_by("-revision", "order")
        .filter(status=ReviewStep.Status.ACTIVE)
        .first()
    )


def steps_of_current_revision(application: Application) -> list[ReviewStep]:
    latest = ReviewStep.objects.filter(application=application).order_by("-revision").values("revision")[:1]
    return list(
        ReviewStep.objects.filter(application=application, revision__in=latest)
        .select_related("organisation", "decided_by")
        .order_by("order")
    )


DOCUMENT_BOX = {"unit": "unit", "department": "department", "county": "bureau", "city": "bureau"}


def document_opinions(submission) -> list[dict]:
    """The opinion boxes of the printed forms, from the approved steps of this submission: one
    per box (unit, department, bureau — the highest bureau level that has signed)."""
    if submission.pk is None:  # a preview of an unsaved snapshot has no review yet
        return []
    boxes: dict[str, dict] = {}
    steps = (
        ReviewStep.objects.filter(submission=submission, status=ReviewStep.Status.APPROVED)
        .select_related("organisation")
        .order_by("order")
    )
    for step in steps:
        box = DOCUMENT_BOX.get(step.level)
        if box is None:
            continue
        on = timezone.localtime(step.decided_at).date() if step.decided_at else None
        boxes[box] = {
            "level": box,
            "text": step.opinion or "同意。",
            "by": step.organisation.name if step.organisation_id else "",
            "on": chinese_date(on),
        }
    return list(boxes.values())
