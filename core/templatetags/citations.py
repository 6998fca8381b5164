"""``{% load citations %}``: documents and rule sets named the way people read them.

``{{ check.source|citation:application }}`` → 《郑州市初级职称…》（郑人社办〔2020〕237号）五(一)
``{{ check.source|citation_short:application }}`` → 郑人社办〔2020〕237号 五(一)
``{{ application|ruleset_named }}`` → 郑州市初级职称（员级、助理级）考核认定（郑人社办〔2020〕237号，第1版）

The argument (an application, a rule set, a tenant, a user or a code) says whose rule set names
the document first; see ``core.citations``.
"""

from __future__ import annotations

from django import template

from core import citations

register = template.Library()


@register.filter
def citation(source: str, context=None) -> str:
    return citations.cite(source, context)


@register.filter
def citation_short(source: str, context=None) -> str:
    return citations.cite(source, context, short=True)


@register.filter
def citation_list(sources, context=None) -> str:
    """Several sources (a list of strings) as one short citation, each document named once."""
    return citations.cite_all(sources, context)


@register.filter
def ruleset_named(value, version=None) -> str:
    """An application (its rule set and version), a precheck result or a rule-set code."""
    if isinstance(value, str):
        return citations.ruleset_named(value, version)
    if isinstance(value, dict):
        return citations.ruleset_named(value.get("ruleset_code", ""), value.get("ruleset_version"))
    return citations.ruleset_named(
        getattr(value, "ruleset_code", "") or "", version or getattr(value, "ruleset_version", None)
    )
