"""Reads that need care: jurisdiction, the pool an expert is drawn from, and scoped getters
(anything outside the user's remit is ``Http404``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext, gettext_noop

from committees import permissions
from committees.models import (
    AgendaItem,
    Committee,
    ConfidentialityPledge,
    Expert,
    Meeting,
    MeetingExpert,
    PublicityObjection,
    Vote,
)
from core.dates import local_date

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


def conflicts_for(tenant_id: int, applications: list) -> dict[int, str]:
    """Expert id → why they may not judge these applications (回避): same unit as an applicant,
    or they decided one of the applications at an earlier level of its chain."""
    from review.models import ReviewStep

    units = {application.unit_id for application in applications}
    deciders = set(
        ReviewStep.objects.filter(application_id__in=[a.pk for a in applications], decided_by__isnull=False)
        .values_list("decided_by_id", flat=True)
    )
    found: dict[int, str] = {}
    for expert in Expert.objects.filter(tenant_id=tenant_id).only("id", "unit_id", "user_id"):
        if expert.unit_id is not None and expert.unit_id in units:
            found[expert.pk] = gettext_noop("与申报人同一单位")  # stored in draw_record: Chinese
        elif expert.user_id in deciders:
            found[expert.pk] = gettext_noop("曾在审核链中审核该申报")
    return found


@dataclass(frozen=True)
class Drawable:
    """Who a draw on ``on`` for these applications could pick: the eligible pool less those who
    must stand aside (the automatic exclusions, 回避)."""

    pool: list[Expert]
    excluded: dict[int, str]
    candidates: list[Expert]

    @property
    def count(self) -> int:
        return len(self.candidates)

    def explain(self) -> str:
        """可抽取 N 人 (pool, exclusions by reason), in plain words."""
        text = gettext("可抽取的专家%(count)s人") % {"count": self.count}
        if self.excluded:
            reasons: dict[str, int] = {}
            for reason in self.excluded.values():
                reasons[reason] = reasons.get(reason, 0) + 1
            detail = gettext("、").join(gettext("%(reason)s%(n)s人") % {
                "reason": gettext(reason),
                "n": n,
            } for reason, n in reasons.items())
            text += gettext("（专家库中符合条件的%(count)s人，须回避%(count2)s人：%(detail)s）") % {
                "count": len(self.pool),
                "count2": len(self.excluded),
                "detail": detail,
            }
        else:
            text += gettext("（专家库中符合条件的%(count)s人，无须回避人员）") % {"count": len(self.pool)}
        return text


def drawable(committee: Committee, on: date, applications: list) -> Drawable:
    pool = eligible_experts(committee, on)
    conflicts = conflicts_for(committee.tenant_id, applications)
    in_pool = {e.pk for e in pool}
    excluded = {pk: reason for pk, reason in conflicts.items() if pk in in_pool}
    return Drawable(pool=pool, excluded=excluded, candidates=[e for e in pool if e.pk not in excluded])


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


def committees_for_pool_manager(user) -> QuerySet[Committee]:
    if not permissions.is_pool_manager(user):
        return Committee.objects.none()
    return Committee.objects.filter(tenant_id=user.tenant_id)


def get_committee_for_pool_manager(user, pk: int) -> Committee:
    """The committee whose pool the secretary or the tenant admin keeps; anyone else gets 404."""
    committee = committees_for_pool_manager(user).filter(pk=pk).first()
    if committee is None:
        raise Http404
    return committee


def get_expert_for_secretary(user, pk: int) -> Expert:
    if not permissions.is_pool_manager(user):
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


def agenda_candidates(committee: Committee, meeting: Meeting | None = None) -> list:
    """Applications waiting at the committee level whose jurisdiction is this committee and that are
    on no open meeting's agenda (other than ``meeting``'s, when its plan is being edited)."""
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
                 .exclude(meeting_id=meeting.pk if meeting is not None else None)
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


# --- Confidentiality pledge and the frozen file ---------------------------------------------------


def has_pledged(user, meeting: Meeting) -> bool:
    return ConfidentialityPledge.objects.filter(meeting=meeting, user=user).exists()


def snapshot_attachments(snapshot: dict) -> dict[int, str]:
    """Attachment id → SHA-256 of every file the frozen snapshot names: uploads, diplomas,
    appointment letters, skill certificates, achievement proofs, the approved 破格 form."""
    found: dict[int, str] = {}

    def take(meta) -> None:
        if isinstance(meta, dict) and meta.get("id"):
            found[int(meta["id"])] = meta.get("sha256") or ""
        elif isinstance(meta, int):
            found[meta] = ""

    for row in snapshot.get("files", []):
        take(row)
    record = snapshot.get("record") or {}
    for key, field in (("education", "diploma"), ("titles", "appointment_letter"), ("skills", "certificate")):
        for row in record.get(key) or []:
            take(row.get(field))
    for row in snapshot.get("achievements") or []:
        take(row.get("proof"))
    approval = snapshot.get("exceptional_promotion_approval") or {}
    take(approval.get("attachment"))
    return found


def get_item_file_for_expert(user, item: AgendaItem, attachment_id: int):
    """A file of the item's frozen snapshot, unchanged since submission; anything else is 404."""
    from applications.models import Attachment

    frozen = snapshot_attachments(item.submission.snapshot)
    if attachment_id not in frozen:
        raise Http404
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or (frozen[attachment_id] and attachment.sha256 != frozen[attachment_id]):
        raise Http404
    return attachment


