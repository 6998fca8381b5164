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
from django.utils import timezone

from rules.engine.ruleset import RuleSetData, build_rule_set, content_hash

log = logging.getLogger(__name__)

RULESETS_DIR = Path(__file__).resolve().parent / "rulesets"
WINDOWS_FILE = Path(__file__).resolve().parent / "windows" / "seeded.json"


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
def shipped_windows() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(WINDOWS_FILE.read_text(encoding="utf-8")))


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
        row = (
            RuleSet.objects.filter(code=code, status=RuleSet.Status.PUBLISHED)
            .order_by("-version")
            .values("data", "content_hash")
            .first()
        )
    except DatabaseError:
        # No table yet (before migrate, or a tool run without a database): the files still answer.
        row = None
    if row is not None:
        return compile_rule_set(row["data"], row["content_hash"])
    document = shipped_rule_set_documents().get(code)
    if document is None:
        raise UnknownRuleSetError(code)
    return compile_rule_set(document)


def sync_shipped_data(*, verbosity: int = 1) -> None:
    """Load the shipped rule sets and windows. Idempotent; never alters a published version."""
    from rules.models import DeclarationWindow, RuleSet

    if RuleSet._meta.db_table not in connection.introspection.table_names():
        return
    now = timezone.now()
    with transaction.atomic():
        for code, data in shipped_rule_set_documents().items():
            build_rule_set(data)  # a broken file must fail loudly at migrate time
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
        for window in shipped_windows():
            DeclarationWindow.objects.get_or_create(
                tenant_code=window["tenant_code"],
                name=window["name"],
                defaults={
                    "opens_at": datetime.fromisoformat(window["opens_at"]),
                    "submit_closes_at": datetime.fromisoformat(window["submit_closes_at"]),
                    "return_closes_at": _opt_datetime(window.get("return_closes_at")),
                    "review_closes_at": _opt_datetime(window.get("review_closes_at")),
                    "source": window.get("source", ""),
                },
            )


def _opt_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
