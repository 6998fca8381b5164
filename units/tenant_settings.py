"""A tenant's settings, each with the default its schema declares (units/schema/tenant.schema.json).

Code that behaves differently per city reads a setting here; it never looks at a tenant's code.
The settings that other code filters on (initial password, return limit, group size, publicity
days, ban years, unit procedure) are columns of ``Tenant``; the rest live in ``Tenant.settings``.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from core.schemas import defaults_of

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "tenant.schema.json"

# Settings stored as columns of ``Tenant`` (the queries of other apps filter or join on them).
COLUMN_SETTINGS = (
    "initial_password",
    "max_returns_per_year",
    "review_group_min_size",
    "publicity_working_days",
    "fraud_ban_years",
    "unit_procedure_required",
)


@lru_cache(maxsize=1)
def defaults() -> dict[str, Any]:
    return defaults_of(SCHEMA_PATH, "settings")


def setting(tenant, name: str) -> Any:
    """The tenant's value of ``name``, or the schema's default (a copy: callers may not mutate it)."""
    if name in COLUMN_SETTINGS:
        return getattr(tenant, name)
    table = defaults()
    if name not in table:
        raise KeyError(f"unknown tenant setting {name!r}")
    stored = (tenant.settings or {}) if tenant is not None else {}
    return copy.deepcopy(stored.get(name, table[name]))


def all_settings(tenant) -> dict[str, Any]:
    """Every setting with its value (defaults filled in), in schema order."""
    return {name: setting(tenant, name) for name in defaults()} | {
        name: getattr(tenant, name) for name in COLUMN_SETTINGS
    }


# The chain of a tenant whose document declares none: unit → department → county → city →
# committee (000 六(四); 001 二(四); 003 三). Review levels decide by the window's review deadline
# where the window sets one. (review/chain.py says what each level is.)
DEFAULT_CHAIN: tuple[dict, ...] = (
    {"level": "unit"},
    {"level": "department", "when": "unit_has_department", "deadline": "review_closes_at"},
    {"level": "county", "when": "unit_in_district", "deadline": "review_closes_at"},
    {"level": "city", "deadline": "review_closes_at"},
    {"level": "committee", "when": "committee_review"},
)


def chain_of(tenant) -> list[dict]:
    """The tenant's declared chain, or the default."""
    return [dict(item) for item in ((tenant.chain if tenant is not None else None) or DEFAULT_CHAIN)]


NUMBER_PLACEHOLDERS = ("region", "year", "level_digit", "serial", "code")
# Serials restart per year and level: without these, numbers would repeat.
NUMBER_REQUIRED = ("year", "level_digit", "serial")


def certificate_number_problem(pattern: str) -> str:
    """Why ``pattern`` cannot number certificates (setting ``certificate_number``), or ""."""
    import string

    try:
        fields = [field for _text, field, _spec, _conv in string.Formatter().parse(pattern) if field is not None]
    except ValueError:
        return gettext("证书编号格式“%(pattern)s”的花括号不成对。") % {"pattern": pattern}
    for field in fields:
        if field not in NUMBER_PLACEHOLDERS:
            allowed = gettext("、").join(f"{{{name}}}" for name in NUMBER_PLACEHOLDERS)
            return gettext("证书编号格式“%(pattern)s”含未知占位符“{%(field)s}”，可用：%(allowed)s。") % {
                "pattern": pattern,
                "field": field,
                "allowed": allowed,
            }
    missing = [name for name in NUMBER_REQUIRED if name not in fields]
    if missing:
        names = gettext("、").join(f"{{{name}}}" for name in missing)
        return gettext("证书编号格式“%(pattern)s”缺少%(names)s：流水号按年度和级别编排，缺少则编号会重复。") % {
            "pattern": pattern, "names": names,
        }
    return ""
