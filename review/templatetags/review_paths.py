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


@register.filter
def may_enter_publicity_sheet(user, application) -> bool:
    """The unit may enter the dates of the application's 公示表 (003 五(六))."""
    from review import publicity_sheet

    return application is not None and publicity_sheet.applies(application) and publicity_sheet.may_record(
        user, application
    )


@register.simple_tag
def publicity_sheet_dates(application):
    """The dates the unit entered from the application's 公示表, or None."""
    from review import publicity_sheet

    return publicity_sheet.recorded(application) if application is not None else None
