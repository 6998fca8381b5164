"""Reads that need care: jurisdiction, the pool an expert is drawn from, and scoped getters
(anything outside the user's remit is ``Http404``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from committees import permissions
from committees.models import AgendaItem, Committee, Expert, Meeting, MeetingExpert, Vote

ENTRUSTED = "entrusted"


def jurisdiction_for(tenant, series: str, level: str, *, unit=None) -> Committee | str:
    """The committee of ``tenant`` that may judge ``series`` × ``level``, or ``ENTRUSTED``.

    A 自主评审 unit's own committee comes first for its people; otherwise the tenant's committees.
    Where the tenant has no authority the application goes to entrusted review (委托评审) and needs an
    entrustment letter (001_272b0a6ee81b04e4.txt 四; 004_318552047dacbbf4.txt 一(五)).
    """
    committees = list(Committee.objects.filter(tenant=tenant, is_active=True).order_by("id"))
    if unit is not None:
        for committee in committees:
            if committee.self_review_unit_id == unit.pk and committee.judges(series, level):
                return committee
    for committee in committees:
        if committee.self_review_unit_id is None and committee.judges(series, level):
            return committee
    return ENTRUSTED


def committee_for_application(application) -> Committee | None:
    """The committee an application reaches: its own ``committee`` if chosen, else by jurisdiction."""
    committee_id = getattr(application, "committee_id", None)
    if committee_id:
        return Committee.objects.filter(pk=committee_id, tenant_id=application.tenant_id).first()
    found = jurisdiction_for(application.tenant, application.series, application.level, unit=application.unit)
    return None if found == ENTRUSTED else found


def eligible_experts(committee: Committee, on: date) -> list[Expert]:
    """The pool a draw picks from: in the committee, active, not retired on ``on`` and working in
    one of the committee's series (001 五(三): retired, out of specialty or removed → out)."""
    pool = (
        Expert.objects.filter(committees=committee, tenant_id=committee.tenant_id, status=Expert.Status.ACTIVE)
        .select_related("user")
        .order_by("id")
    )
    return [e for e in pool if not e.is_retired(on) and e.series in committee.series and e.user.is_active]


@dataclass(frozen=True)
class PoolShares:
    total: int
    eligible: int
    young: int
    external: int

    @staticmethod
    def _share(part: int, whole: int) -> str:
        return f"{part * 100 / whole:.0f}%" if whole else "—"

    @property
    def young_share(self) -> str:
        return self._share(self.young, self.eligible)

    @property
    def external_share(self) -> str:
        return self._share(self.external, self.eligible)


def pool_shares(committee: Committee, experts: list[Expert], on: date) -> PoolShares:
    eligible = eligible_experts(committee, on)
    return PoolShares(
        total=len(experts),
        eligible=len(eligible),
        young=sum(1 for e in eligible if e.is_young(on)),
        external=sum(1 for e in eligible if e.is_external),
    )


# --- Scoped getters --------------------------------------------------------------------------------


def committees_for(user) -> QuerySet[Committee]:
    if permissions.is_secretary(user) or permissions.is_results_reader(user):
        return Committee.objects.filter(tenant_id=user.tenant_id)
    return Committee.objects.none()


def get_committee_for_secretary(user, pk: int) -> Committee:
    if not permissions.is_secretary(user):
        raise Http404
    committee = Committee.objects.filter(pk=pk, tenant_id=user.tenant_id).first()
    if committee is None:
        raise Http404
    return committee


def get_expert_for_secretary(user, pk: int) -> Expert:
    if not permissions.is_secretary(user):
        raise Http404
    expert = Expert.objects.select_related("user").filter(pk=pk, tenant_id=user.tenant_id).first()
    if expert is None:
        raise Http404
    return expert


def meetings_for_secretary(user) -> QuerySet[Meeting]:
    if not permissions.is_secretary(user):
        return Meeting.objects.none()
    return (
        Meeting.objects.filter(tenant_id=user.tenant_id)
        .select_related("committee")
        .annotate(item_count=Count("items", distinct=True))
    )


def get_meeting_for_secretary(user, pk: int) -> Meeting:
    meeting = meetings_for_secretary(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def meetings_for_expert(user) -> QuerySet[Meeting]:
    if not permissions.is_expert(user):
        return Meeting.objects.none()
    return (
        Meeting.objects.filter(tenant_id=user.tenant_id, assignments__expert__user=user)
        .select_related("committee")
        .annotate(item_count=Count("items", distinct=True))
    )


def get_meeting_for_expert(user, pk: int) -> Meeting:
    meeting = meetings_for_expert(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def get_item_for_expert(user, pk: int) -> AgendaItem:
    """An agenda item (with its frozen snapshot) of a meeting the expert was drawn for; else 404."""
    if not permissions.is_expert(user):
        raise Http404
    item = (
        AgendaItem.objects.select_related("meeting__committee", "application__unit", "application__applicant",
                                          "submission")
        .filter(pk=pk, meeting__tenant_id=user.tenant_id, meeting__assignments__expert__user=user)
        .first()
    )
    if item is None:
        raise Http404
    return item


def items_for_expert(user, meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items with the expert's own vote attached (``my_vote``); nobody else's."""
    own = Vote.objects.filter(expert__user=user)
    return list(
        meeting.items.select_related("application__unit", "application__applicant")
        .prefetch_related(Prefetch("votes", queryset=own, to_attr="my_votes"))
        .order_by("order")
    )


def assignment_of(user, meeting: Meeting) -> MeetingExpert | None:
    return MeetingExpert.objects.filter(meeting=meeting, expert__user=user).select_related("expert").first()


def results_for(user) -> QuerySet[Meeting]:
    """Reported meetings of the user's tenant, for the bureau's results page."""
    if not permissions.is_results_reader(user):
        return Meeting.objects.none()
    return (
        Meeting.objects.filter(tenant_id=user.tenant_id, status=Meeting.Status.REPORTED)
        .select_related("committee")
        .annotate(
            item_count=Count("items", distinct=True),
            passed_count=Count("items", filter=Q(items__outcome=AgendaItem.Outcome.PASSED), distinct=True),
        )
    )


def get_result_for(user, pk: int) -> Meeting:
    """A meeting's minutes/result: the secretary at any time after close, the bureau once reported."""
    if permissions.is_secretary(user):
        meeting = Meeting.objects.filter(
            pk=pk, tenant_id=user.tenant_id, status__in=[Meeting.Status.CLOSED, Meeting.Status.REPORTED]
        ).first()
    else:
        meeting = results_for(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def agenda_candidates(committee: Committee) -> list:
    """Applications waiting at the committee level whose jurisdiction is this committee and that are
    on no open meeting's agenda."""
    from applications.models import Application
    from review.chain import Level
    from review.models import ReviewStep

    waiting = (
        Application.objects.filter(
            tenant_id=committee.tenant_id,
            review_steps__level=Level.COMMITTEE,
            review_steps__status=ReviewStep.Status.ACTIVE,
        )
        .exclude(pk__in=AgendaItem.objects.filter(meeting__status__in=[Meeting.Status.PLANNED, Meeting.Status.DRAWN])
                 .values("application_id"))
        .select_related("applicant", "unit", "tenant")
        .distinct()
        .order_by("pk")
    )
    result = []
    for application in waiting:
        found = committee_for_application(application)
        if found is not None and found.pk == committee.pk:
            result.append(application)
    return result
