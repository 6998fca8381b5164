"""Whether the viewer may take the entrusted path or lodge an appeal (the timeline's forms)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def may_appeal(user, application) -> bool:
    from review.appeals import may_lodge

    return application is not None and may_lodge(user, application)


@register.filter
def may_entrust(user, application) -> bool:
    from review.entrusted import may_entrust as allowed

    return application is not None and allowed(user, application)
