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


def audit_read(*, request, what: str, target: models.Model | None = None, subject=None, **detail: Any) -> None:
    """Record that a person's data was read (GB/T 22239-2019 level 3; PIPL on sensitive personal
    information): who, what, when and from where. A list page writes one row per page view, with
    how many rows it showed, never one per row. Reading one's own data is not recorded."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    if subject is not None and getattr(subject, "pk", None) == user.pk:
        return
    audit(action=f"read_{what}", actor=user, target=target, request=request, path=request.path[:200], **detail)
