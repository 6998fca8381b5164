"""The dates of the 公示表 (003_c25e803c7aeb4e62.txt 五(六)).

"上传昆明市专业技术人员职称考核认定公示表原件（附件1），公示时间不少于5个工作日（周末节假日不包括在内）……
考核认定公示表中“本人郑重承诺”落款日期需早于公示时间；“单位审核意见”落款日期需在公示期满结束后。"

Two places check them:
- the sheet the product generates (the unit procedure's publicity, ``review.procedure``): a candidate
  whose pledge (诚信承诺书) was not signed before the publicity starts cannot be published, and the
  unit's opinion (its approval at the unit level) cannot be given until the publicity has ended;
- a sheet the unit brings (signed on paper and uploaded): the unit enters the four dates printed on it,
  checked here, where the tenant's document names the sheet (setting ``publicity_sheet``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import UNIT_ROLES, User
from applications.models import Application
from core.audit import audit
from core.dates import local_date
from review.models import PublicitySheetDates
from rules.windows import CST
from units.services import Errors
from units.tenant_settings import setting

FIELDS = {
    "pledge_signed_on": gettext_lazy("“本人郑重承诺”落款日期"),
    "publicity_starts_on": gettext_lazy("公示开始日期"),
    "publicity_ends_on": gettext_lazy("公示结束日期"),
    "unit_opinion_signed_on": gettext_lazy("“单位审核意见”落款日期"),
}


def cn(day: date) -> str:
    """A day in a message, in the page's language."""
    return local_date(day)


def sheet_setting(tenant) -> dict[str, Any]:
    """The tenant's ``publicity_sheet`` setting ({} when its document names no sheet)."""
    return setting(tenant, "publicity_sheet") or {}


def applies(application: Application) -> bool:
    return bool(sheet_setting(application.tenant).get("slot"))


def working_days_in(starts_on: date, ends_on: date) -> int:
    """Working days from ``starts_on`` to ``ends_on``, both included (rules.workdays; may raise
    ``CalendarUnknownError`` for a year whose holidays are not recorded)."""
    from rules.workdays import is_working_day, load_overrides

    overrides = load_overrides(starts_on, ends_on)
    span = (ends_on - starts_on).days + 1
    return sum(is_working_day(starts_on + timedelta(days=n), overrides=overrides) for n in range(max(span, 0)))


def _parse(errors: Errors, field: str, value: Any) -> date | None:
    label = FIELDS[field]
    if isinstance(value, datetime):
        return value.astimezone(CST).date()
    if isinstance(value, date):
        return value
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        errors.add(field, _("请填写%(label)s（公示表上的落款日期）。") % {"label": label})
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.add(field, _("%(label)s不是有效日期，请按“年-月-日”填写，如2024-08-05。") % {"label": label})
        return None


def date_errors(*, tenant, data: dict[str, Any], today: date) -> tuple[dict[str, date], Errors]:
    """Parse and check the four dates of one sheet; every problem names its field and the limit."""
    errors = Errors()
    days = {field: _parse(errors, field, data.get(field)) for field in FIELDS}
    pledge, starts, ends, opinion = (days[f] for f in FIELDS)
    for field, day in days.items():
        if day is not None and day > today:
            message = _("%(label)s（%(day)s）不能晚于今天（%(today)s）。")
            errors.add(field, message % {"label": FIELDS[field], "day": cn(day), "today": cn(today)})
    if starts and ends:
        if ends < starts:
            errors.add(
                "publicity_ends_on",
                _("公示结束日期（%(ends)s）不能早于公示开始日期（%(starts)s）。")
                % {"ends": cn(ends), "starts": cn(starts)},
            )
        else:
            from rules.workdays import CalendarUnknownError

            minimum = tenant.publicity_working_days
            try:
                counted = working_days_in(starts, ends)
            except CalendarUnknownError as error:
                errors.add("publicity_ends_on", str(error))
            else:
                if counted < minimum:
                    errors.add(
                        "publicity_ends_on",
                        _("公示时间不少于%(minimum)s个工作日（周末节假日不计），"
                          "%(starts)s至%(ends)s只有%(counted)s个工作日。")
                        % {"minimum": minimum, "starts": cn(starts), "ends": cn(ends), "counted": counted},
                    )
    if pledge and starts and pledge >= starts:
        errors.add(
            "pledge_signed_on",
            _("“本人郑重承诺”落款日期（%(pledge)s）须早于公示开始日期（%(starts)s），即不晚于%(latest)s。")
            % {"pledge": cn(pledge), "starts": cn(starts), "latest": cn(starts - timedelta(days=1))},
        )
    if opinion and ends and opinion <= ends:
        errors.add(
            "unit_opinion_signed_on",
            _("“单位审核意见”落款日期（%(opinion)s）须在公示期满（%(ends)s）之后，即不早于%(earliest)s。")
            % {"opinion": cn(opinion), "ends": cn(ends), "earliest": cn(ends + timedelta(days=1))},
        )
    return {k: v for k, v in days.items() if v is not None}, errors


