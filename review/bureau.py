"""Bureau tools: integrity findings (诚信档案) and the remit they are recorded in.

A fraud finding against a person bans their filing for the tenant's period
(``Tenant.fraud_ban_years``: 2 years in Hebei/Tangshan, 002_743bb57fc6424707.txt 公示 clause
"两年内不允许申报"; 3 years in Kunming, 003_c25e803c7aeb4e62.txt 五(一) "记录期限为3年"; 3 years in
Huzhou, 004_318552047dacbbf4.txt 五(五) "从评审次年起3年内不得申报"), counted in whole years from
1 January of the year after the review (004 五(五) "从评审次年起"). A finding against a unit suspends its
filing and recommendations for the next quarter or for a year (003_c25e803c7aeb4e62.txt 五(二)1–2).
Both are ``units.models.FilingRestriction`` rows of kind integrity: filing and review read them.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from core import crypto
from core.audit import audit
from core.dates import local_date
from core.idnumbers import mask_id_number
from rules.windows import CST
from units.models import FilingRestriction, Organisation
from units.services import Errors

INTEGRITY_ROLES = frozenset({Role.COUNTY_REVIEWER, Role.CITY_REVIEWER, Role.TENANT_ADMIN})
REASON_MAX = 200

SUSPENSION_QUARTER = "quarter"
SUSPENSION_YEAR = "year"
# Stored in Chinese in the restriction's reason; the form shows them translated.
SUSPENSIONS = {SUSPENSION_QUARTER: gettext_noop("暂停下一季度"), SUSPENSION_YEAR: gettext_noop("暂停1年")}


def may_record_integrity(user: User) -> bool:
    return bool(user.is_authenticated and user.role in INTEGRITY_ROLES and user.tenant_id)


def _require(user: User) -> None:
    if not may_record_integrity(user):
        raise Http404


def _county_district(user: User) -> int | None:
    """A county reviewer's remit is their district; city reviewers and tenant admins see the tenant."""
    if user.role == Role.COUNTY_REVIEWER:
        return user.organisation.district_id if user.organisation_id else -1
    return None


def units_in_remit(user: User) -> QuerySet[Organisation]:
    _require(user)
    qs = Organisation.objects.filter(tenant_id=user.tenant_id, kind=Organisation.Kind.UNIT)
    district = _county_district(user)
    if district is not None:
        qs = qs.filter(district_id=district)
    return qs


def people_in_remit(user: User) -> QuerySet[User]:
    _require(user)
    qs = User.objects.filter(tenant_id=user.tenant_id, role=Role.APPLICANT)
    district = _county_district(user)
    if district is not None:
        qs = qs.filter(organisation__district_id=district)
    return qs


def findings_for(user: User) -> QuerySet[FilingRestriction]:
    """Integrity findings the user may see: their tenant's, narrowed to a county reviewer's district."""
    _require(user)
    qs = FilingRestriction.objects.filter(tenant_id=user.tenant_id, kind=FilingRestriction.Kind.INTEGRITY)
    district = _county_district(user)
    if district is not None:
        qs = qs.filter(Q(person__organisation__district_id=district) | Q(unit__district_id=district))
    return qs.select_related("person__organisation", "unit").order_by("-starts_on", "-id")


