"""Archive (JSONL) and delete audit records older than ``AUDIT_RETENTION_DAYS`` (at least 180)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.retention import audit_purge


class Command(BaseCommand):
    help = _("归档并清理超过保存期限（不少于180天）的审计记录。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--archive-dir", type=Path, default=None, help=_("归档目录（默认 AUDIT_ARCHIVE_DIR）"))
        parser.add_argument("--dry-run", action="store_true", help=_("只统计，不归档不删除"))

    def handle(self, *args, archive_dir: Path | None = None, dry_run: bool = False, **options) -> None:
        try:
            result = audit_purge(archive_dir=archive_dir, dry_run=dry_run)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if dry_run:
            self.stdout.write(
                _("%(cutoff)s 之前的审计记录共 %(count)s 条（未清理）。")
                % {"cutoff": f"{result.cutoff:%Y-%m-%d %H:%M}", "count": result.archived}
            )
        elif result.archive is None:
            self.stdout.write(_("没有超过保存期限的审计记录。"))
        else:
            self.stdout.write(
                _("已归档并清理 %(count)s 条审计记录（%(cutoff)s 之前），归档文件 %(archive)s，SHA-256 %(sha256)s。")
                % {
                    "count": result.archived, "cutoff": f"{result.cutoff:%Y-%m-%d}", "archive": result.archive,
                    "sha256": result.sha256,
                }
            )
