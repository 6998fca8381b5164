"""``manage.py verify_certificate FILE``: the verification page's file check, offline.

Prints one Chinese line; exit code 0 valid, 1 invalid (tampered, revoked, superseded, unknown),
2 bad input (missing, unreadable, not a PDF, too large).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from certificates import verification


class Command(BaseCommand):
    help = "核验电子职称证书PDF：签名是否完好、是否与签发记录一致、证书当前状态。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="证书PDF文件路径")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            self._finish(2, f"输入错误：找不到文件 {path}。")
        if path.stat().st_size > verification.MAX_UPLOAD_BYTES:
            self._finish(2, "输入错误：文件过大，证书PDF不能超过5MB。")
        try:
            content = verification.check_upload(path.read_bytes())
        except (OSError, ValidationError) as error:
            message = "; ".join(error.messages) if isinstance(error, ValidationError) else "无法读取文件。"
            self._finish(2, f"输入错误：{message}")
        result = verification.verify_file(content)
        self._finish(result.exit_code, result.message)

    def _finish(self, code: int, message: str) -> None:
        self.stdout.write(message)
        sys.exit(code)
