"""Citations people can read: a policy document by its 文号 and title, a rule set by its name and version.

Rule sets and tenant documents cite their sources by the seed file's name and the clause
(``000_09f0e4863c323892.txt 五(一)``, see ``rules/rulesets/*.json``); a page shows instead the
document's 文号 and title with the clause (``《郑州市初级职称…》（郑人社办〔2020〕237号）五(一)``).

The 文号 and title come from the stored rule sets whose ``source_document`` is that file
(``document_number`` and ``name``), the page's own tenant's first: two tenants' rule sets may rest
on one compilation (002) under different document numbers. A file no rule set names is looked up
in ``core/seed_documents.json`` (the five founding documents, as ../shared/seeds/README.md lists
them); a file found in neither is left out, never replaced by another document.

The rule sets are read once per process into an index keyed by their content. A save or delete
of a rule set drops a generation marker in the shared cache, so every process reads them again on
its next citation; a page with many citations costs no query per citation.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
SHIPPED = Path(__file__).resolve().parent / "seed_documents.json"
_CITED_FILE = re.compile(rf"({SEED_FILE.pattern})(\s*)")
GENERATION_KEY = "core.citations.generation"


@dataclass(frozen=True)
class Document:
    """How a page names one source file."""

    document_number: str
    title: str

    @property
    def full(self) -> str:
        """《title》（文号）, or whichever of the two is known."""
        if self.title and self.document_number:
            return f"《{self.title}》（{self.document_number}）"
        return f"《{self.title}》" if self.title else self.document_number

    @property
    def short(self) -> str:
        """The 文号, or the title when the document has no 文号."""
        return self.document_number or (f"《{self.title}》" if self.title else "")


@dataclass(frozen=True)
class Version:
    code: str
    tenant_code: str
    version: int
    published: bool
    name: str
    source_document: str
    document_number: str


@dataclass
class Index:
    by_file: dict[str, list[Version]] = field(default_factory=dict)
    by_code: dict[str, list[Version]] = field(default_factory=dict)


_lock = threading.Lock()
_state: dict[str, object] = {"generation": None, "index": None}
_by_content: dict[str, Index] = {}


def _shipped() -> dict[str, Document]:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return {
        name: Document(entry.get("document_number", ""), entry.get("title", ""))
        for name, entry in data.items()
        if not name.startswith("_")
    }


SHIPPED_DOCUMENTS = _shipped()


def _read_rule_sets() -> tuple[Version, ...]:
    from rules.models import RuleSet

    rows = RuleSet.objects.order_by("code", "-version").values_list(
        "code", "tenant_code", "version", "status", "name", "source_document", "document_number"
    )
    return tuple(
        Version(code, tenant, version, status == RuleSet.Status.PUBLISHED, name, source or "", number or "")
        for code, tenant, version, status, name, source, number in rows
    )


def _build(rows: tuple[Version, ...]) -> Index:
    index = Index()
    for row in rows:  # newest version of each code first
        index.by_code.setdefault(row.code, []).append(row)
        for name in SEED_FILE.findall(row.source_document) or ([row.source_document] if row.source_document else []):
            index.by_file.setdefault(name, []).append(row)
    return index


def index() -> Index:
    """The rule sets' names and documents, read again only when one has changed (any process)."""
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            generation = secrets.token_hex(8)
            if not cache.add(GENERATION_KEY, generation, timeout=None):
                generation = cache.get(GENERATION_KEY) or generation
    except Exception:  # the shared cache is down: read the rule sets every time
        generation = secrets.token_hex(8)
    current = _state["index"]
    if current is not None and _state["generation"] == generation:
        return current  # type: ignore[return-value]
    try:
        rows = _read_rule_sets()
    except DatabaseError:  # no table yet (before migrate): the shipped list still answers
        return Index()
    key = hashlib.sha256(repr(rows).encode()).hexdigest()
    with _lock:
        built = _by_content.get(key)
        if built is None:
            if len(_by_content) > 32:
                _by_content.clear()
            built = _by_content[key] = _build(rows)
        _state["generation"], _state["index"] = generation, built
    return built


def forget(**_kwargs) -> None:
    """A rule set changed: every process reads the rule sets again at its next citation."""
    _state["index"] = None
    # This process forgets in any case; the others when the shared cache answers again.
    with contextlib.suppress(Exception):
        cache.delete(GENERATION_KEY)


