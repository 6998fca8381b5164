from __future__ import annotations

from datetime import datetime

from django import template

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