def may_record(user: User, application: Application) -> bool:
    """The applicant's own unit, while the application is at the unit (submitted or back to it)."""
    return (
        getattr(user, "is_authenticated", False)
        and user.role in UNIT_ROLES
        and user.organisation_id is not None
        and user.organisation_id == application.unit_id
        and application.status in (Application.Status.SUBMITTED, Application.Status.RETURNED)
    )


def publicity_sheet_dates_record(
    *, actor: User, application: Application, data: dict[str, Any], request=None, at: datetime | None = None
) -> PublicitySheetDates:
    """The unit enters (or corrects) the dates signed on the application's 公示表."""
    at = at or timezone.now()
    if not may_record(actor, application):
        raise PermissionDenied
    if not applies(application):
        raise ValidationError({"__all__": [_("本地区的申报材料中没有需要核对落款日期的公示表。")]})
    days, errors = date_errors(tenant=application.tenant, data=data, today=at.astimezone(CST).date())
    errors.raise_if_any()
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if not may_record(actor, locked):
            raise PermissionDenied
        row, created = PublicitySheetDates.objects.update_or_create(
            application=locked, defaults={**days, "recorded_by": actor, "recorded_at": at}
        )
        audit(
            action="publicity_sheet_dates_recorded" if created else "publicity_sheet_dates_corrected",
            actor=actor,
            target=locked,
            request=request,
            **{field: day.isoformat() for field, day in days.items()},
        )
    return row


def recorded(application: Application) -> PublicitySheetDates | None:
    return PublicitySheetDates.objects.filter(application=application).first()


def pledge_days(applications) -> dict[int, date]:
    """Application id → the day of the pledge that went with its submission: the online pledge
    (诚信承诺书), signed before submitting, so never later than the submission itself."""
    from applications.models import Pledge

    applications = list(applications)
    signed = dict(
        Pledge.objects.filter(application_id__in=[a.pk for a in applications]).values_list(
            "application_id", "signed_at"
        )
    )
    days: dict[int, date] = {}
    for application in applications:
        moments = [m for m in (signed.get(application.pk), application.submitted_at) if m is not None]
        if application.pk in signed and moments:
            days[application.pk] = min(moments).astimezone(CST).date()
    return days


def pledge_errors(candidates, starts_on: date, errors: Errors) -> None:
    """The generated sheet: each candidate's pledge signed before the publicity starts."""
    days = pledge_days(c.application for c in candidates)
    for candidate in candidates:
        name = candidate.application.applicant.full_name
        day = days.get(candidate.application_id)
        if day is None:
            errors.add("starts_on", _("%(name)s：尚未签署诚信承诺书，“本人郑重承诺”须早于公示时间。") % {"name": name})
            continue
        if day >= starts_on:
            errors.add(
                "starts_on",
                _("%(name)s：“本人郑重承诺”落款日期（%(day)s）须早于公示开始日期（%(starts)s），"
                  "公示最早从%(earliest)s起的第一个工作日开始。")
                % {"name": name, "day": cn(day), "starts": cn(starts_on), "earliest": cn(day + timedelta(days=1))},
            )


def publicity_opinion_blocker(application: Application, at: datetime | None = None) -> str | None:
    """The unit's opinion (its approval) comes after the publicity of a procedure the application is
    a candidate in has ended; None when it is in no publicity, or the publicity has ended."""
    from review.models import ProcedureCandidate, UnitProcedure

    today = (at or timezone.now()).astimezone(CST).date()
    candidate = (
        ProcedureCandidate.objects.filter(
            application=application,
            excluded=False,
            procedure__status=UnitProcedure.Status.PUBLICITY,
            procedure__publicity_ends_on__gte=today,
        )
        .select_related("procedure")
        .first()
    )
    if candidate is None:
        return None
    ends = candidate.procedure.publicity_ends_on
    return (
        _("“单位审核意见”须在公示期满结束后填写：本单位公示至%(ends)s，%(next)s起方可审核通过。")
        % {"ends": cn(ends), "next": cn(ends + timedelta(days=1))}
    )


def approval_blocker(application: Application) -> str | None:
    """Why the unit may not approve yet because of the sheet's dates, or None: the tenant's document
    requires the dates (``publicity_sheet.required``) and they were not entered."""
    config = sheet_setting(application.tenant)
    if not config.get("slot") or not config.get("required"):
        return None
    if PublicitySheetDates.objects.filter(application=application).exists():
        return None
    return _("请先在“公示表落款日期”中录入并核对公示表上的承诺、公示和单位审核意见日期，再审核通过。")
