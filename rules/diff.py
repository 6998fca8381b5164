"""Two versions of a rule set side by side, clause by clause: what was added, removed or changed,
each value in the words a person reads (names instead of codes, dates in Chinese).

Checks are matched by their code, materials by id, cases by name; the document's own fields
(name, 文号, dates, scope) form the first clause."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rules.labels import field_label, show_value, value_label
from rules.presentation import KIND_TITLES

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
STATUS_WORDS = {ADDED: _("新增"), REMOVED: _("删除"), CHANGED: _("修改")}
DOCUMENT_FIELDS = ("name", "issuer", "source_document", "document_number", "effective_from", "effective_to", "covers")
# Not the rule: the wrapper of the file.
IGNORED = {"$schema", "description", "code", "version", "tenant_code"}


@dataclass(frozen=True, slots=True)
class FieldChange:
    path: str  # relative to the clause, e.g. "reduced.months"
    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class ClauseChange:
    status: str
    section: str  # document / check / material / case
    key: str
    title: str
    subject: str  # the rule text (label) of the clause, the newer one when changed
    fields: tuple[FieldChange, ...] = field(default_factory=tuple)
    source_before: str = ""
    source_after: str = ""

    @property
    def status_text(self) -> str:
        return str(STATUS_WORDS[self.status])

    def lines(self) -> list[str]:
        """The change in short sentences, for the audit log (written in Chinese: the caller renders
        it under ``translation.override("zh-hans")``) and the applicant's notice."""
        if self.subject and self.section != "document":
            head = gettext("%(title)s（%(subject)s）") % {"title": self.title, "subject": self.subject}
        else:
            head = self.title
        if self.status == ADDED:
            return [gettext("新增%(what)s") % {"what": head}]
        if self.status == REMOVED:
            return [gettext("删除%(what)s") % {"what": head}]
        return [gettext("%(title)s：%(label)s由“%(before)s”改为“%(after)s”") % {
            "title": self.title, "label": f.label, "before": f.before, "after": f.after} for f in self.fields]

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "section": self.section,
            "key": self.key,
            "title": self.title,
            "subject": self.subject,
            "fields": [{"path": f.path, "label": f.label, "before": f.before, "after": f.after} for f in self.fields],
            "source_before": self.source_before,
            "source_after": self.source_after,
        }


def _flatten(value: Any, prefix: str, context: str, labels: list[str], out: dict[str, tuple[str, Any]]) -> None:
    """Leaves of ``value`` keyed by relative path, each with its label (in the active language)."""
    if isinstance(value, dict) and value:
        for key, sub in value.items():
            if key in IGNORED and not prefix:
                continue
            parent = prefix.rsplit(".", 1)[-1] if prefix else ""
            if parent in ("allowed", "equivalents") or (context == "level_paths" and prefix == "levels"):
                word = value_label(key)
            else:
                word = field_label(key, context if not prefix or context == "path" else parent)
            _flatten(sub, f"{prefix}.{key}" if prefix else key, context, [*labels, word], out)
        return
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        for index, item in enumerate(value):
            n = {"n": index + 1}
            word = gettext("第%(n)s条路径") % n if context == "level_paths" else gettext("第%(n)s条") % n
            _flatten(item, f"{prefix}[{index}]", "path" if context == "level_paths" else context,
                     [*labels, word], out)
        return
    out[prefix] = (" › ".join(labels), value)


def _leaves(clause: dict[str, Any], context: str, skip: tuple[str, ...] = ()) -> dict[str, tuple[str, Any]]:
    out: dict[str, tuple[str, Any]] = {}
    _flatten({k: v for k, v in clause.items() if k not in skip}, "", context, [], out)
    return out


def _same(a: Any, b: Any) -> bool:
    # An absent flag and ``false`` mean the same to the engine; so do an absent list and []; and a
    # list of codes in another order is the same list.
    empty = (None, False, [], {}, "")
    if isinstance(a, list) and isinstance(b, list) and all(not isinstance(x, (dict, list)) for x in a + b):
        return sorted(map(str, a)) == sorted(map(str, b))
    return a == b or (a in empty and b in empty and type(a) is not int and type(b) is not int)


