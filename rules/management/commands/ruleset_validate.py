"""python manage.py ruleset_validate FILE  (FILE may be '-' for standard input).

Checks a rule-set document against rules/schema/ruleset.schema.json and the engine (tenant
contract). Valid: one JSON object on stdout, exit 0. Otherwise exit 2 with one line on stderr
naming the JSON path and the reason, e.g. ``checks[3].min_months: 应为整数，现为 "六"``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rules.management.contract import BadInputError, ContractCommand
from rules.validation import RuleSetDocumentError, validate_rule_set_document


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


class Command(ContractCommand):
    help = "校验规则集文档（JSON Schema 与规则引擎），出错时指出 JSON 路径和原因（见 docs/rulesets.md）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FILE", help="规则集 JSON 文件，'-' 表示标准输入")

    def run(self, **options: Any) -> dict[str, Any]:
        text = self._read(options["file"])
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise BadInputError(f"$: 不是有效的JSON（第{exc.lineno}行第{exc.colno}列）") from None
        except ValueError as exc:
            raise BadInputError(f"$: 不是有效的JSON（不允许 {exc}）") from None
        try:
            validate_rule_set_document(data)
        except RuleSetDocumentError as exc:
            raise BadInputError(str(exc)) from None
        return {"ruleset": data["code"], "version": data["version"], "valid": True, "checks": len(data["checks"])}

    @staticmethod
    def _read(name: str) -> str:
        if name == "-":
            return sys.stdin.read()
        try:
            return Path(name).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise BadInputError(f"$: 文件不存在：{name}") from None
        except UnicodeDecodeError:
            raise BadInputError(f"$: 文件不是 UTF-8 编码：{name}") from None
        except OSError as exc:
            raise BadInputError(f"$: 无法读取文件 {name}：{exc.strerror or exc}") from None
