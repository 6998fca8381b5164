"""``{% certificate_holds_notice %}``: on the certificate batch pages, the approved applications whose
certificate waits for the committee's publicity, each with the reason (001 五(四) 公示)."""

from __future__ import annotations

from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("committees/_certificate_holds.html", takes_context=True)
def certificate_holds_notice(context) -> dict:
    from committees.selectors import certificate_holds

    user = context.get("user")
    tenant_id = getattr(user, "tenant_id", None)
    holds = list(certificate_holds(tenant_id, timezone.localdate()).values()) if tenant_id else []
    return {"holds": holds}
