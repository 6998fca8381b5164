"""What changed between two versions of a tenant document, section by section, in Chinese.

Lists whose items have a handle (districts by code, organisations by key, staff by username,
windows by name, rule sets by code) are compared item by item: an item is added, removed, or
changed in some of its values. The chain is compared level by level in order. Values read as on
the pages (labels, not codes; instants as 2027年3月20日 17:00)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, pgettext_lazy

from units.tenant_labels import (
    BASIC_FIELDS,
    SECTIONS,
    _inner,
    chain_level_text,
    field_label,
    item_name,
    value_text,
)

KEYS = {"districts": "code", "organisations": "key", "staff": "username", "windows": "name", "rulesets": "code"}
CHANGES = {  # with a context: alone, 删除/修改 are buttons (Delete/Edit) on other pages
    "added": pgettext_lazy("tenant change", "新增"),
    "removed": pgettext_lazy("tenant change", "删除"),
    "changed": pgettext_lazy("tenant change", "修改"),
}
RULE_SET_ROWS = 40
LONGEST = 300


@dataclass
class Row:
    label: str
    change: str
    old: str = ""
    new: str = ""

    @property
    def change_label(self) -> str:
        return CHANGES[self.change]


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)


class _Names:
    """District and organisation names of both versions, to show references by name."""

    def __init__(self, *documents: dict[str, Any]) -> None:
        self.districts: dict[str, str] = {}
        self.organisations: dict[str, str] = {}
        for document in documents:
            for item in document.get("districts", []) or []:
                self.districts[item.get("code")] = item.get("name", "")
            for item in document.get("organisations", []) or []:
                self.organisations[item.get("key")] = item.get("name", "")

    def text(self, name: Any, value: Any) -> str:
        if value is not None and name == "district":
            return self.districts.get(value, str(value))
        if value is not None and name in ("competent_department", "organisation"):
            return self.organisations.get(value, str(value))
        return _short(value_text(name, value))


def _short(text: str) -> str:
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def _leaves(old: Any, new: Any, path: tuple = ()):
    """(path, old, new) of every value that differs; None stands for absent."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            yield from _leaves(old.get(key), new.get(key), (*path, key))
    elif isinstance(old, list) and isinstance(new, list) and any(isinstance(item, dict) for item in old + new):
        for index in range(max(len(old), len(new))):
            yield from _leaves(
                old[index] if index < len(old) else None, new[index] if index < len(new) else None, (*path, index)
            )
    elif old != new:
        yield path, old, new


def _last_name(path: tuple) -> str | None:
    return next((part for part in reversed(path) if isinstance(part, str)), None)


def _change(old: Any, new: Any) -> str:
    return "added" if old is None else "removed" if new is None else "changed"


def _summary(section: str, item: dict[str, Any], names: _Names) -> str:
    if section == "rulesets":
        text = str(item.get("name") or item.get("code"))
        if item.get("document_number"):
            text += gettext("（%(document_number)s）") % {"document_number": item['document_number']}
        return text + (gettext("，第%(version)s版") % {"version": item['version']} if item.get("version") else "")
    parts = [gettext("%(field_label)s：%(text)s") % {
        "field_label": field_label(section, key),
        "text": names.text(key, value),
    } for key, value in item.items()]
    return _short(gettext("；").join(parts))


def _rule_set_path(path: tuple) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")


def _keyed_rows(section: str, old: list, new: list, names: _Names) -> list[Row]:
    handle = KEYS[section]
    before = {item.get(handle): item for item in old if isinstance(item, dict)}
    after = {item.get(handle): item for item in new if isinstance(item, dict)}
    rows: list[Row] = []
    for key in list(after) + [k for k in before if k not in after]:
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        title = item_name(section, was or now)  # a renamed item is named as it was
        if was is None:
            rows.append(Row(title, "added", "", _summary(section, now, names)))
        elif now is None:
            rows.append(Row(title, "removed", _summary(section, was, names), ""))
        elif section == "rulesets":
            leaves = [leaf for leaf in _leaves(was, now) if leaf[0] != ("version",)]
            for path, a, b in leaves[:RULE_SET_ROWS]:
                rows.append(Row(f"{title} · {_rule_set_path(path)}", _change(a, b), _json(a), _json(b)))
            if len(leaves) > RULE_SET_ROWS:
                rows.append(
                    Row(gettext("%(title)s · 另有%(value)s处改动") % {
                        "title": title,
                        "value": len(leaves) - RULE_SET_ROWS,
                    }, "changed", "", gettext("（下载两版文档对照）"))
                )
        else:
            for path, a, b in _leaves(was, now):
                name = _last_name(path)
                rows.append(
                    Row(
                        f"{title} · {_inner(section, list(path))}",
                        _change(a, b),
                        "" if a is None else names.text(name, a),
                        "" if b is None else names.text(name, b),
                    )
                )
    return rows


def _json(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _short(value)
    return _short(json.dumps(value, ensure_ascii=False))


def diff_documents(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Section]:
    """The sections of ``new`` that differ from ``old`` (``None``: the first version, all added)."""
    old = old or {}
    names = _Names(old, new)
    sections: list[Section] = []

    basics = Section("basics", SECTIONS["basics"])
    for name, label in BASIC_FIELDS.items():
        if old.get(name) != new.get(name):
            basics.rows.append(
                Row(label, _change(old.get(name), new.get(name)), old.get(name) or "", new.get(name) or "")
            )
    sections.append(basics)

    settings = Section("settings", SECTIONS["settings"])
    for path, a, b in _leaves(old.get("settings") or {}, new.get("settings") or {}):
        name = _last_name(path)
        # A setting is never absent (each has a default): None is a value here ("不限").
        change = "changed" if old.get("settings") else "added"
        settings.rows.append(
            Row(
                _inner("settings", list(path)),
                change,
                names.text(name, a) if change == "changed" else "",
                names.text(name, b),
            )
        )
    sections.append(settings)

    for section in ("districts", "organisations", "staff"):
        rows = _keyed_rows(section, old.get(section) or [], new.get(section) or [], names)
        sections.append(Section(section, SECTIONS[section], rows))

    chain = Section("chain", SECTIONS["chain"])
    was, now = old.get("chain") or [], new.get("chain") or []
    for index in range(max(len(was), len(now))):
        a = was[index] if index < len(was) else None
        b = now[index] if index < len(now) else None
        if a != b:
            chain.rows.append(
                Row(
                    gettext("第%(value)s级") % {"value": index + 1},
                    _change(a, b),
                    chain_level_text(a) if a else "",
                    chain_level_text(b) if b else "",
                )
            )
    sections.append(chain)

    for section in ("windows", "rulesets"):
        rows = _keyed_rows(section, old.get(section) or [], new.get(section) or [], names)
        sections.append(Section(section, SECTIONS[section], rows))
    return sections
