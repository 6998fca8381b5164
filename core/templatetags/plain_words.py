"""``{% load plain_words %}``: dates and codes as people read them.

A frozen submission keeps its dates as ISO strings (``2022-06-30``, ``2026-12-01T09:00:00+08:00``);
``{{ value|plain_date }}`` reads ``2022年6月30日`` and ``{{ value|plain_datetime }}`` reads
``2026年12月1日 09:00`` (China time), whether the value is a string, a date or a datetime; on an
English page they read ``30 June 2022`` and ``1 December 2026 09:00``.
``{{ code|level_name }}`` and ``{{ code|series_name }}`` name a level or series in the page's
language (the Chinese names of ``rules.engine.vocab``, translated by their catalogue).
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext

from core.dates import local_date, local_datetime
from rules.engine import vocab

register = template.Library()


def _parse(value):
    if isinstance(value, (date, datetime)):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text) if ("T" in text or ":" in text) else date.fromisoformat(text)
    except ValueError:
        return None


@register.filter
def plain_date(value) -> str:
    """``2022年6月30日``; an unreadable value is shown as it is (never an ISO date)."""
    parsed = _parse(value)
    if parsed is None:
        return value or ""
    if isinstance(parsed, datetime):
        parsed = timezone.localtime(parsed).date() if timezone.is_aware(parsed) else parsed.date()
    return local_date(parsed)


@register.filter
def plain_datetime(value) -> str:
    """``2026年12月1日 09:00`` in China time; a bare date reads as a date."""
    parsed = _parse(value)
    if parsed is None:
        return value or ""
    if not isinstance(parsed, datetime):
        return plain_date(parsed)
    return local_datetime(parsed)


@register.filter
def level_name(code: str) -> str:
    name = vocab.LEVELS.get(code or "")
    return gettext(name) if name else code or ""


@register.filter
def series_name(code: str) -> str:
    name = vocab.SERIES.get(code or "")
    return gettext(name) if name else code or ""
