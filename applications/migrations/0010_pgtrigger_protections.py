"""The hand-written immutability trigger (0006) replaced by django-pgtrigger's protection declared
on ``Submission.Meta.triggers`` (same refusal, same message)."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

import core.triggers
from core.triggers import drop_trigger

RESTORE = """
CREATE OR REPLACE FUNCTION applications_submission_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'applications_submission rows are immutable (submission snapshots)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER applications_submission_immutable BEFORE UPDATE OR DELETE ON applications_submission
    FOR EACH ROW EXECUTE FUNCTION applications_submission_immutable();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0009_unitrosterfiling'),
    ]

    operations = [
        drop_trigger(
            table="applications_submission",
            function="applications_submission_immutable",
            trigger="applications_submission_immutable",
            restore_sql=RESTORE,
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='submission',
            trigger=pgtrigger.compiler.Trigger(name='submission_immutable', sql=core.triggers.UnignorableTriggerSql(func="RAISE EXCEPTION 'applications_submission rows are immutable (submission snapshots)';", hash='ef299306b331d53cfa70c9342da8fdcc01891b60', operation='UPDATE OR DELETE', pgid='pgtrigger_submission_immutable_b9291', table='applications_submission', when='BEFORE')),
        ),
    ]
