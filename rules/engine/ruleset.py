"""Rule sets as data: the parsed, immutable form the engine evaluates.

A rule set file (``rules/rulesets/*.json``) names its source document and number, the tenant,
the effective dates, the titles it covers, and an ordered list of checks. Each check has a
``kind`` (a function in :mod:`rules.engine.checks`), its parameters, a ``label`` (the rule in
plain Chinese, shown on the bureau's page) and the ``source`` clause it comes from.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any


class RuleSetError(ValueError):
    """A rule set document that cannot be evaluated (unknown check kind, bad field)."""


@dataclass(frozen=True, slots=True)
class CheckSpec:
    code: str
    kind: str
    label: str
    source: str
    params: dict[str, Any]
    when: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleSetData:
    code: str
    version: int
    tenant_code: str
    name: str
    source_document: str
    document_number: str
    issuer: str
    effective_from: date | None
    effective_to: date | None
    covers: dict[str, Any]
    checks: tuple[CheckSpec, ...]
    materials: tuple[dict[str, Any], ...]
    raw: dict[str, Any]
    content_hash: str


def content_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _opt_date(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RuleSetError(f"{name}: 日期格式错误 {value!r}") from None


def build_rule_set(data: dict[str, Any]) -> RuleSetData:
    """Validate a rule set document and return its immutable form."""
    from rules.engine.checks import CHECK_KINDS

    if not isinstance(data, dict):
        raise RuleSetError("规则集须为 JSON 对象")
    for key in ("code", "version", "tenant_code", "name", "source_document", "checks"):
        if key not in data:
            raise RuleSetError(f"{key}: 缺少必填字段")
    specs = []
    seen: set[str] = set()
    for index, raw in enumerate(data["checks"]):
        where = f"checks[{index}]"
        if not isinstance(raw, dict):
            raise RuleSetError(f"{where}: 须为 JSON 对象")
        kind = raw.get("kind")
        if kind not in CHECK_KINDS:
            raise RuleSetError(f"{where}.kind: 未知检查类型 {kind!r}")
        code = raw.get("code") or kind
        if code in seen:
            raise RuleSetError(f"{where}.code: 重复的检查代码 {code!r}")
        seen.add(code)
        if not raw.get("source"):
            raise RuleSetError(f"{where}.source: 每条规则须注明出处")
        params = {k: v for k, v in raw.items() if k not in {"code", "kind", "label", "source", "when"}}
        specs.append(
            CheckSpec(
                code=code,
                kind=kind,
                label=raw.get("label", ""),
                source=raw["source"],
                params=params,
                when=raw.get("when") or {},
            )
        )
    return RuleSetData(
        code=data["code"],
        version=int(data["version"]),
        tenant_code=data["tenant_code"],
        name=data["name"],
        source_document=data["source_document"],
        document_number=data.get("document_number", ""),
        issuer=data.get("issuer", ""),
        effective_from=_opt_date(data.get("effective_from"), "effective_from"),
        effective_to=_opt_date(data.get("effective_to"), "effective_to"),
        covers=data.get("covers") or {},
        checks=tuple(specs),
        materials=tuple(data.get("materials") or ()),
        raw=data,
        content_hash=content_hash(data),
    )
