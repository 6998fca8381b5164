"""On PostgreSQL the database itself refuses UPDATE and DELETE of audit rows."""

from django.db import migrations

from core.triggers import refuse_update_and_delete


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [
        refuse_update_and_delete(
            table="core_auditevent",
            function="core_auditevent_append_only",
            trigger="core_auditevent_no_update",
            message="core_auditevent is append-only",
        )
    ]
