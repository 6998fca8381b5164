"""Audit retention: archive then delete audit rows older than the configured retention.

Records are kept at least ``MINIMUM_RETENTION_DAYS`` (180; 等保三级 安全审计, 《网络安全法》第二十一条
“网络日志留存不少于六个月”). The database enforces the same floor on PostgreSQL (core migration
0003): it deletes only rows older than 180 days, and only inside a transaction that set
``zhicheng.audit_purge``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.models import AuditEvent

MINIMUM_RETENTION_DAYS = 180
FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "actor_role",
    "tenant_id",
    "organisation_id",
    "action",
    "target_type",
    "target_id",
    "ip",
    "detail",
)


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    archived: int
    archive: Path | None
    sha256: str


def retention_days() -> int:
    days = int(settings.AUDIT_RETENTION_DAYS)
    if days < MINIMUM_RETENTION_DAYS:
        raise ValidationError(
            _(
                "审计记录保存期限设置为%(days)s天，低于法定下限%(minimum)s天，拒绝清理。"
                "请将 ZC_AUDIT_RETENTION_DAYS 设为不小于%(minimum)s的天数。"
            )
            % {"days": days, "minimum": MINIMUM_RETENTION_DAYS}
        )
    return days


def audit_purge(*, archive_dir: Path | None = None, now: datetime | None = None, dry_run: bool = False) -> PurgeResult:
    """Write every row older than the retention to a JSONL file (fsynced), then delete exactly those rows."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    archive_dir = Path(archive_dir or settings.AUDIT_ARCHIVE_DIR)
    old = AuditEvent.objects.filter(at__lt=cutoff).order_by("id")
    if dry_run:
        return PurgeResult(cutoff=cutoff, archived=old.count(), archive=None, sha256="")
    path = archive_dir / f"audit-before-{cutoff:%Y%m%d}-{timezone.now():%Y%m%dT%H%M%S%f}.jsonl"
    try:
        return _archive_and_delete(old, cutoff=cutoff, path=path)
    except BaseException:
        path.unlink(missing_ok=True)  # nothing was deleted: no archive claims otherwise
        raise


def _archive_and_delete(old, *, cutoff: datetime, path: Path) -> PurgeResult:
    with transaction.atomic():
        ids = list(old.values_list("id", flat=True))
        if not ids:
            return PurgeResult(cutoff=cutoff, archived=0, archive=None, sha256="")
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with open(path, "x", encoding="utf-8") as handle:
            for row in old.values(*FIELDS).iterator(chunk_size=2000):
                line = json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"
                handle.write(line)
                digest.update(line.encode())
            handle.flush()
            os.fsync(handle.fileno())
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL zhicheng.audit_purge = 'on'")
            # The model refuses deletes; the purge is the one sanctioned path, bounded by id and age.
            cursor.execute(
                f"DELETE FROM {AuditEvent._meta.db_table} WHERE at < %s AND id <= %s",  # noqa: S608 - table name
                [cutoff, ids[-1]],
            )
            deleted = cursor.rowcount
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL zhicheng.audit_purge = 'off'")
        if deleted != len(ids):
            raise RuntimeError(f"archived {len(ids)} audit rows but deleted {deleted}")
        audit(
            action="audit_purged",
            cutoff=cutoff.isoformat(),
            archived=len(ids),
            archive=path.name,
            sha256=digest.hexdigest(),
        )
    return PurgeResult(cutoff=cutoff, archived=len(ids), archive=path, sha256=digest.hexdigest())