def _field_changes(before: dict[str, Any], after: dict[str, Any], context: str,
                   skip: tuple[str, ...] = ()) -> tuple[FieldChange, ...]:
    old, new = _leaves(before, context, skip), _leaves(after, context, skip)
    changes = []
    for path in [*new, *(p for p in old if p not in new)]:
        label, a = old.get(path, (new.get(path, ("", None))[0], None))
        b = new.get(path, (label, None))[1]
        if not _same(a, b):
            changes.append(FieldChange(path, label or new.get(path, (path,))[0], show_value(a), show_value(b)))
    return tuple(changes)


def _keyed(items: list[dict[str, Any]], key: str, fallback: str = "") -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for item in items or ():
        found[str(item.get(key) or item.get(fallback) or "")] = item
    return found


def _check_title(check: dict[str, Any]) -> str:
    return str(KIND_TITLES.get(check.get("kind", ""), check.get("kind", "")))


def compare_documents(old: dict[str, Any], new: dict[str, Any]) -> list[ClauseChange]:
    """Clause-by-clause differences from ``old`` to ``new``."""
    changes: list[ClauseChange] = []
    document_fields = _field_changes(
        {k: old.get(k) for k in DOCUMENT_FIELDS}, {k: new.get(k) for k in DOCUMENT_FIELDS}, "document"
    )
    if document_fields:
        changes.append(ClauseChange(CHANGED, "document", "", gettext("文件信息"), new.get("name", ""), document_fields))

    before, after = _keyed(old.get("checks", []), "code", "kind"), _keyed(new.get("checks", []), "code", "kind")
    for code, check in after.items():
        previous = before.get(code)
        if previous is None:
            changes.append(ClauseChange(ADDED, "check", code, _check_title(check), check.get("label", ""),
                                        source_after=check.get("source", "")))
            continue
        fields = _field_changes(previous, check, check.get("kind", ""), skip=("code",))
        if fields:
            changes.append(ClauseChange(CHANGED, "check", code, _check_title(check), check.get("label", ""), fields,
                                        previous.get("source", ""), check.get("source", "")))
    for code, check in before.items():
        if code not in after:
            changes.append(ClauseChange(REMOVED, "check", code, _check_title(check), check.get("label", ""),
                                        source_before=check.get("source", "")))

    before, after = _keyed(old.get("materials", []), "id"), _keyed(new.get("materials", []), "id")
    for key, item in after.items():
        previous = before.get(key)
        title = gettext("申报材料“%(name)s”") % {"name": item.get("name", key)}
        if previous is None:
            changes.append(ClauseChange(ADDED, "material", key, title, "", source_after=item.get("source", "")))
        elif fields := _field_changes(previous, item, "material", skip=("id",)):
            changes.append(ClauseChange(CHANGED, "material", key, title, "", fields,
                                        previous.get("source", ""), item.get("source", "")))
    for key, item in before.items():
        if key not in after:
            title = gettext("申报材料“%(name)s”") % {"name": item.get("name", key)}
            changes.append(ClauseChange(REMOVED, "material", key, title, "",
                                        source_before=item.get("source", "")))

    before, after = _keyed(old.get("cases", []), "name"), _keyed(new.get("cases", []), "name")
    for key, item in after.items():
        previous = before.get(key)
        title = gettext("测试用例“%(name)s”") % {"name": key}
        if previous is None:
            changes.append(ClauseChange(ADDED, "case", key, title, ""))
        elif fields := _field_changes(previous, item, "case", skip=("name",)):
            changes.append(ClauseChange(CHANGED, "case", key, title, "", fields))
    for key in before:
        if key not in after:
            changes.append(ClauseChange(REMOVED, "case", key, gettext("测试用例“%(name)s”") % {"name": key}, ""))
    return changes


def change_lines(changes: list[ClauseChange], limit: int = 30) -> list[str]:
    lines = [line for change in changes for line in change.lines()]
    if len(lines) > limit:
        return [*lines[: limit - 1], gettext("另有%(n)s处修改") % {"n": len(lines) - limit + 1}]
    return lines
