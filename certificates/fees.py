"""Fee ledger per application: 证书费 (certificate fee), 评审费 (review fee) and 论文鉴定费 (paper
appraisal fee).

The standard amounts are tenant data (setting ``fees``: kind, amount, basis, per person or per
paper, optionally only for some levels / evaluation methods; the first matching entry applies).
Where a tenant states none the bureau enters the amount when recording the fee. The seeded Henan
tenants (tenants/zhengzhou.json, tenants/xuchang.json) carry:

- 证书工本费 8 元/本: 000_09f0e4863c323892.txt 十、收费标准 "依据豫价费字〔1997〕180号文件精神，
  人社部门收取职称证书工本费8元/本".
- 评审费 (豫价字[1997]13号, cited under 办事依据): 002_743bb57fc6424707.txt 第四篇 卫东区
  中级专业技术职务任职资格申报 收费标准 "评审费（含资格审查费）每人150元"; 初级专业技术资格认定（初定）
  收费标准 "评审费（含资格审查费）每人80元" (员级 and 助理级).
- 论文鉴定费 30 元 per paper: the same 中级 收费标准 "……，论文鉴定费每篇30元", for a committee
  review (the 初定 section states no paper fee).

Bureau staff (the certificate issuers) record fees and mark them paid; the applicant sees them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from applications.models import Achievement, Application
from certificates.models import FeeEntry
from certificates.permissions import CERTIFICATE_ISSUER_ROLES, can_issue_certificates
from core.audit import audit
from units.tenant_settings import setting

MAX_AMOUNT = Decimal("100000")
# Stored in Chinese (the ledger is a record); pages translate it when they show it.
BASIS_SET_BY_ISSUER = gettext_noop("发证机关核定")


@dataclass(frozen=True)
class StandardFee:
    amount: Decimal
    basis: str


def paper_count(application: Application) -> int:
    """The papers (论文论著) among the achievements chosen for the application."""
    return application.achievements.filter(kind=Achievement.Kind.PAPER).count()


def _matches(entry: dict, application: Application, kind: str) -> bool:
    return (
        entry.get("kind") == kind
        and ("levels" not in entry or application.level in entry["levels"])
        and ("methods" not in entry or application.evaluation_method in entry["methods"])
    )


def standard_fee(application: Application, kind: str) -> StandardFee | None:
    """The tenant's standard amount of ``kind`` for ``application`` (setting ``fees``: the first
    entry of that kind whose levels and methods, where given, include the application's), or None
    when the tenant states none. A per-paper entry is multiplied by the application's papers."""
    entry = next((e for e in setting(application.tenant, "fees") if _matches(e, application, kind)), None)
    if entry is None:
        return None
    amount = Decimal(entry["amount"]).quantize(Decimal("0.01"))
    basis = entry["basis"]
    if entry.get("per", "person") == "paper":
        papers = paper_count(application)
        amount, basis = amount * papers, f"{basis}（{papers}篇）"[:200]
    return StandardFee(amount, basis)


def _parse_amount(raw) -> Decimal:
    try:
        amount = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": [_("金额须为数字，例如 150 或 8.00。")]}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError({"amount": [_("金额须大于0且不超过%(max)s元。") % {"max": MAX_AMOUNT}]})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": [_("金额最多保留两位小数。")]})
    return amount.quantize(Decimal("0.01"))


def fee_record(*, actor: User, application: Application, kind: str, amount=None, request=None) -> FeeEntry:
    """Record a fee owed on ``application`` (unpaid). Without ``amount`` the seed's amount applies;
    where the seeds state none the bureau must enter it."""
    if not can_issue_certificates(actor, application.tenant):
        raise PermissionDenied
    if kind not in FeeEntry.Kind.values:
        raise ValidationError({"kind": [_("请选择费用类别：证书费、评审费或论文鉴定费。")]})
    standard = standard_fee(application, kind)
    if amount in (None, ""):
        if standard is None:
            raise ValidationError({"amount": [_("本地区未规定该项收费标准，请填写金额。")]})
        if standard.amount <= 0:  # a per-paper fee on an application without papers
            raise ValidationError({"amount": [_("该申报没有选用论文，不收取该项费用；如需收取，请填写金额。")]})
        value, basis = standard.amount, standard.basis
    else:
        value = _parse_amount(amount)
        basis = standard.basis if standard and standard.amount == value else BASIS_SET_BY_ISSUER
    try:
        with transaction.atomic():
            fee = FeeEntry.objects.create(
                tenant=application.tenant,
                application=application,
                kind=kind,
                amount=value,
                basis=basis,
                recorded_by=actor,
            )
            audit(
                action="fee_recorded",
                actor=actor,
                target=fee,
                request=request,
                application_id=application.pk,
                kind=kind,
                amount=str(value),
            )
    except IntegrityError:
        raise ValidationError({"kind": [_("该申报已登记过这项费用。")]}) from None
    return fee


def fee_mark_paid(*, actor: User, fee: FeeEntry, receipt_number: str = "", request=None) -> FeeEntry:
    if not can_issue_certificates(actor, fee.tenant):
        raise PermissionDenied
    receipt_number = (receipt_number or "").strip()
    if len(receipt_number) > 60:
        raise ValidationError({"receipt_number": [_("票据号不能超过60个字符。")]})
    with transaction.atomic():
        locked = FeeEntry.objects.select_for_update().get(pk=fee.pk)
        if locked.status == FeeEntry.Status.PAID:
            raise ValidationError({"__all__": [_("该费用已登记为已缴。")]})
        locked.status = FeeEntry.Status.PAID
        locked.paid_at = timezone.now()
        locked.receipt_number = receipt_number
        locked.save(update_fields=["status", "paid_at", "receipt_number", "updated_at"])
        audit(
            action="fee_paid",
            actor=actor,
            target=locked,
            request=request,
            application_id=locked.application_id,
            kind=locked.kind,
            amount=str(locked.amount),
        )
    return locked


def fees_for_user(user: User) -> QuerySet[FeeEntry]:
    """Bureau issuers see their tenant's fees; an applicant sees the fees of their own applications."""
    if not user.is_authenticated:
        return FeeEntry.objects.none()
    queryset = FeeEntry.objects.select_related("application__applicant", "recorded_by")
    if user.role in CERTIFICATE_ISSUER_ROLES and user.tenant_id:
        return queryset.filter(tenant_id=user.tenant_id)
    return queryset.filter(application__applicant=user)


def get_fee_for_user(user: User, pk: int) -> FeeEntry:
    return get_object_or_404(fees_for_user(user), pk=pk)
