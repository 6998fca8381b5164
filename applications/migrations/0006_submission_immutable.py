"""On PostgreSQL the database itself refuses UPDATE and DELETE of submission snapshots: they are
the evidence reviewers decide on, and nothing that reaches the database may change them.

TRUNCATE stays possible for the table owner only (test database flushes); the application's
role in production should not own the tables.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION applications_submission_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'applications_submission rows are immutable (submission snapshots)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER applications_submission_immutable BEFORE UPDATE OR DELETE ON applications_submission
    FOR EACH ROW EXECUTE FUNCTION applications_submission_immutable();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS applications_submission_immutable ON applications_submission;
DROP FUNCTION IF EXISTS applications_submission_immutable();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("applications", "0005_application_committee")]
    operations = [migrations.RunPython(forward, backward)]
