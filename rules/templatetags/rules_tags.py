"""Template tags other apps' pages use to name a rule set the way people read it."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from rules.models import RuleSet

register = template.Library()


@register.simple_tag
def ruleset_cited(code: str, version: int | None = None) -> str:
    """“昆明市盘龙区…考核认定（盘人社〔2025〕5号，第2版）”: the name and 文号 of a version, never
    its code (the code is shown only when no such rule set is stored)."""
    rows = RuleSet.objects.filter(code=code)
    rows = rows.filter(version=version) if version else rows.filter(status=RuleSet.Status.PUBLISHED)
    row = rows.order_by("-version").only("name", "document_number", "version").first()
    if row is None:
        return code
    if row.document_number:
        return gettext("%(name)s（%(number)s，第%(version)s版）") % {
            "name": row.name, "number": row.document_number, "version": row.version}
    return gettext("%(name)s（第%(version)s版）") % {"name": row.name, "version": row.version}
