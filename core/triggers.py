"""PostgreSQL triggers that make rows of a table unchangeable from any client (migrations use
these). Elsewhere (SQLite) the models and querysets refuse on their own."""

from __future__ import annotations

from django.db import migrations


def refuse_update_and_delete(*, table: str, function: str, trigger: str, message: str) -> migrations.RunPython:
    """A migration operation: BEFORE UPDATE OR DELETE on ``table`` raises ``message``. TRUNCATE stays
    possible for the table owner only (test database flushes); the application's role in production
    should not own the tables."""
    forward_sql = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    backward_sql = f"""
DROP TRIGGER IF EXISTS {trigger} ON {table};
DROP FUNCTION IF EXISTS {function}();
"""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forward_sql)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(backward_sql)

    return migrations.RunPython(forward, backward)
