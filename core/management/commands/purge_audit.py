"""Archive (JSONL) and delete audit records older than ``AUDIT_RETENTION_DAYS`` (at least 180)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.retention import audit_purge


class Command(BaseCommand):
    help = "归档并清理超过保存期限（不少于180天）的审计记录。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--archive-dir", type=Path, default=None, help="归档目录（默认 AUDIT_ARCHIVE_DIR）")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不归档不删除")

    def handle(self, *args, archive_dir: Path | None = None, dry_run: bool = False, **options) -> None:
        try:
            result = audit_purge(archive_dir=archive_dir, dry_run=dry_run)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if dry_run:
            self.stdout.write(f"{result.cutoff:%Y-%m-%d %H:%M} 之前的审计记录共 {result.archived} 条（未清理）。")
        elif result.archive is None:
            self.stdout.write("没有超过保存期限的审计记录。")
        else:
            self.stdout.write(
                f"已归档并清理 {result.archived} 条审计记录（{result.cutoff:%Y-%m-%d} 之前），"
                f"归档文件 {result.archive}，SHA-256 {result.sha256}。"
            )
