"""python manage.py window_status --tenant CODE --at 2024-09-20T17:00:00+08:00"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rules.management.contract import BadInputError, ContractCommand
from rules.windows import CST, UnknownTenantError, parse_instant, window_status


class Command(ContractCommand):
    help = "某租户在某一时刻的申报批次状态（申报、退回修改、审核是否开放）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tenant", required=True, help="租户代码（租户文档的 code）")
        parser.add_argument("--at", help="ISO 8601 时刻；不带时区时按北京时间；缺省为当前时刻")

    def run(self, **options: Any) -> dict[str, Any]:
        if options["at"] is None:
            at = datetime.now(tz=CST).replace(microsecond=0)
        else:
            try:
                at = parse_instant(options["at"])
            except ValueError:
                raise BadInputError(f"--at: 不是合法的 ISO 8601 时刻：{options['at']!r}") from None
        try:
            return window_status(options["tenant"], at)
        except UnknownTenantError:
            raise BadInputError(f"--tenant: unknown tenant {options['tenant']!r}（未知租户）") from None
