"""On PostgreSQL the database itself refuses UPDATE and DELETE of submission snapshots: they are
the evidence reviewers decide on, and nothing that reaches the database may change them."""

from django.db import migrations

from core.triggers import refuse_update_and_delete


class Migration(migrations.Migration):
    dependencies = [("applications", "0005_application_committee")]
    operations = [
        refuse_update_and_delete(
            table="applications_submission",
            function="applications_submission_immutable",
            trigger="applications_submission_immutable",
            message="applications_submission rows are immutable (submission snapshots)",
        )
    ]
