"""Audit retention: rows are kept at least 180 days; only older rows are archived (JSONL) and purged."""

from __future__ import annotations

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core.audit import audit
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _event_at(days_ago: int, action: str) -> AuditEvent:
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days=days_ago)):
        return audit(action=action, masked="410***********123X")


def test_it_archives_and_purges_only_rows_older_than_the_retention(settings, tmp_path):
    settings.AUDIT_RETENTION_DAYS = 200
    old = [_event_at(400, "login"), _event_at(201, "login_failed")]
    young = [_event_at(199, "login"), _event_at(0, "attachment_downloaded")]

    call_command("purge_audit", archive_dir=tmp_path, stdout=open("/dev/null", "w"))  # noqa: SIM115

    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert {e.pk for e in young} <= remaining
    assert not {e.pk for e in old} & remaining
    [archive] = list(tmp_path.glob("audit-before-*.jsonl"))
    rows = [json.loads(line) for line in archive.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["action"]) for r in rows] == [(e.pk, e.action) for e in old]
    assert rows[0]["detail"] == {"masked": "410***********123X"}
    purge = AuditEvent.objects.get(action="audit_purged")
    assert purge.detail["archived"] == 2 and purge.detail["archive"] == archive.name


def test_it_refuses_a_retention_below_180_days_and_deletes_nothing(settings, tmp_path):
    settings.AUDIT_RETENTION_DAYS = 179
    _event_at(400, "login")
    with pytest.raises(CommandError, match="低于法定下限180天"):
        call_command("purge_audit", archive_dir=tmp_path)
    assert AuditEvent.objects.count() == 1 and not list(tmp_path.iterdir())


def test_it_counts_without_deleting_on_a_dry_run(settings, tmp_path, capsys):
    settings.AUDIT_RETENTION_DAYS = 180
    _event_at(400, "login")
    call_command("purge_audit", archive_dir=tmp_path, dry_run=True)
    assert "共 1 条" in capsys.readouterr().out
    assert AuditEvent.objects.count() == 1


def test_it_still_refuses_deletes_through_the_application():
    event = _event_at(400, "login")
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.services
def test_it_lets_the_database_delete_only_old_rows_and_only_inside_the_purge(postgres, settings, tmp_path):
    old, young = _event_at(181, "login"), _event_at(179, "login")

    def delete(pk: int, *, purge: bool) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            if purge:
                cursor.execute("SET LOCAL zhicheng.audit_purge = 'on'")
            cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [pk])
            cursor.execute("SET LOCAL zhicheng.audit_purge = 'off'")

    with pytest.raises(DatabaseError, match="append-only"):
        delete(young.pk, purge=True)  # younger than 180 days: refused even by the purge
    with pytest.raises(DatabaseError, match="append-only"):
        delete(old.pk, purge=False)  # old enough, but not the purge
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL zhicheng.audit_purge = 'on'")
        cursor.execute("UPDATE core_auditevent SET action = 'x' WHERE id = %s", [old.pk])
    assert AuditEvent.objects.filter(pk__in=[old.pk, young.pk]).count() == 2

    # A configuration that slipped past the command's floor still cannot delete a young row.
    settings.AUDIT_RETENTION_DAYS = 180
    with mock.patch("core.retention.retention_days", return_value=1), pytest.raises(DatabaseError, match="append-only"):
        call_command("purge_audit", archive_dir=tmp_path)
    assert AuditEvent.objects.filter(pk__in=[old.pk, young.pk]).count() == 2
    assert not list(tmp_path.iterdir())  # no archive left claiming rows that were not deleted

    call_command("purge_audit", archive_dir=tmp_path, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(AuditEvent.objects.filter(pk__in=[old.pk, young.pk]).values_list("pk", flat=True)) == [young.pk]
