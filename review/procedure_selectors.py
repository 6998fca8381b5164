"""Reads of the unit's recommendation procedure, scoped to the unit's own handler and head
(anything else is 404), and the one ranking every page, API and document uses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from applications.models import Application
from review.chain import Level
from review.models import (
    Objection,
    PostQuota,
    ProcedureCandidate,
    ProcedureScore,
    ReviewGroupMember,
    ReviewStep,
    UnitProcedure,
)
from units.models import DispatchPlacement, Organisation

UNIT_ROLES = frozenset({Role.UNIT_HANDLER, Role.UNIT_HEAD})


def can_run_procedure(user: User, unit: Organisation | None = None) -> bool:
    """The unit's handler and head run their own unit's procedure."""
    if not user.is_authenticated or user.role not in UNIT_ROLES or user.organisation_id is None:
        return False
    return unit is None or unit.pk == user.organisation_id


def procedures_for_user(user: User) -> QuerySet[UnitProcedure]:
    if not can_run_procedure(user):
        return UnitProcedure.objects.none()
    return UnitProcedure.objects.filter(unit_id=user.organisation_id).select_related("unit", "tenant")


def get_procedure_for_user(user: User, pk: int) -> UnitProcedure:
    return get_object_or_404(procedures_for_user(user), pk=pk)


def get_objection_for_user(user: User, pk: int) -> Objection:
    return get_object_or_404(
        Objection.objects.filter(procedure__in=procedures_for_user(user)).select_related(
            "procedure", "candidate__application__applicant"
        ),
        pk=pk,
    )


def eligible_applications(user: User) -> QuerySet[Application]:
    """Applications waiting at the user's unit level (the ones a procedure may take up)."""
    if not can_run_procedure(user):
        return Application.objects.none()
    waiting = ReviewStep.objects.filter(
        organisation_id=user.organisation_id, level=Level.UNIT, status=ReviewStep.Status.ACTIVE
    ).values("application_id")
    return (
        Application.objects.filter(pk__in=waiting, unit_id=user.organisation_id)
        .select_related("applicant")
        .order_by("submitted_at", "pk")
    )


@dataclass
class RankedCandidate:
    candidate: ProcedureCandidate
    rank: int | None
    total: Decimal | None
    scored_by: int

    @property
    def application(self) -> Application:
        return self.candidate.application


TWO_PLACES = Decimal("0.01")


def candidates_with_scores(procedure: UnitProcedure) -> list[ProcedureCandidate]:
    """Candidates with applicant and scores: two queries however many there are."""
    return list(
        ProcedureCandidate.objects.filter(procedure=procedure)
        .select_related("application__applicant")
        .prefetch_related(Prefetch("scores", queryset=ProcedureScore.objects.order_by("member_id")))
        .order_by("id")
    )


def ranking(procedure: UnitProcedure, candidates: list[ProcedureCandidate] | None = None) -> list[RankedCandidate]:
    """The unit's one ranking (002 第七条(七) 综合排序; 002 第九条4: the same unit's ranking must
    be identical wherever it appears, so every page, the API, the 公示表 and the list use this).

    Total = mean of the group members' scores, rounded half-up to 0.01. Order: total descending;
    tie-break: earlier first submission (``Application.submitted_at``), then lower application id.
    Candidates not yet scored by anyone, and those excluded after an upheld objection, are listed
    last without a rank.
    """
    candidates = candidates if candidates is not None else candidates_with_scores(procedure)
    rows: list[RankedCandidate] = []
    for candidate in candidates:
        scores = [s.score for s in candidate.scores.all()]
        total = (sum(scores) / len(scores)).quantize(TWO_PLACES, ROUND_HALF_UP) if scores else None
        rows.append(RankedCandidate(candidate=candidate, rank=None, total=total, scored_by=len(scores)))

    def key(row: RankedCandidate):
        application = row.candidate.application
        submitted = application.submitted_at.timestamp() if application.submitted_at else float("inf")
        unranked = row.total is None or row.candidate.excluded
        return (unranked, -(row.total or 0), submitted, application.pk)

    rows.sort(key=key)
    rank = 0
    for row in rows:
        if row.total is not None and not row.candidate.excluded:
            rank += 1
            row.rank = rank
    return rows


def members(procedure: UnitProcedure) -> list[ReviewGroupMember]:
    return list(procedure.members.order_by("id"))


def objections(procedure: UnitProcedure) -> list[Objection]:
    return list(procedure.objections.select_related("candidate__application__applicant").order_by("id"))


@dataclass
class QuotaRow:
    level: str
    label: str
    vacant: int
    used: int

    @property
    def left(self) -> int:
        return self.vacant - self.used

    @property
    def shown(self) -> str:
        """The level's name in the page's language (``label`` stays Chinese for the 公示表)."""
        from rules import labels

        return str(labels.LEVELS.get(self.level, self.label))


def quota_rows(procedure: UnitProcedure, candidates: list[ProcedureCandidate] | None = None) -> list[QuotaRow]:
    """Vacant posts per level, and how many non-green-channel candidates are recommended."""
    from applications.models import LEVEL_CHOICES

    labels = dict(LEVEL_CHOICES)
    candidates = candidates if candidates is not None else candidates_with_scores(procedure)
    used: dict[str, int] = {}
    for candidate in candidates:
        if candidate.recommended and not candidate.green_channel:
            used[candidate.application.level] = used.get(candidate.application.level, 0) + 1
    return [
        QuotaRow(q.level, str(labels.get(q.level, q.level)), q.vacant_posts, used.get(q.level, 0))
        for q in PostQuota.objects.filter(procedure=procedure).order_by("level")
    ]


def dispatch_placement(application: Application) -> DispatchPlacement | None:
    """The dispatch company the applicant works through at the filing unit, if any."""
    return (
        DispatchPlacement.objects.filter(person_id=application.applicant_id, user_unit_id=application.unit_id)
        .select_related("dispatch_company")
        .order_by("-starts_on", "-id")
        .first()
    )


def dispatch_applications_for_company(user: User) -> QuerySet[Application]:
    """Applications of people the user's dispatch company placed elsewhere."""
    if not can_run_procedure(user):
        return Application.objects.none()
    people = DispatchPlacement.objects.filter(dispatch_company_id=user.organisation_id)
    return (
        Application.objects.exclude(status=Application.Status.DRAFT)
        .filter(
            applicant_id__in=people.values("person_id"),
            unit_id__in=people.values("user_unit_id"),
        )
        .select_related("applicant", "unit")
        .order_by("submitted_at", "pk")
    )


def get_dispatch_application_for_user(user: User, pk: int) -> Application:
    return get_object_or_404(dispatch_applications_for_company(user), pk=pk)