# --- Committee publicity and certificates ---------------------------------------------------------


def get_objection_for_secretary(user, pk: int) -> PublicityObjection:
    if not permissions.is_secretary(user):
        raise Http404
    objection = (
        PublicityObjection.objects.select_related("meeting__committee", "item")
        .filter(pk=pk, meeting__tenant_id=user.tenant_id)
        .first()
    )
    if objection is None:
        raise Http404
    return objection


def publicity_hold(item: AgendaItem, on: date) -> str:
    """Why a certificate must wait for this passed item's committee publicity, or ``""``: the
    result is published once reported (001 五(四)) and a certificate follows only when the
    publicity has ended without an objection left open or found true."""
    meeting = item.meeting
    reasons = []
    if meeting.status != Meeting.Status.REPORTED:
        reasons.append(gettext("评审委员会的评审结果尚未报送公示"))
    elif meeting.publicity_ends_on is None or on <= meeting.publicity_ends_on:
        if meeting.publicity_ends_on:
            until = gettext("至%(date)s") % {"date": local_date(meeting.publicity_ends_on)}
        else:
            until = gettext("中")
        reasons.append(gettext("评审结果正在公示（公示%(until)s），公示期满后方可发证") % {"until": until})
    objections = list(item.objections.all())
    if any(not o.is_resolved for o in objections):
        reasons.append(gettext("公示期间收到的异议尚未调查核实"))
    if any(o.upheld for o in objections):
        reasons.append(gettext("公示期间反映的问题经核实属实，不予发证"))
    return gettext("；").join(reasons)


@dataclass(frozen=True)
class CertificateHold:
    application_id: int
    applicant_name: str
    unit_name: str
    title: str
    reason: str


def certificate_holds(tenant_id: int, on: date, application_ids: list[int] | None = None) -> dict[int, CertificateHold]:
    """Application id → why its certificate waits for the committee's publicity, for every
    approved application of the tenant whose committee result is not yet free of publicity."""
    from applications.models import Application

    items = (
        AgendaItem.objects.filter(
            meeting__tenant_id=tenant_id,
            outcome=AgendaItem.Outcome.PASSED,
            meeting__status__in=[Meeting.Status.CLOSED, Meeting.Status.REPORTED],
            application__status=Application.Status.APPROVED,
        )
        .filter(**({"application_id__in": application_ids} if application_ids is not None else {}))
        .select_related("meeting", "application__applicant", "application__unit")
        .prefetch_related("objections")
        .order_by("application_id", "-meeting__closed_at", "-pk")
    )
    holds: dict[int, CertificateHold] = {}
    seen: set[int] = set()
    for item in items:
        if item.application_id in seen:
            continue
        seen.add(item.application_id)
        reason = publicity_hold(item, on)
        if reason:
            application = item.application
            holds[item.application_id] = CertificateHold(
                application_id=application.pk,
                applicant_name=application.applicant.full_name,
                unit_name=application.unit.name,
                title=f"{application.get_series_display()}{application.get_level_display()}",
                reason=reason,
            )
    return holds
