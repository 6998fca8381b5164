"""Rule-set documents checked against ``rules/schema/ruleset.schema.json`` and then by the engine.

The first problem is reported as a JSON path and a reason in plain Chinese, the same way for a
person on a page and for a script reading the one-line error of ``ruleset_validate``:
``checks[3].min_months: 应为整数，现为 "六"``. Errors are sorted by path so the same document
always names the same problem. Tenant documents use the same path format (``format_path``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from rules.engine.ruleset import RuleSetError, build_rule_set

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "ruleset.schema.json"

TYPE_NAMES = {
    "object": _("对象"),
    "array": _("数组"),
    "string": _("字符串"),
    "integer": _("整数"),
    "number": _("数字"),
    "boolean": _("布尔值（true 或 false）"),
    "null": "null",
}

PATTERN_HINTS = {
    "^[a-z0-9][a-z0-9-]{0,59}$": _("只能用小写字母、数字和连字符，不超过60个字符"),
    "^[a-z][a-z0-9-]{1,39}$": _("须以小写字母开头，只能用小写字母、数字和连字符，2至40个字符"),
    "^[a-z][a-z0-9_-]{0,59}$": _("须以小写字母开头，只能用小写字母、数字、下划线和连字符，不超过60个字符"),
    "^[a-z][a-z0-9_]{0,59}$": _("须以小写字母开头，只能用小写字母、数字和下划线，不超过60个字符"),
}

# When several problems sit at the same path, the one that explains the others comes first.
_PRIORITY = {"type": 0, "required": 1, "enum": 2, "const": 2, "format": 3}
_LAST = {"additionalProperties": 8, "unevaluatedProperties": 8}

_KEY = re.compile(r"^[^.\[\]\s\"']+$")
# The engine's messages start with the path they are about: ``checks[2].code: 重复的检查代码 'x'``.
_ENGINE_MESSAGE = re.compile(r"^(?P<path>[A-Za-z_][\w]*(?:\[\d+\]|\.[A-Za-z_][\w]*)*): (?P<message>.+)$", re.S)
_ENGINE_STEP = re.compile(r"\[(\d+)\]|\.?([A-Za-z_]\w*)")
_PY_QUOTED = re.compile(r"'([^'\\]*)'")


class RuleSetDocumentError(RuleSetError):
    """The first problem of a rule-set document: ``path`` (JSON path, ``$`` for the root) and
    ``message`` (Chinese). ``parts`` are the path's steps, for callers that nest the document
    (a tenant document's ``rulesets[0]``). A ``RuleSetError``, hence a ``ValueError``."""

    def __init__(self, path: str, message: str, parts: Iterable[str | int] = ()) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.parts = tuple(parts)


def format_path(parts: Iterable[Any]) -> str:
    """``deque(["checks", 3, "min_months"])`` → ``checks[3].min_months``; no steps → ``$``.

    A key that is not a plain name (a dot, a bracket, a space, a quote) is written
    ``["a key"]`` so that the path stays unambiguous.
    """
    text = ""
    for part in parts:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        elif _KEY.match(str(part)):
            text += f".{part}" if text else str(part)
        else:
            text += f"[{json.dumps(str(part), ensure_ascii=False)}]"
    return text or "$"


@lru_cache(maxsize=1)
def rule_set_schema() -> dict[str, Any]:
    """The schema document (parsed once)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def rule_set_validator() -> Draft202012Validator:
    """The compiled validator, built once per process; date formats are checked."""
    schema = rule_set_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _types(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return gettext("或").join(str(TYPE_NAMES.get(name, name)) for name in names)


def _listed(options: Iterable[Any]) -> str:
    return gettext("、").join(str(option) for option in options)


def _options(error: SchemaError) -> list[Any]:
    """The values an enum / const / anyOf-of-enums error would have accepted."""
    if error.validator == "enum":
        return list(error.validator_value)
    if error.validator == "const":
        return [error.validator_value]
    found: list[Any] = []
    for sub in error.context or ():
        found.extend(option for option in _options(sub) if option not in found)
    return found


def _sort_key(error: SchemaError) -> tuple:
    steps = tuple((0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in error.absolute_path)
    rank = _PRIORITY.get(error.validator, _LAST.get(error.validator, 5))
    return steps, rank, [str(p) for p in error.absolute_schema_path], error.message


def explain(error: SchemaError) -> tuple[list[str | int], str]:
    """(path steps, Chinese reason) of one schema error."""
    parts: list[str | int] = list(error.absolute_path)
    kind, value, expected = error.validator, error.instance, error.validator_value
    if "propertyNames" in error.absolute_schema_path:
        options = _options(error)
        return [*parts, str(value)], gettext("未知的键 %(value)s，可选：%(options)s") % {
            "value": _shown(value), "options": _listed(options)}
    if kind in ("anyOf", "oneOf") and error.context:
        # The alternative that got furthest into the value says the most.
        best = sorted(error.context, key=lambda sub: (-len(sub.absolute_path), _sort_key(sub)))[0]
        if len(best.absolute_path) > len(parts):
            return explain(best)
        options = _options(error)
        if options:
            return parts, gettext("未知的取值 %(value)s，可选：%(options)s") % {
                "value": _shown(value), "options": _listed(options)}
        return parts, gettext("不符合任何一种允许的写法")
    if kind == "required":
        missing = next((name for name in expected if isinstance(value, dict) and name not in value), expected[0])
        return parts, gettext("缺少必填字段“%(field)s”") % {"field": missing}
    if kind == "dependentRequired" and isinstance(value, dict):
        for name, needed in expected.items():
            absent = [other for other in needed if name in value and other not in value]
            if absent:
                return parts, gettext("缺少字段“%(field)s”（填写“%(name)s”时须同时填写）") % {
                    "field": absent[0], "name": name}
    if kind in ("additionalProperties", "unevaluatedProperties"):
        allowed = list(error.schema.get("properties", {}))
        extra = sorted(key for key in value if key not in allowed) if isinstance(value, dict) else []
        if allowed:
            reason = gettext("不认识的字段（请检查拼写或删除该字段），可用字段：%(fields)s") % {
                "fields": _listed(allowed)}
        else:
            reason = gettext("不认识的字段（请检查拼写或删除该字段）")
        return [*parts, extra[0] if extra else "?"], reason
    if kind == "type":
        return parts, gettext("应为%(types)s，现为 %(value)s") % {"types": _types(expected), "value": _shown(value)}
    if kind in ("enum", "const"):
        return parts, gettext("未知的取值 %(value)s，可选：%(options)s") % {
            "value": _shown(value), "options": _listed(_options(error))}
    if kind == "format":
        if expected == "date":
            return parts, gettext("应为 YYYY-MM-DD 格式的有效日期，现为 %(value)s") % {"value": _shown(value)}
        return parts, gettext("格式不正确（%(format)s）：%(value)s") % {"format": expected, "value": _shown(value)}
    if kind == "pattern":
        hint = PATTERN_HINTS.get(expected) or gettext("须符合 %(pattern)s") % {"pattern": expected}
        return parts, gettext("格式不正确：%(value)s（%(hint)s）") % {"value": _shown(value), "hint": hint}
    if kind == "minimum":
        return parts, gettext("不能小于%(limit)s，现为 %(value)s") % {"limit": expected, "value": _shown(value)}
    if kind == "exclusiveMinimum":
        return parts, gettext("须大于%(limit)s，现为 %(value)s") % {"limit": expected, "value": _shown(value)}
    if kind == "maximum":
        return parts, gettext("不能大于%(limit)s，现为 %(value)s") % {"limit": expected, "value": _shown(value)}
    if kind == "minLength":
        return parts, gettext("不能为空") if expected == 1 else gettext("至少%(n)s个字符") % {"n": expected}
    if kind == "maxLength":
        return parts, gettext("不能超过%(limit)s个字符，现为%(n)s个") % {"limit": expected, "n": len(value)}
    if kind in ("minItems", "minProperties"):
        return parts, gettext("至少须有%(n)s项") % {"n": expected}
    if kind in ("maxItems", "maxProperties"):
        return parts, gettext("最多%(n)s项") % {"n": expected}
    if kind == "uniqueItems" and isinstance(value, list):
        seen: list[Any] = []
        for item in value:
            if item in seen:
                return parts, gettext("各项不能重复，%(item)s 出现了不止一次") % {"item": _shown(item)}
            seen.append(item)
        return parts, gettext("各项不能重复")
    if kind == "not":
        return parts, gettext("包含了不能同时出现的字段")
    return parts, gettext("不符合要求（%(kind)s）") % {"kind": kind}


def _engine_error(exc: Exception) -> RuleSetDocumentError:
    """An exception of ``build_rule_set`` as a path and a reason."""
    text = " ".join(str(exc).split())
    if isinstance(exc, RuleSetError):
        match = _ENGINE_MESSAGE.match(text)
        if match:
            steps: list[str | int] = [
                int(index) if index else name for index, name in _ENGINE_STEP.findall(match["path"])
            ]
            # The engine quotes values the Python way ('x'); people here read JSON ("x").
            message = _PY_QUOTED.sub(lambda m: json.dumps(m[1], ensure_ascii=False), match["message"])
            return RuleSetDocumentError(format_path(steps), message, steps)
        return RuleSetDocumentError("$", text)
    reason = gettext("规则引擎无法解析该文档（%(error)s）") % {"error": f"{type(exc).__name__}: {text}"}
    return RuleSetDocumentError("$", reason)


def _document_rules(data: dict[str, Any]) -> RuleSetDocumentError | None:
    """What the schema cannot say and the engine does not check."""
    start, end = data.get("effective_from"), data.get("effective_to")
    if start and end and date.fromisoformat(end) < date.fromisoformat(start):
        return RuleSetDocumentError(
            "effective_to", gettext("失效日期 %(end)s 早于生效日期 %(start)s") % {"end": end, "start": start},
            ("effective_to",)
        )
    seen: dict[str, int] = {}
    for index, item in enumerate(data.get("materials") or ()):
        if item["id"] in seen:
            steps = ("materials", index, "id")
            return RuleSetDocumentError(
                format_path(steps), gettext("材料代码 %(id)s 与 %(other)s 重复") % {
                    "id": _shown(item["id"]), "other": f"materials[{seen[item['id']]}]"}, steps
            )
        seen[item["id"]] = index
        for low, high in (("min_chars", "max_chars"), ("ratio_min", "ratio_max"), ("min_bytes", "max_bytes")):
            if low in item and high in item and item[low] > item[high]:
                steps = ("materials", index, low)
                return RuleSetDocumentError(
                    format_path(steps), gettext("%(low)s（%(low_value)s）不能大于 %(high)s（%(high_value)s）") % {
                        "low": low, "low_value": item[low], "high": high, "high_value": item[high]}, steps
                )
    return _case_rules(data)


def _case_rules(data: dict[str, Any]) -> RuleSetDocumentError | None:
    """Test cases: names unique, profiles the engine can read, expected checks that exist."""
    from rules.engine.profile import ProfileError, parse_profile

    codes = {check.get("code") or check.get("kind") for check in data.get("checks") or ()}
    names: dict[str, int] = {}
    for index, case in enumerate(data.get("cases") or ()):
        if case["name"] in names:
            steps = ("cases", index, "name")
            return RuleSetDocumentError(
                format_path(steps), gettext("用例名称 %(name)s 与 %(other)s 重复") % {
                    "name": _shown(case["name"]), "other": f"cases[{names[case['name']]}]"}, steps
            )
        names[case["name"]] = index
        try:
            parse_profile(case["profile"])
        except ProfileError as exc:
            steps = ["cases", index, "profile", *_profile_steps(exc.field)]
            reason = gettext("申报人信息有误：%(message)s") % {"message": exc.message}
            return RuleSetDocumentError(format_path(steps), reason, steps)
        for code in (case["expected"].get("checks") or {}):
            if code not in codes:
                steps = ("cases", index, "expected", "checks", code)
                known = _listed(sorted(codes))
                message = gettext("本规则集没有代码为 %(code)s 的检查，可选：%(known)s") % {
                    "code": _shown(code), "known": known}
                return RuleSetDocumentError(format_path(steps), message, steps)
    return None


def _profile_steps(dotted: str) -> list[str | int]:
    """``education[0].level`` (a ProfileError's field) → steps of a JSON path."""
    if dotted == "profile":
        return []
    return [int(index) if index else name for index, name in _ENGINE_STEP.findall(dotted)]


def validate_rule_set_document(data: Any) -> None:
    """Raise :class:`RuleSetDocumentError` for the first problem of ``data``, else return None.

    Order: the JSON Schema (errors sorted by path, so the answer is deterministic), then
    ``build_rule_set`` (duplicate check codes and anything else the engine refuses), then the
    document rules neither can state (dates in order, material ids unique, limits in order).
    """
    errors = sorted(rule_set_validator().iter_errors(data), key=_sort_key)
    if errors:
        parts, message = explain(errors[0])
        raise RuleSetDocumentError(format_path(parts), message, parts)
    try:
        build_rule_set(data)
    except Exception as exc:  # every engine refusal becomes a path and a reason
        raise _engine_error(exc) from exc
    problem = _document_rules(data)
    if problem is not None:
        raise problem


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def parse_rule_set_text(text: str) -> Any:
    """JSON text of a rule-set document (an upload, the JSON editor): the parsed value, or
    :class:`RuleSetDocumentError` at ``$`` saying where the JSON breaks."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        where = {"line": exc.lineno, "column": exc.colno}
        raise RuleSetDocumentError("$", gettext("不是有效的JSON（第%(line)s行第%(column)s列）") % where) from None
    except ValueError as exc:
        raise RuleSetDocumentError("$", gettext("不是有效的JSON（不允许 %(value)s）") % {"value": exc}) from None
