"""The hand-written append-only/retention trigger (0002, 0003) replaced by django-pgtrigger's
protections declared on ``AuditEvent.Meta.triggers`` (same refusals, same messages)."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

import core.triggers
from core.triggers import drop_trigger

# Migrations 0002 and 0003's hand-written trigger, as 0003 left it (restored backwards).
RESTORE = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('zhicheng.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'core_auditevent is append-only (rows younger than 180 days are never deleted)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_outbox_message'),
    ]

    operations = [
        drop_trigger(
            table="core_auditevent",
            function="core_auditevent_append_only",
            trigger="core_auditevent_no_update",
            restore_sql=RESTORE,
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='auditevent',
            trigger=pgtrigger.compiler.Trigger(name='auditevent_no_update', sql=core.triggers.UnignorableTriggerSql(func="RAISE EXCEPTION 'core_auditevent is append-only';", hash='22a31ff02108a2e95bd1f63793498e4c6208f3ce', operation='UPDATE', pgid='pgtrigger_auditevent_no_update_24251', table='core_auditevent', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='auditevent',
            trigger=pgtrigger.compiler.Trigger(name='auditevent_retention', sql=core.triggers.UnignorableTriggerSql(condition="WHEN (NOT (COALESCE(current_setting('zhicheng.audit_purge', true), '') = 'on' AND OLD.at < now() - interval '180 days'))", func="RAISE EXCEPTION 'core_auditevent is append-only (rows younger than 180 days are never deleted)';", hash='4291064d7c5ab742109d1961de4bbfc44e6a0772', operation='DELETE', pgid='pgtrigger_auditevent_retention_f8933', table='core_auditevent', when='BEFORE')),
        ),
    ]
