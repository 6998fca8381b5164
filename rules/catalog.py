"""Where rule sets and seeded windows come from: the data files shipped in the repository,
loaded into the database by ``migrate``, and looked up (database first) with a cache of the
parsed form keyed by content hash, so evaluation never re-parses an unchanged rule set."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Case, F, JSONField, Value, When
from django.utils import timezone

from rules.engine.ruleset import RuleSetData, build_rule_set, content_hash
from rules.validation import validate_rule_set_document

log = logging.getLogger(__name__)

RULESETS_DIR = Path(__file__).resolve().parent / "rulesets"
# The seeded tenants' documents (tenant contract); rules reads only their ``windows`` here, so that
# the contract's commands answer for a seeded tenant on a database no tenant was applied to yet.
TENANTS_DIR = Path(__file__).resolve().parent.parent / "tenants"


class UnknownRuleSetError(LookupError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@lru_cache(maxsize=1)
def shipped_rule_set_documents() -> dict[str, dict[str, Any]]:
    documents = {}
    for path in sorted(RULESETS_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        documents[data["code"]] = data
    return documents


@lru_cache(maxsize=1)
def shipped_tenant_documents() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(path.read_text(encoding="utf-8")) for path in sorted(TENANTS_DIR.glob("*.json")))


def shipped_tenant_codes() -> tuple[str, ...]:
    return tuple(document["code"] for document in shipped_tenant_documents())


@lru_cache(maxsize=1)
def shipped_windows() -> tuple[dict[str, Any], ...]:
    """Every window of the shipped tenant documents, with its ``tenant_code``."""
    return tuple(
        {**window, "tenant_code": document["code"]}
        for document in shipped_tenant_documents()
        for window in document.get("windows", ())
    )


def window_row_fields(window: dict[str, Any]) -> dict[str, Any]:
    """A document's window as ``DeclarationWindow`` fields (the tenant contract's ``windows[]``)."""
    return {
        "recurrence": window.get("recurring"),
        "opens_at": _opt_datetime(window.get("opens_at")),
        "submit_closes_at": _opt_datetime(window.get("submit_closes_at")),
        "return_closes_at": _opt_datetime(window.get("return_closes_at")),
        "review_closes_at": _opt_datetime(window.get("review_closes_at")),
        "roster_closes_at": _opt_datetime(window.get("roster_closes_at")),
        "source": window.get("source", ""),
        "series": list(window.get("series", [])),
        "levels": list(window.get("levels", [])),
    }


_compiled: dict[str, RuleSetData] = {}


def compile_rule_set(data: dict[str, Any], digest: str | None = None) -> RuleSetData:
    digest = digest or content_hash(data)
    found = _compiled.get(digest)
    if found is None:
        found = _compiled[digest] = build_rule_set(data)
    return found


def get_rule_set(code: str) -> RuleSetData:
    """The newest published version of ``code``; the shipped file when the database has none."""
    from rules.models import RuleSet

    try:
        # One query either way; the document (tens of kilobytes of JSON to send and parse) comes only
        # when this process has not compiled that version yet — pages read the rule set several times.
        row = (
            RuleSet.objects.filter(code=code, status=RuleSet.Status.PUBLISHED)
            .order_by("-version")
            .annotate(
                document=Case(
                    When(content_hash__in=list(_compiled), then=Value(None)),
                    default=F("data"),
                    output_field=JSONField(),
                )
            )
            .values("document", "content_hash")
            .first()
        )
    except DatabaseError:
        # No table yet (before migrate, or a tool run without a database): the files still answer.
        row = None
    if row is not None:
        compiled = _compiled.get(row["content_hash"])
        if compiled is not None:
            return compiled
        return compile_rule_set(row["document"], row["content_hash"])
    document = shipped_rule_set_documents().get(code)
    if document is None:
        raise UnknownRuleSetError(code)
    return compile_rule_set(document)


def sync_shipped_data(*, verbosity: int = 1) -> None:
    """Load the shipped rule sets. Idempotent; never alters a published version.

    Windows are the tenant's (``tenant_apply``); a seeded tenant not applied yet answers from its
    shipped document (``rules.windows``)."""
    from rules.models import RuleSet

    if RuleSet._meta.db_table not in connection.introspection.table_names():
        return
    now = timezone.now()
    with transaction.atomic():
        for code, data in shipped_rule_set_documents().items():
            validate_rule_set_document(data)  # a broken file must fail loudly at migrate time
            digest = content_hash(data)
            existing = RuleSet.objects.filter(code=code, version=data["version"]).first()
            if existing is None:
                RuleSet.objects.create(
                    code=code,
                    tenant_code=data["tenant_code"],
                    version=data["version"],
                    status=RuleSet.Status.PUBLISHED,
                    name=data["name"],
                    source_document=data["source_document"],
                    document_number=data.get("document_number", ""),
                    effective_from=data.get("effective_from"),
                    effective_to=data.get("effective_to"),
                    data=data,
                    content_hash=digest,
                    published_at=now,
                )
            elif existing.content_hash != digest:
                log.warning("rule set %s v%s differs from its file; published versions are not changed — "
                            "bump the version in the file", code, data["version"])


def _opt_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
