"""The one way to write an audit record."""

from __future__ import annotations

from typing import Any

from django.db import models

from core.models import AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    request=None,
    ip: str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append an audit record. ``detail`` must never carry a full ID number (mask it first)."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=actor.display_name if authenticated else "",
        actor_role=getattr(actor, "role", "") if authenticated else "",
        tenant_id=getattr(actor, "tenant_id", None) if authenticated else None,
        organisation_id=getattr(actor, "organisation_id", None) if authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        ip=ip or client_ip(request),
        detail=detail,
    )