def _ruleset_code(context) -> str:
    """The rule-set code a citation prefers: a code string, an application's or a precheck's."""
    if context is None or context == "":
        return ""
    if isinstance(context, str):
        return context
    if hasattr(context, "source_document"):  # a rule set
        return getattr(context, "code", "") or ""
    return getattr(context, "ruleset_code", "") or ""


def _tenant_code(context) -> str:
    """The tenant code a citation prefers: a code string, a tenant's, or the tenant of an
    application, a rule set or a user (read only when the rule-set code did not decide)."""
    if context is None or context == "":
        return ""
    if isinstance(context, str):
        return context
    if hasattr(context, "authority_name"):  # a tenant
        return getattr(context, "code", "") or ""
    code = getattr(context, "tenant_code", "") or ""
    if not code and getattr(context, "tenant_id", None):
        code = getattr(getattr(context, "tenant", None), "code", "") or ""
    return code


def document(file_name: str, context=None) -> Document | None:
    """The document a seed file is, as the context's own rule set names it where it has one."""
    versions = index().by_file.get(file_name, [])

    def best(rows: list[Version]) -> Version | None:
        rows = [row for row in rows if row.document_number or row.name]
        return next((row for row in rows if row.published), rows[0] if rows else None)

    chosen = None
    ruleset_code = _ruleset_code(context) if versions else ""
    if ruleset_code:
        chosen = best([row for row in versions if row.code == ruleset_code])
    if chosen is None and versions and len({row.document_number for row in versions}) > 1:
        tenant_code = _tenant_code(context)
        chosen = best([row for row in versions if row.tenant_code == tenant_code]) if tenant_code else None
    if chosen is None and versions and len({row.document_number for row in versions}) == 1:
        chosen = best(versions)  # every rule set on this file names it alike
    if chosen is not None:
        return Document(chosen.document_number, chosen.name)
    return SHIPPED_DOCUMENTS.get(file_name)


def cite(text: str, context=None, *, short: bool = False) -> str:
    """``text`` with every seed file name replaced by the document's 文号 and title (or the 文号
    alone with ``short``); a file that cannot be named is dropped, its clause kept."""
    if not isinstance(text, str) or ".txt" not in text:
        return "" if text is None else text

    def named(match: re.Match) -> str:
        found = document(match.group(1), context)
        if found is None:
            return ""
        if short:
            return found.short + match.group(2)
        # 《title》（文号）五(一): the clause follows the closing mark directly.
        return found.full + ("" if found.full.endswith(("》", "）")) else match.group(2))

    return _CITED_FILE.sub(named, text).strip()


def cite_all(sources, context=None) -> str:
    """Several sources as one short citation: ``郑人社办〔2020〕237号 八(二)、九`` for
    ``["000_….txt 八(二)", "000_….txt 八(二)、九"]``; a document that cannot be named is left out."""
    clauses: dict[str, list[str]] = {}
    others: list[str] = []
    for source in sources or []:
        match = re.fullmatch(rf"({SEED_FILE.pattern})\s*([^；;]*)", (source or "").strip())
        if match is None:
            cited = cite(source, context, short=True)
            if cited and cited not in others:
                others.append(cited)
            continue
        found = clauses.setdefault(match.group(1), [])
        for part in re.split(r"[、，,]", match.group(2)):
            if part.strip() and part.strip() not in found:
                found.append(part.strip())
    named = []
    for file_name, parts in clauses.items():
        found = document(file_name, context)
        if found is not None and found.short:
            named.append(" ".join(filter(None, [found.short, "、".join(parts)])))
    return "；".join(named + others)


def ruleset_named(code: str, version: int | None = None) -> str:
    """“郑州市初级职称（员级、助理级）考核认定（郑人社办〔2020〕237号，第1版）”: never the code."""
    rows = index().by_code.get(code or "", [])
    if version:
        row = next((r for r in rows if r.version == version), None)
    else:
        row = next((r for r in rows if r.published), rows[0] if rows else None)
    if row is None:
        return _("第%(version)s版") % {"version": version} if version else ""
    parts = [part for part in (row.document_number, _("第%(version)s版") % {"version": row.version}) if part]
    return _("%(name)s（%(details)s）") % {"name": row.name, "details": pgettext("list separator", "，").join(parts)}
