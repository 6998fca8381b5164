"""Fee ledger per application: 证书费 (certificate fee) and 评审费 (review fee).

Amounts come from the seeds where a clause states them, otherwise the bureau enters the tenant's
amount when recording the fee:

- 证书工本费 8 元/本 in Henan: 000_09f0e4863c323892.txt 十、收费标准 (豫价费字〔1997〕180号).
- 评审费 in Henan (豫价字[1997]13号): 150 元/人 for a committee review, 80 元/人 for 初级认定
  (初定): 002_743bb57fc6424707.txt, 卫东区 评审 and 初定 sections, 收费标准.

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

from accounts.models import User
from applications.models import Application
from certificates.models import FeeEntry
from certificates.permissions import CERTIFICATE_ISSUER_ROLES, can_issue_certificates
from core.audit import audit

MAX_AMOUNT = Decimal("100000")
HENAN = ("zhengzhou", "xuchang")
JUNIOR_LEVELS = ("clerk", "assistant")


@dataclass(frozen=True)
class StandardFee:
    amount: Decimal
    basis: str


def standard_fee(application: Application, kind: str) -> StandardFee | None:
    """The seed-stated amount of ``kind`` for ``application``, or None when the seeds state none."""
    code = application.tenant.code
    if code not in HENAN:
        return None
    if kind == FeeEntry.Kind.CERTIFICATE:
        return StandardFee(Decimal("8.00"), "豫价费字〔1997〕180号：职称证书工本费8元/本")
    if kind == FeeEntry.Kind.REVIEW:
        if application.level in JUNIOR_LEVELS:
            return StandardFee(Decimal("80.00"), "豫价字[1997]13号：初级认定评审费每人80元")
        return StandardFee(Decimal("150.00"), "豫价字[1997]13号：评审费（含资格审查费）每人150元")
    return None


def _parse_amount(raw) -> Decimal:
    try:
        amount = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": ["金额须为数字，例如 150 或 8.00。"]}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError({"amount": [f"金额须大于0且不超过{MAX_AMOUNT}元。"]})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": ["金额最多保留两位小数。"]})
    return amount.quantize(Decimal("0.01"))


def fee_record(*, actor: User, application: Application, kind: str, amount=None, request=None) -> FeeEntry:
    """Record a fee owed on ``application`` (unpaid). Without ``amount`` the seed's amount applies;
    where the seeds state none the bureau must enter it."""
    if not can_issue_certificates(actor, application.tenant):
        raise PermissionDenied
    if kind not in FeeEntry.Kind.values:
        raise ValidationError({"kind": ["请选择费用类别：证书费或评审费。"]})
    standard = standard_fee(application, kind)
    if amount in (None, ""):
        if standard is None:
            raise ValidationError({"amount": ["本地区未规定该项收费标准，请填写金额。"]})
        value, basis = standard.amount, standard.basis
    else:
        value = _parse_amount(amount)
        basis = standard.basis if standard and standard.amount == value else "发证机关核定"
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
        raise ValidationError({"kind": ["该申报已登记过这项费用。"]}) from None
    return fee


def fee_mark_paid(*, actor: User, fee: FeeEntry, receipt_number: str = "", request=None) -> FeeEntry:
    if not can_issue_certificates(actor, fee.tenant):
        raise PermissionDenied
    receipt_number = (receipt_number or "").strip()
    if len(receipt_number) > 60:
        raise ValidationError({"receipt_number": ["票据号不能超过60个字符。"]})
    with transaction.atomic():
        locked = FeeEntry.objects.select_for_update().get(pk=fee.pk)
        if locked.status == FeeEntry.Status.PAID:
            raise ValidationError({"__all__": ["该费用已登记为已缴。"]})
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
