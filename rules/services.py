"""Writes to rule sets. A published version is never changed: a revision is a new draft
version, and publishing freezes it."""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit
from rules.engine.ruleset import RuleSetError, content_hash
from rules.models import CalendarOverride, DeclarationWindow, RuleSet
from rules.permissions import can_edit_rulesets, may_use_tenant
from rules.validation import validate_rule_set_document


def _check_actor(actor: Any, tenant_code: str) -> None:
    if actor is not None and not (can_edit_rulesets(actor) and may_use_tenant(actor, tenant_code)):
        raise PermissionDenied


def ruleset_revise(*, rule_set: RuleSet, data: dict[str, Any], actor: Any) -> RuleSet:
    """Create the next draft version of ``rule_set.code`` with ``data``."""
    _check_actor(actor, rule_set.tenant_code)
    with transaction.atomic():
        # Lock the family so two editors cannot take the same version number.
        list(RuleSet.objects.select_for_update().filter(code=rule_set.code).values_list("pk", flat=True))
        version = (RuleSet.objects.filter(code=rule_set.code).aggregate(v=Max("version"))["v"] or 0) + 1
        document = copy.deepcopy(data)
        document.update(code=rule_set.code, version=version, tenant_code=rule_set.tenant_code)
        try:
            validate_rule_set_document(document)
        except RuleSetError as exc:  # RuleSetDocumentError: "path: 原因"
            raise ValidationError(str(exc)) from exc
        revised = RuleSet.objects.create(
            code=rule_set.code,
            tenant_code=rule_set.tenant_code,
            version=version,
            status=RuleSet.Status.DRAFT,
            name=document["name"],
            source_document=document["source_document"],
            document_number=document.get("document_number", ""),
            effective_from=document.get("effective_from"),
            effective_to=document.get("effective_to"),
            data=document,
            content_hash=content_hash(document),
        )
        audit(action="ruleset_revised", actor=actor, target=revised, code=revised.code, version=version)
    return revised


def ruleset_publish(*, rule_set: RuleSet, actor: Any) -> RuleSet:
    _check_actor(actor, rule_set.tenant_code)
    with transaction.atomic():
        locked = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
        if locked.status == RuleSet.Status.PUBLISHED:
            raise ValidationError("该版本已发布")
        locked.status = RuleSet.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
        audit(action="ruleset_published", actor=actor, target=locked, code=locked.code, version=locked.version)
    return locked


def window_create(
    *,
    actor: Any,
    tenant_code: str,
    name: str,
    opens_at: datetime,
    submit_closes_at: datetime,
    return_closes_at: datetime | None = None,
    review_closes_at: datetime | None = None,
    source: str = "",
    request=None,
) -> DeclarationWindow:
    """A tenant admin opens a declaration window with its three deadlines (inclusive to the second)."""
    if actor is None:
        raise PermissionDenied
    _check_actor(actor, tenant_code)
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = ["请填写批次名称，如“2025年第一期初级职称考核认定”。"]
    elif DeclarationWindow.objects.filter(tenant_code=tenant_code, name=name).exists():
        errors["name"] = [f"已有名为“{name}”的申报批次。"]
    if submit_closes_at <= opens_at:
        errors["submit_closes_at"] = ["申报截止时间须晚于开始申报时间。"]
    if return_closes_at is not None and return_closes_at < submit_closes_at:
        errors["return_closes_at"] = ["退回修改截止时间不能早于申报截止时间。"]
    if review_closes_at is not None and review_closes_at < (return_closes_at or submit_closes_at):
        errors["review_closes_at"] = ["审核截止时间不能早于退回修改截止时间（或申报截止时间）。"]
    overlapping = DeclarationWindow.objects.filter(
        tenant_code=tenant_code, opens_at__lte=submit_closes_at, submit_closes_at__gte=opens_at
    ).first()
    if overlapping is not None:
        errors.setdefault("opens_at", []).append(f"与已有批次“{overlapping.name}”的申报时间重叠。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        window = DeclarationWindow.objects.create(
            tenant_code=tenant_code,
            name=name,
            opens_at=opens_at,
            submit_closes_at=submit_closes_at,
            return_closes_at=return_closes_at,
            review_closes_at=review_closes_at,
            source=source.strip(),
        )
        audit(action="window_created", actor=actor, target=window, request=request, name=name)
    return window


def calendar_override_set(*, actor: Any, day: date, is_workday: bool, note: str = "", request=None) -> CalendarOverride:
    """Correct the national working-day calendar for one day (years the package does not know,
    or a late announcement). Editors of rule sets may do it; it applies to every tenant."""
    if actor is None or not can_edit_rulesets(actor):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": ["请写明调整依据，如国务院办公厅放假通知的文号。"]})
    with transaction.atomic():
        override, _ = CalendarOverride.objects.update_or_create(
            date=day, defaults={"is_workday": is_workday, "note": note.strip()[:120]}
        )
        audit(
            action="calendar_override_set",
            actor=actor,
            target=override,
            request=request,
            day=day.isoformat(),
            is_workday=is_workday,
        )
    return override
