"""JSON Schema validation with one Chinese line per problem, naming the JSON path.

Tenant documents and rule sets are checked against schemas kept in the repository; a person (on a
page) and a script (a command's one-line error) both need to know which value is wrong and why:
``chain[2].level: 未知的取值 "province"，可选：unit、department、county、city、committee``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

TYPE_NAMES = {
    "object": pgettext_lazy("JSON type", "对象"),
    "array": pgettext_lazy("JSON type", "数组"),
    "string": pgettext_lazy("JSON type", "字符串"),
    "integer": pgettext_lazy("JSON type", "整数"),
    "number": pgettext_lazy("JSON type", "数字"),
    "boolean": pgettext_lazy("JSON type", "true 或 false"),
    "null": "null",
}


class DocumentError(ValueError):
    """The first problem of a document: where (a JSON path) and why (Chinese)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def format_path(parts: Iterable[Any]) -> str:
    """``["chain", 2, "level"]`` → ``chain[2].level``; the root is ``$``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "$"


@lru_cache(maxsize=8)
def validator_for(path: str) -> Draft202012Validator:
    schema = json.loads(Path(path).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _types(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return pgettext("alternatives", "或").join(str(TYPE_NAMES.get(name, name)) for name in names)


def explain(error: SchemaError) -> tuple[str, str]:
    """(path, Chinese reason) of one schema error."""
    parts = list(error.absolute_path)
    kind, value, expected = error.validator, error.instance, error.validator_value
    if kind == "oneOf" and error.context:
        # The branch that got furthest says the most: report its first problem.
        best = max(error.context, key=lambda sub: (len(sub.absolute_path), -len(str(sub.message))))
        if len(best.absolute_path) > len(parts):
            return explain(best)
    if kind == "required":
        missing = next((name for name in expected if isinstance(value, dict) and name not in value), expected[0])
        return format_path(parts), _("缺少必填字段“%(name)s”") % {"name": missing}
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(key for key in value if key not in allowed) if isinstance(value, dict) else []
        name = extra[0] if extra else "?"
        return format_path([*parts, name]), _("不认识的字段（请检查拼写，或删除该字段）")
    if kind == "type":
        return format_path(parts), (
            _("应为%(expected)s，现为 %(value)s")
            % {"expected": _types(expected), "value": _shown(value)}
        )
    if kind in ("enum", "const"):
        options = expected if kind == "enum" else [expected]
        listed = pgettext("enumeration", "、").join(str(option) for option in options)
        return format_path(parts), (
            _("未知的取值 %(value)s，可选：%(options)s")
            % {"value": _shown(value), "options": listed}
        )
    if kind == "pattern":
        return format_path(parts), _("格式不正确：%(value)s") % {"value": _shown(value)}
    if kind == "format":
        if expected == "date-time":
            return format_path(parts), _("应为带时区的时刻，如 2027-03-20T17:00:00+08:00，现为 %(value)s") % {
                "value": _shown(value)
            }
        return format_path(parts), (
            _("格式不正确（%(format)s）：%(value)s")
            % {"format": expected, "value": _shown(value)}
        )
    if kind == "minimum":
        return format_path(parts), _("不能小于%(limit)s，现为 %(value)s") % {"limit": expected, "value": _shown(value)}
    if kind == "maximum":
        return format_path(parts), _("不能大于%(limit)s，现为 %(value)s") % {"limit": expected, "value": _shown(value)}
    if kind == "minLength":
        return format_path(parts), (_("不能为空") if expected == 1 else _("至少%(limit)s个字符") % {"limit": expected})
    if kind == "maxLength":
        return format_path(parts), (
            _("不能超过%(limit)s个字符，现为%(length)s个")
            % {"limit": expected, "length": len(value)}
        )
    if kind == "minItems":
        return format_path(parts), _("至少须有%(limit)s项") % {"limit": expected}
    if kind == "maxItems":
        return format_path(parts), _("最多%(limit)s项") % {"limit": expected}
    if kind == "uniqueItems":
        return format_path(parts), _("各项不能重复")
    if kind == "oneOf":
        return format_path(parts), _("不符合任何一种允许的写法")
    if kind == "not":
        return format_path(parts), _("包含了不能同时出现的字段")
    return format_path(parts), _("不符合要求（%(rule)s）") % {"rule": kind}


def first_error(schema_path: str | Path, data: Any) -> DocumentError | None:
    """The first problem in document order (sorted by path), or None when ``data`` is valid."""
    errors = sorted(
        validator_for(str(schema_path)).iter_errors(data),
        key=lambda e: ([str(p) for p in e.absolute_path], e.validator != "required"),
    )
    if not errors:
        return None
    path, message = explain(errors[0])
    return DocumentError(path, message)


def defaults_of(schema_path: str | Path, definition: str) -> dict[str, Any]:
    """The ``default`` of every property of ``$defs[definition]``."""
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    properties = schema["$defs"][definition]["properties"]
    return {name: spec["default"] for name, spec in properties.items() if "default" in spec}
