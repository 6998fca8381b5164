"""python manage.py working_days --from 2024-09-30 --days 5"""

from __future__ import annotations

from datetime import date
from typing import Any

from rules.management.contract import BadInputError, ContractCommand
from rules.workdays import MAX_DAYS, CalendarUnknownError, working_days_from


class Command(ContractCommand):
    help = "从某日起数 N 个工作日（扣除周末和法定节假日，含调休上班日）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="起始日期 YYYY-MM-DD")
        parser.add_argument("--days", required=True, help=f"工作日数（1—{MAX_DAYS}）")

    def run(self, **options: Any) -> dict[str, Any]:
        try:
            start = date.fromisoformat(options["start"])
        except ValueError:
            raise BadInputError(f"--from: 日期格式错误 {options['start']!r}，应为 YYYY-MM-DD") from None
        text = str(options["days"]).strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
            raise BadInputError(f"--days: 须为 1 至 {MAX_DAYS} 的整数，收到 {options['days']!r}")
        days = int(text)
        try:
            counted = working_days_from(start, days)
        except CalendarUnknownError as exc:
            raise BadInputError(f"--from/--days: {exc}") from None
        return {
            "from": start.isoformat(),
            "days": days,
            "ends_on": counted[-1].isoformat(),
            "counted": [d.isoformat() for d in counted],
        }