def get_finding(user: User, pk: int) -> FilingRestriction:
    return get_object_or_404(findings_for(user), pk=pk)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def next_quarter(day: date) -> tuple[date, date]:
    """The calendar quarter after the one ``day`` falls in (003 五(二)1 "暂停用人单位下一季度")."""
    first_month = ((day.month - 1) // 3 + 1) * 3 + 1
    year = day.year + (first_month - 1) // 12
    first_month = (first_month - 1) % 12 + 1
    last_month = first_month + 2
    return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def review_year(person: User, at: datetime) -> int:
    """The year of the review a finding against ``person`` concerns: the year the person's latest
    application submitted by ``at`` was submitted (the batch under review); without one, the year of
    the finding itself."""
    from applications.models import Application

    submitted = (
        Application.objects.filter(applicant=person, submitted_at__isnull=False, submitted_at__lte=at)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    return (submitted or at).astimezone(CST).year


def person_ban_period(user_tenant, year_of_review: int) -> tuple[date, date]:
    """From 1 January of the year after the review, for the tenant's number of years
    (004_318552047dacbbf4.txt 五(五) "从评审次年起3年内不得申报"): a 2024 review with 3 years bans
    2025-01-01 to 2027-12-31."""
    years = user_tenant.fraud_ban_years or 3
    starts = date(year_of_review + 1, 1, 1)
    return starts, _add_years(starts, years) - timedelta(days=1)


def unit_suspension_period(period: str, on: date) -> tuple[date, date]:
    if period == SUSPENSION_QUARTER:
        return next_quarter(on)
    return on, _add_years(on, 1) - timedelta(days=1)


def record_person_finding(
    *, actor: User, id_number: str, reason: str, request=None, at: datetime | None = None
) -> FilingRestriction:
    """Ban a person found to have filed false material from filing for the tenant's period, counted
    from the year after the review (004 五(五))."""
    _require(actor)
    errors = Errors()
    reason = (reason or "").strip()
    number = (id_number or "").strip().upper()
    if not reason:
        errors.add("reason", _("请写明认定的弄虚作假情形。"))
    elif len(reason) > REASON_MAX:
        errors.add("reason", _("认定情形不能超过%(max)d字。") % {"max": REASON_MAX})
    person = None
    if not number:
        errors.add("id_number", _("请填写申报人的身份证号。"))
    else:
        person = people_in_remit(actor).filter(id_number_digest=crypto.digest(number)).first()
        if person is None:
            errors.add("id_number", _("在您的管辖范围内没有找到该身份证号的申报人。"))
    errors.raise_if_any()
    at = at or timezone.now()
    year = review_year(person, at)
    starts, ends = person_ban_period(actor.tenant, year)
    with transaction.atomic():
        finding = FilingRestriction.objects.create(
            tenant_id=actor.tenant_id,
            person=person,
            kind=FilingRestriction.Kind.INTEGRITY,
            reason=reason,
            starts_on=starts,
            ends_on=ends,
        )
        audit(
            action="integrity_person_recorded",
            actor=actor,
            target=finding,
            request=request,
            person=person.pk,
            id_number=mask_id_number(number),
            review_year=year,
            starts_on=starts.isoformat(),
            ends_on=ends.isoformat(),
        )
    return finding


def record_unit_finding(
    *, actor: User, unit_id: int | None, period: str, reason: str, request=None, at: datetime | None = None
) -> FilingRestriction:
    """Suspend a unit's filing and recommendations for the next quarter or a year."""
    _require(actor)
    errors = Errors()
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", _("请写明认定的情形。"))
    elif len(reason) > REASON_MAX:
        errors.add("reason", _("认定情形不能超过%(max)d字。") % {"max": REASON_MAX})
    if period not in SUSPENSIONS:
        errors.add("period", _("请选择暂停期限（下一季度或1年）。"))
    unit = units_in_remit(actor).filter(pk=unit_id).first() if unit_id else None
    if unit is None:
        errors.add("unit", _("请选择您管辖范围内的用人单位。"))
    errors.raise_if_any()
    on = (at or timezone.now()).astimezone(CST).date()
    starts, ends = unit_suspension_period(period, on)
    with transaction.atomic():
        finding = FilingRestriction.objects.create(
            tenant_id=actor.tenant_id,
            unit=unit,
            kind=FilingRestriction.Kind.INTEGRITY,
            reason=f"{reason}（{SUSPENSIONS[period]}）"[:REASON_MAX],
            starts_on=starts,
            ends_on=ends,
        )
        audit(
            action="integrity_unit_recorded",
            actor=actor,
            target=finding,
            request=request,
            unit=unit.pk,
            period=period,
            ends_on=ends.isoformat(),
        )
    return finding


def lift_finding(
    *, actor: User, finding: FilingRestriction, note: str, request=None, at: datetime | None = None
) -> FilingRestriction:
    """End a finding early (e.g. overturned on appeal): it ends yesterday; the audit keeps the old end."""
    _require(actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请写明解除原因。")]})
    if len(note) > REASON_MAX:
        raise ValidationError({"note": [_("解除原因不能超过%(max)d字。") % {"max": REASON_MAX}]})
    today = (at or timezone.now()).astimezone(CST).date()
    with transaction.atomic():
        locked = FilingRestriction.objects.select_for_update().get(pk=get_finding(actor, finding.pk).pk)
        if locked.ends_on < today:
            raise ValidationError({"__all__": [_("该记录已经失效，无需解除。")]})
        previous = locked.ends_on
        locked.ends_on = today - timedelta(days=1)
        if locked.starts_on > locked.ends_on:
            locked.starts_on = locked.ends_on
        locked.save(update_fields=["ends_on", "starts_on"])
        audit(
            action="integrity_lifted",
            actor=actor,
            target=locked,
            request=request,
            note=note,
            previous_ends_on=previous.isoformat(),
        )
    return locked


def unit_suspension(unit_id: int | None, on: date) -> FilingRestriction | None:
    """The integrity suspension in force for a unit on ``on`` (refuses its submissions and recommendations)."""
    if not unit_id:
        return None
    return (
        FilingRestriction.objects.filter(
            unit_id=unit_id, kind=FilingRestriction.Kind.INTEGRITY, starts_on__lte=on, ends_on__gte=on
        )
        .order_by("-ends_on")
        .first()
    )


def suspension_message(restriction: FilingRestriction) -> str:
    return _(
        "该单位因诚信问题被暂停申报推荐：%(reason)s，至%(until)s止，"
        "期间不能推荐或审核通过本单位人员的申报。"
    ) % {"reason": restriction.reason, "until": local_date(restriction.ends_on)}
