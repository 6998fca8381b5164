"""Entrusted review (委托评审), from the bureau's consent to the entrusted committee's result.

001_272b0a6ee81b04e4.txt 四: where the city has no committee for a series and level, "由市人力资源
社会保障部门资格审查并出具委托代评函，委托省内经核准备案的职称评审委员会代为评审"; "未经委托评审的，
评审结果无效". Such an application waits at the committee step, which no committee of the tenant
takes. Here the city bureau (a city reviewer or the tenant admin) records its consent naming the
entrusted authority and committee, which issues the 委托评审函 (certificates.entrustment renders it),
then records the entrusted committee's result with its result document; the committee step is
decided through ``review.services.review_decide(..., via_committee=True)``: passed → approved (next
level or 已通过), not passed → 未通过 with the result as the reason.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from applications.models import Application
from core.audit import audit
from core.dates import chinese_date, local_date
from review.chain import Action, Level
from review.models import EntrustedResult, EntrustedReview, ReviewStep
from units.models import Organisation
from units.services import Errors

AUTHORITY_MAX = 100
OPINION_MAX = 500
NUMBER_MAX = 60
ENTRUSTING_ROLES = frozenset({Role.CITY_REVIEWER, Role.TENANT_ADMIN})


def city_bureau(tenant_id: int) -> Organisation | None:
    return (
        Organisation.objects.filter(tenant_id=tenant_id, kind=Organisation.Kind.CITY_BUREAU).order_by("id").first()
    )


def may_entrust(user: User, application: Application) -> bool:
    """The city bureau of the application's tenant: its reviewers, or the tenant admin."""
    if not getattr(user, "is_authenticated", False) or user.role not in ENTRUSTING_ROLES:
        return False
    if user.tenant_id != application.tenant_id or not application.entrusted_review:
        return False
    if user.role == Role.TENANT_ADMIN:
        return True
    bureau = city_bureau(application.tenant_id)
    return bureau is not None and user.organisation_id == bureau.pk


def applications_for_entrusting(user: User) -> QuerySet[Application]:
    from review.selectors import applications_for_reviewer

    if not getattr(user, "is_authenticated", False) or user.role not in ENTRUSTING_ROLES:
        return Application.objects.none()
    return applications_for_reviewer(user).filter(entrusted_review=True, tenant_id=user.tenant_id)


def get_application_for_entrusting(user: User, pk: int) -> Application:
    """An entrusted application in the user's remit, else 404."""
    application = get_object_or_404(applications_for_entrusting(user), pk=pk)
    if not may_entrust(user, application):
        from django.http import Http404

        raise Http404
    return application


def committee_step(application: Application) -> ReviewStep | None:
    """The active committee step of the current revision, if the application waits there."""
    step = (
        ReviewStep.objects.filter(application=application, status=ReviewStep.Status.ACTIVE)
        .order_by("-revision", "order")
        .first()
    )
    return step if step is not None and step.level == Level.COMMITTEE else None


def may_decide_committee_step(*, actor: User, application: Application, step: ReviewStep) -> bool:
    """The hook ``review_decide`` asks when the committee level is decided for an entrusted
    application: the bureau that issued the letter records the entrusted committee's result."""
    return (
        step.level == Level.COMMITTEE
        and application.entrusted_review
        and EntrustedReview.objects.filter(application=application).exists()
        and may_entrust(actor, application)
    )


def _letter_number(tenant, year: int, serial: int) -> str:
    from certificates.notices import notice_header

    return f"{notice_header(tenant)['prefix']}委评〔{year}〕{serial}号"


def entrustment_consent(
    *,
    actor: User,
    application: Application,
    authority: str,
    committee_name: str,
    opinion: str = "",
    request=None,
    at: datetime | None = None,
) -> EntrustedReview:
    """Record the bureau's consent and issue the 委托评审函 (numbered per tenant and year)."""
    at = at or timezone.now()
    authority, committee_name = (authority or "").strip(), (committee_name or "").strip()
    opinion = (opinion or "").strip()
    errors = Errors()
    if not authority:
        errors.add("authority", _("请填写受托评审机构（如省人力资源社会保障厅）。"))
    elif len(authority) > AUTHORITY_MAX:
        errors.add("authority", _("受托评审机构不能超过%(max)s字。") % {"max": AUTHORITY_MAX})
    if not committee_name:
        errors.add("committee_name", _("请填写受托评审委员会的名称。"))
    elif len(committee_name) > AUTHORITY_MAX:
        errors.add("committee_name", _("受托评审委员会名称不能超过%(max)s字。") % {"max": AUTHORITY_MAX})
    if len(opinion) > OPINION_MAX:
        errors.add("opinion", _("资格审查意见不能超过%(max)s字。") % {"max": OPINION_MAX})
    errors.raise_if_any()
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).select_related("tenant").get(pk=application.pk)
        if not may_entrust(actor, locked):
            raise PermissionDenied
        if EntrustedReview.objects.filter(application=locked).exists():
            raise ValidationError({"__all__": [_("已出具委托评审函，不能重复出具。")]})
        if committee_step(locked) is None:
            raise ValidationError({"__all__": [_("申报尚未通过市人社部门资格审查，不能出具委托评审函。")]})
        issued_on = timezone.localtime(at).date()
        bureau = city_bureau(locked.tenant_id)
        if bureau is None:
            raise ValidationError({"__all__": [_("本地没有市人社部门，不能出具委托评审函。")]})
        # Serials are per tenant and year; the tenant row is locked so two letters never share one.
        type(locked.tenant).objects.select_for_update().filter(pk=locked.tenant_id).first()
        last = EntrustedReview.objects.filter(tenant_id=locked.tenant_id, year=issued_on.year).aggregate(
            n=Max("serial")
        )["n"]
        serial = (last or 0) + 1
        entrustment = EntrustedReview.objects.create(
            application=locked,
            tenant_id=locked.tenant_id,
            issuer=bureau,
            authority=authority,
            committee_name=committee_name,
            opinion=opinion,
            year=issued_on.year,
            serial=serial,
            letter_number=_letter_number(locked.tenant, issued_on.year, serial),
            issued_on=issued_on,
            consented_by=actor,
            consented_at=at,
        )
        audit(
            action="entrusted_consent",
            actor=actor,
            target=locked,
            request=request,
            letter_number=entrustment.letter_number,
            authority=authority,
            committee=committee_name,
        )
    return entrustment


