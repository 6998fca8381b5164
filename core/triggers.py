"""PostgreSQL triggers that make rows of a table unchangeable from any client. They are declared on
the models (``Meta.triggers``) with django-pgtrigger and installed by its migration operations;
elsewhere (SQLite) the models and querysets refuse on their own. The hand-written plpgsql of the
first migrations (``refuse_update_and_delete``) stays for those migrations' history only."""

from __future__ import annotations

import pgtrigger
from django.db import migrations
from pgtrigger import compiler


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


class UnignorableTriggerSql(compiler.UpsertTriggerSql):
    """pgtrigger's installation template (v1) without its ``pgtrigger.ignore`` escape hatch.

    pgtrigger's own template skips the trigger when the session sets ``pgtrigger.ignore`` to the
    trigger's name, and any client may set that (``SET LOCAL pgtrigger.ignore =
    '{pgtrigger_…}'``): it would let the application's own role rewrite audit rows and submission
    snapshots, which these triggers exist to prevent (tests/test_real_services.py shows the
    refusal holds). Migrations name this class, so change its template only with a new class."""

    def get_template(self) -> str:
        return """
            CREATE OR REPLACE FUNCTION {pgid}()
            RETURNS TRIGGER AS $$
                {declare}
                BEGIN
                    {func}
                END;
            $$ LANGUAGE plpgsql;

            DROP TRIGGER IF EXISTS {pgid} ON {table};
            CREATE {constraint} TRIGGER {pgid}
                {when} {operation} ON {table}
                {timing}
                {referencing}
                FOR EACH {level} {condition}
                EXECUTE PROCEDURE {execute};

            COMMENT ON TRIGGER {pgid} ON {table} IS '{hash}';
        """


class Refuse(pgtrigger.Protect):
    """django-pgtrigger's row-level protection, raising ``message`` (the wording the tests and the
    operators know) instead of pgtrigger's own "Cannot update rows from ... table", and installed
    without the ``pgtrigger.ignore`` escape hatch (``UnignorableTriggerSql``)."""

    message = ""

    def __init__(self, *, message: str, **kwargs):
        self.message = message
        super().__init__(**kwargs)

    def get_func(self, model):
        return self.format_sql(f"RAISE EXCEPTION '{self.message}';")

    def compile(self, model) -> compiler.Trigger:
        compiled = super().compile(model)
        kwargs = {key: value for key, value in compiled.sql.kwargs.items() if key != "ignore_func_name"}
        return compiler.Trigger(name=compiled.name, sql=UnignorableTriggerSql(**kwargs))


def drop_trigger(*, table: str, function: str, trigger: str, restore_sql: str) -> migrations.RunPython:
    """A migration operation: drop a hand-written trigger and its function (on PostgreSQL), replaced
    by django-pgtrigger's protection (``Refuse``); backwards, ``restore_sql`` creates them again."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}; DROP FUNCTION IF EXISTS {function}();")

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(restore_sql)

    return migrations.RunPython(forward, backward)
