"""Writes to rule sets. A published version is never changed: a revision is a new draft
version, and publishing freezes it."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit
from rules.engine.ruleset import RuleSetError, build_rule_set, content_hash
from rules.models import RuleSet
from rules.permissions import can_edit_rulesets, may_use_tenant


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
            build_rule_set(document)
        except RuleSetError as exc:
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
