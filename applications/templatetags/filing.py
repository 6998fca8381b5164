from __future__ import annotations

import re
from datetime import date, datetime

from django import template
from django.utils import dateformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from applications import wording

register = template.Library()


@register.filter
def iso_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 string (as ``rules.windows`` answers) as a datetime for the ``date`` filter."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


@register.filter
def file_size(value: int) -> str:
    if value >= 1024 * 1024:
        return f"{value / 1048576:.1f}MB"
    return f"{max(1, -(-value // 1024))}KB"  # rounded up: a small file is never "0KB"


# A recurring window is named “2026年12月市直单位初级职称申报” (rules.windows): the month and the
# tenant's own name of the round.
_MONTHLY_WINDOW = re.compile(r"^(\d{4})年(\d{1,2})月(.+)$")


@register.filter
def window_name(value: str | None) -> str:
    """A window's name in the page's language: the tenant's name of the round stays as it is, the
    month it is in reads as the language writes a month. Chinese pages show the name unchanged."""
    found = _MONTHLY_WINDOW.match(value or "")
    if found is None or (get_language() or "").startswith("zh"):
        return value or ""
    year, month, name = found.groups()
    if not 1 <= int(month) <= 12:
        return value
    when = dateformat.format(date(int(year), int(month), 1), _("Y年n月"))
    return _("%(month)s%(name)s") % {"month": when, "name": name}


@register.filter
def plain_message(value: str) -> str:
    return wording.plain_message(value)


@register.filter
def unit_sources(unit_rows) -> list[str]:
    """The distinct sources of the unit-supplied items, in order (each cited by the template)."""
    seen: list[str] = []
    for row in unit_rows or []:
        source = getattr(row["item"], "source", "") or ""
        if source and source not in seen:
            seen.append(source)
    return seen
