"""python manage.py evaluate_eligibility --ruleset CODE --profile FILE  (FILE may be '-')."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rules.catalog import UnknownRuleSetError, get_rule_set
from rules.engine import ProfileError, evaluate, parse_profile
from rules.management.contract import BadInputError, ContractCommand


class Command(ContractCommand):
    help = "判断申报人能否申报目标职称级别，输出带出处的 JSON 结论（见 eligibility-contract.md）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--ruleset", required=True, help="规则集代码（租户文档 rulesets[].code）")
        parser.add_argument("--profile", required=True, help="申报人信息 JSON 文件，'-' 表示标准输入")

    def run(self, **options: Any) -> dict[str, Any]:
        text = self._read(options["profile"])
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadInputError(f"--profile: JSON 格式错误（第{exc.lineno}行第{exc.colno}列）：{exc.msg}") from None
        try:
            profile = parse_profile(raw)
        except ProfileError as exc:
            raise BadInputError(f"--profile: invalid field {exc.field}: {exc.message}") from None
        try:
            rule_set = get_rule_set(options["ruleset"])
        except UnknownRuleSetError as exc:
            raise BadInputError(f"--ruleset: unknown rule set {exc.code!r}（未知规则集）") from None
        return evaluate(rule_set, profile, profile.as_of).as_dict()

    @staticmethod
    def _read(name: str) -> str:
        if name == "-":
            return sys.stdin.read()
        path = Path(name)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BadInputError(f"--profile: 文件不存在：{name}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInputError(f"--profile: 无法读取文件 {name}：{exc}") from None