def entrusted_result_record(
    *,
    actor: User,
    application: Application,
    passed: bool | None,
    decided_on: date | None,
    document_number: str,
    upload,
    remarks: str = "",
    request=None,
    at: datetime | None = None,
) -> EntrustedResult:
    """Record the entrusted committee's result and decide the committee step with it."""
    from core.uploads import PDF, check_upload
    from review.services import review_decide

    at = at or timezone.now()
    document_number, remarks = (document_number or "").strip(), (remarks or "").strip()
    errors = Errors()
    if passed is None:
        errors.add("passed", _("请选择评审结果（通过或未通过）。"))
    today = timezone.localtime(at).date()
    if decided_on is None:
        errors.add("decided_on", _("请填写评审日期，如2026年12月10日。"))
    elif decided_on > today:
        errors.add("decided_on", _("评审日期不能晚于今天。"))
    if not document_number:
        errors.add("document_number", _("请填写评审结果文号。"))
    elif len(document_number) > NUMBER_MAX:
        errors.add("document_number", _("评审结果文号不能超过%(max)s字。") % {"max": NUMBER_MAX})
    if len(remarks) > OPINION_MAX:
        errors.add("remarks", _("备注不能超过%(max)s字。") % {"max": OPINION_MAX})
    checked = None
    if upload is None:
        errors.add("document", _("请上传受托评审委员会的评审结果文件（PDF）。"))
    else:
        try:
            checked = check_upload(upload, field=_("评审结果文件"), allowed=(PDF,))
        except ValidationError as error:
            for message in error.messages:
                errors.add("document", message)
    errors.raise_if_any()
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).select_related("tenant").get(pk=application.pk)
        if not may_entrust(actor, locked):
            raise PermissionDenied
        entrustment = EntrustedReview.objects.filter(application=locked).first()
        if entrustment is None:
            raise ValidationError({"__all__": [_("尚未出具委托评审函，不能登记评审结果。")]})
        step = committee_step(locked)
        if step is None or EntrustedResult.objects.filter(step=step).exists():
            raise ValidationError({"__all__": [_("该申报不在等待委托评审结果，不能登记评审结果。")]})
        if decided_on < entrustment.issued_on:
            raise ValidationError({"decided_on": [_("评审日期不能早于委托评审函的出具日期。")]})
        upload.seek(0)
        content = upload.read()
        digest = hashlib.sha256(content).hexdigest()
        result = EntrustedResult(
            entrustment=entrustment,
            step=step,
            passed=bool(passed),
            decided_on=decided_on,
            document_number=document_number,
            remarks=remarks,
            document_name=(upload.name or "评审结果.pdf")[:200],
            sha256=digest,
            size=checked.size,
            recorded_by=actor,
            recorded_at=at,
        )
        result.document.save("result.pdf", ContentFile(content), save=False)
        result.save()
        when = chinese_date(decided_on)
        verdict = "评审通过" if passed else "评审未通过"
        opinion = f"{entrustment.committee_name}{verdict}（{document_number}，{when}）。"
        if remarks:
            opinion += remarks
        audit(
            action="entrusted_result",
            actor=actor,
            target=locked,
            request=request,
            passed=bool(passed),
            document_number=document_number,
            decided_on=decided_on.isoformat(),
            sha256=digest,
        )
        transition = review_decide(
            actor=actor,
            application=locked,
            action=Action.APPROVE if passed else Action.REJECT,
            opinion=opinion,
            request=request,
            at=at,
            via_committee=True,
        )
        result.transition = transition
        result.save(update_fields=["transition"])
    application.refresh_from_db()
    return result


def notes(application: Application) -> list[tuple[datetime, str]]:
    """Timeline lines of the entrusted path: the letter and every result."""
    lines: list[tuple[datetime, str]] = []
    entrustment = EntrustedReview.objects.filter(application=application).first()
    if entrustment is None:
        return lines
    on = entrustment.issued_on
    lines.append(
        (
            entrustment.consented_at,
            _("市人社部门同意委托评审，%(on)s出具委托评审函（%(number)s），委托%(authority)s%(committee)s代为评审。")
            % {"on": local_date(on), "number": entrustment.letter_number, "authority": entrustment.authority,
               "committee": entrustment.committee_name},
        )
    )
    for result in entrustment.results.all():
        d = result.decided_on
        verdict = _("评审通过") if result.passed else _("评审未通过")
        lines.append(
            (
                result.recorded_at,
                _("%(committee)s%(on)s%(verdict)s（评审结果文号：%(number)s）。")
                % {"committee": entrustment.committee_name, "on": local_date(d), "verdict": verdict,
                   "number": result.document_number},
            )
        )
    return lines
