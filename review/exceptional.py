"""The expert appraisal of a 破格 application, commissioned by the 职改办.

002_743bb57fc6424707.txt 第三篇 一(五)4: "申请破格评审者，需提供两个考核为优秀的考核表，并填写《破格推荐评审专业
技术职务审批表》……“参加审查评估的同行专家”一栏，由职改部门委托专家进行鉴定（中级由师职改办委托、高级由兵团
职改办委托），个人或单位委托专家鉴定无效。"

Which office commissions the appraisal for which level is the tenant's data (setting
``exceptional_promotion.appraisal_commissioners``); where it names one for the application's level, the
city bureau records the appraisal here before it may approve the 破格 form (the check is given to
filing through ``applications.hooks`` when review starts, so filing imports nothing of review).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from applications.materials import exceptional_commissioner
from applications.models import ExceptionalPromotionApproval
from core.audit import audit
from core.dates import chinese_date
from review.models import ExceptionalAppraisal
from rules.windows import CST
from units.services import Errors

# Who commissioned the appraisal, as the bureau reads it off the form.
COMMISSIONED_BY = {
    "reform_office": gettext_lazy("职改部门"),
    "applicant": gettext_lazy("申报人本人"),
    "unit": gettext_lazy("用人单位"),
}
EXPERTS_MAX = 200
CONCLUSION_MAX = 2000


def commissioner(application) -> str:
    """The office that must commission the appraisal for this application's level, or ""."""
    return exceptional_commissioner(application)


def may_record(user: User, approval: ExceptionalPromotionApproval) -> bool:
    """The city bureau of the application's tenant (its reviewers and the tenant admin)."""
    if not getattr(user, "is_authenticated", False) or user.role not in (Role.CITY_REVIEWER, Role.TENANT_ADMIN):
        return False
    return user.tenant_id == approval.application.tenant_id


def _day(errors: Errors, value: Any, today: date) -> date | None:
    if isinstance(value, date):
        day = value
    else:
        text = (value or "").strip() if isinstance(value, str) else ""
        if not text:
            errors.add("appraised_on", _("请填写鉴定日期。"))
            return None
        try:
            day = date.fromisoformat(text)
        except ValueError:
            errors.add("appraised_on", _("鉴定日期不是有效日期，请按“年-月-日”填写。"))
            return None
    if day > today:
        errors.add("appraised_on", f"鉴定日期不能晚于今天（{chinese_date(today)}）。")
    return day


def appraisal_record(
    *,
    actor: User,
    approval: ExceptionalPromotionApproval,
    commissioned_by: str,
    experts: str,
    conclusion: str,
    appraised_on: Any,
    request=None,
    at: datetime | None = None,
) -> ExceptionalAppraisal:
    at = at or timezone.now()
    if not may_record(actor, approval):
        raise PermissionDenied
    office = commissioner(approval.application)
    if not office:
        raise ValidationError({"__all__": [_("本地区对该级别的破格申报不要求职改部门委托专家鉴定。")]})
    errors = Errors()
    if commissioned_by not in COMMISSIONED_BY:
        errors.add("commissioned_by", _("请选择委托鉴定的一方。"))
    elif commissioned_by != "reform_office":
        errors.add(
            "commissioned_by",
            _("%(who)s委托的专家鉴定无效：同行专家鉴定须由职改部门委托，本级别由%(office)s委托。")
            % {"who": COMMISSIONED_BY[commissioned_by], "office": office},
        )
    experts, conclusion = (experts or "").strip(), (conclusion or "").strip()
    if not experts:
        errors.add("experts", _("请填写参加审查评估的同行专家姓名。"))
    elif len(experts) > EXPERTS_MAX:
        errors.add(
            "experts", _("鉴定专家不能超过%(max)s字，现为%(count)s字。") % {"max": EXPERTS_MAX, "count": len(experts)}
        )
    if not conclusion:
        errors.add("conclusion", _("请填写专家鉴定意见。"))
    elif len(conclusion) > CONCLUSION_MAX:
        errors.add(
            "conclusion",
            _("鉴定意见不能超过%(max)s字，现为%(count)s字。") % {"max": CONCLUSION_MAX, "count": len(conclusion)},
        )
    day = _day(errors, appraised_on, at.astimezone(CST).date())
    errors.raise_if_any()
    with transaction.atomic():
        locked = ExceptionalPromotionApproval.objects.select_for_update(of=("self",)).get(pk=approval.pk)
        if locked.status != ExceptionalPromotionApproval.Status.PENDING:
            message = _("该审批表已审批（%(status)s），不能再录入专家鉴定。") % {"status": locked.get_status_display()}
            raise ValidationError({"__all__": [message]})
        row, created = ExceptionalAppraisal.objects.update_or_create(
            approval=locked,
            defaults={"commissioned_by": office, "experts": experts, "conclusion": conclusion, "appraised_on": day,
                      "recorded_by": actor, "recorded_at": at},
        )
        audit(
            action="exceptional_appraisal_recorded" if created else "exceptional_appraisal_corrected",
            actor=actor,
            target=locked,
            request=request,
            application=locked.application_id,
            commissioned_by=office,
            appraised_on=day.isoformat(),
        )
    return row


def approval_problem(approval: ExceptionalPromotionApproval) -> str | None:
    """Why the 破格 form cannot be approved for want of the appraisal, or None (the hook filing calls)."""
    office = commissioner(approval.application)
    if not office:
        return None
    if ExceptionalAppraisal.objects.filter(approval=approval).exists():
        return None
    return (
        _("尚未录入同行专家鉴定：破格申报的“参加审查评估的同行专家”一栏须由%(office)s委托专家鉴定，"
          "个人或单位委托专家鉴定无效；请先录入鉴定结果。") % {"office": office}
    )


def recorded(approval: ExceptionalPromotionApproval) -> ExceptionalAppraisal | None:
    return ExceptionalAppraisal.objects.filter(approval=approval).first()
