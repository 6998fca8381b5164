"""The form of one clause (a check), generated from its kind's definition in the JSON Schema
(``$defs.check_<kind>``): numbers become number inputs, enumerations selects (or groups of
checkboxes for lists) with the Chinese names of ``rules.engine.vocab``, objects fieldsets, lists
of objects rows, maps rows with a key column.

The form only turns inputs into JSON: what is typed stays what it is ("六" in a number field goes
into the document as the string "六"), so the one validator of rule-set documents judges it and
its JSON path puts the refusal next to the input that holds it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rules.labels import KIND_FIELD_LABELS, field_label, value_label
from rules.validation import format_path, rule_set_schema

COMMON = ("kind", "code", "label", "source", "when")
TEXTAREAS = {"label", "message", "text"}
BLANK_ROWS = 1
DELETE = "__delete"
KEY = "__key"
VALUE = "__value"

# What each kind checks, in a sentence (the schema's descriptions name fields by their codes).
KIND_HELP: dict[str, Any] = {
    "target_level": _("本文件只规定了部分系列、级别的条件：所列以外的系列或级别没有申报路径。"),
    "series_excluded": _("所列系列不在本文件的评价范围内（如实行以考代评的系列）。"),
    "unit_kind": _("申报人所在单位的性质须是所列之一。"),
    "months_in_region": _("在本地工作的月数须达到要求（按月累计）。"),
    "has_contract": _("须与用人单位签订聘用合同或劳动合同。本条没有参数。"),
    "social_insurance": _("在本地连续缴纳社保的月数须达到要求；具有所列学历的可按减免后的月数。"),
    "insured_unit": _("最后缴纳社保的单位须与申报单位一致。本条没有参数。"),
    "not_civil_servant": _("公务员（含参公管理人员）不得申报。本条没有参数。"),
    "not_retired": _("离退休人员不得申报。本条没有参数。"),
    "retirement_age": _("当年年底前达到法定退休年龄（含2025年起渐进式延迟退休）且未办理延长退休的不得申报。"
                        "本条没有参数。"),
    "sanctions": _("处分未满影响期或正在接受审查的不得申报。"),
    "absences": _("所列离岗情形已满规定月数且至今未回单位工作的不得申报。"),
    "assessments_all_qualified": _("已填报的年度考核均须为合格及以上。本条没有参数。"),
    "assessment_previous_year": _("上一年度考核为所列等次的不得申报。"),
    "assessments_in_tenure": _("任现职以来各完整年度均须有考核结果且为合格及以上。本条没有参数。"),
    "series_change": _("已有职称而申报其他系列的，须在现岗位工作满规定月数。"),
    "continuing_education": _("近几年每年的继续教育学时不少于规定学时。"),
    "appointment_to_year_end": _("现任职称的聘任时间计算至申报当年12月31日须满规定月数；免除条件成立时直接通过。"),
    "reviewer": _("由单位、人社部门或评委会判断的条件：系统不自动判定，不阻止申报，只显示说明。"),
    "level_paths": _("目标级别的任一路径（学历、职称或技能等级加月数）满足即通过。"),
}

HELP: dict[str, Any] = {
    "label": _("规则原文或概括，显示在规则页面；缺少材料时也写入提示。"),
    "source": _("依据文件及条款，如“盘人社〔2025〕5号 二(二)”。每条规则都须注明出处。"),
    "code": _("结论中使用的英文标识，在本规则集内唯一；一般不需要修改。"),
    "when": _("不填表示对所有申报人执行；填写的每个条件都须满足。"),
    "region": _("用于提示，如“昆明”。"),
    "reduced": _("不需要减免时留空。"),
    "rounding": _("只用于“学历毕业后满若干月”：选择后不再按月数计算。"),
    "equivalents": _("如技工院校高级工班按大专对待。"),
    "months": _("日历月，整数。"),
    "min_months": _("日历月，整数。"),
    "show_appointment_to_year_end": _("勾选后在说明后附上现任职称聘任年限，供审核参考。"),
}


@dataclass
class Node:
    """One input, fieldset or row of the form."""

    name: str
    steps: tuple[str | int, ...]
    label: str
    widget: str  # number text textarea select multi checkbox group rows row
    help: str = ""
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    value: Any = None
    step: str = "1"
    minimum: Any = None
    children: list[Node] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    deletable: bool = False
    show_for: str = ""  # in a level path: the path types ("from") this input belongs to

    @property
    def path(self) -> str:
        return format_path(self.steps)

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.name)

    @property
    def input_type(self) -> str:
        """A number field holding what is not a number (refused, shown back as typed) is text."""
        return "text" if isinstance(self.value, str) and self.value != "" else "number"

    @property
    def delete_name(self) -> str:
        return f"{self.name}.{DELETE}"

    @property
    def cites(self) -> bool:
        """An input for a clause's source (the clause's own, or a level path's): offered the
        citations of the attached policy documents."""
        return self.name == "p.source" or self.label == str(KIND_FIELD_LABELS[("path", "source")])

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def resolve(node: Any) -> dict[str, Any]:
    """A schema node with its ``$ref`` (and the refs of what it refers to) merged in; the
    referring node's own keys (a narrower description, a default) win."""
    defs = rule_set_schema()["$defs"]
    while isinstance(node, dict) and "$ref" in node:
        base = defs[node["$ref"].removeprefix("#/$defs/")]
        node = {**base, **{k: v for k, v in node.items() if k != "$ref"}}
    return node if isinstance(node, dict) else {}


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "")
    return kind


def classify(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return "select"
    kind = _type(schema)
    if kind in ("integer", "number"):
        return "number"
    if kind == "boolean":
        return "checkbox"
    if kind == "array":
        return "multi" if "enum" in resolve(schema.get("items", {})) else "rows"
    if kind == "object":
        return "map" if isinstance(schema.get("additionalProperties"), dict) else "group"
    return "text"


def _options(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """The choices of an enumeration (or of a key: ``anyOf`` of consts and enums)."""
    schema = resolve(schema)
    values: list[Any] = []
    if "enum" in schema:
        values = list(schema["enum"])
    elif "const" in schema:
        values = [schema["const"]]
    for alternative in schema.get("anyOf", ()):
        values.extend(v for v, _ in _options(alternative) if v not in values)
    return [(str(v), value_label(str(v))) for v in values]


def _item_options(schema: dict[str, Any]) -> list[tuple[str, str]]:
    return _options(resolve(schema.get("items", {})))


def kind_definition(kind: str) -> dict[str, Any]:
    return resolve({"$ref": f"#/$defs/check_{kind}"})


def check_kinds() -> list[tuple[str, str]]:
    from rules.presentation import KIND_TITLES

    kinds = resolve({"$ref": "#/$defs/check"})["properties"]["kind"]["enum"]
    return [(kind, str(KIND_TITLES.get(kind, kind))) for kind in kinds]


def _parameters(kind: str) -> list[tuple[str, dict[str, Any], bool]]:
    definition = kind_definition(kind)
    required = set(definition.get("required", ()))
    return [(key, sub, key in required) for key, sub in definition.get("properties", {}).items() if sub is not True]


def _common(key: str) -> dict[str, Any]:
    return resolve({"$ref": "#/$defs/check"})["properties"][key]


def _path_fields() -> dict[str, tuple[str, ...]]:
    """The fields a level path may carry for each ``from`` (the schema's branches)."""
    found = {}
    for branch in resolve({"$ref": "#/$defs/path"}).get("allOf", ()):
        kind = branch["if"]["properties"]["from"]["const"]
        found[kind] = tuple(branch["then"]["properties"])
    return found


# --- building the form from a clause ---------------------------------------------------------


def _build(key: str, schema: Any, required: bool, value: Any, name: str, steps: tuple, context: str) -> Node:
    schema = resolve(schema)
    widget = classify(schema)
    # The general help fits the clause's own fields; inside a fieldset a key may mean something else.
    node = Node(name=name, steps=steps, label=field_label(key, context), widget=widget,
                help=str(HELP.get(key, "")) if len(steps) == 3 else "", required=required)
    if widget == "select":
        node.options = _options(schema)
        node.value = "" if value is None else str(value)
    elif widget == "number":
        node.value = "" if value is None else value
        node.step = "1" if _type(schema) == "integer" else "any"
        node.minimum = schema.get("minimum")
    elif widget == "checkbox":
        node.value = bool(value)
    elif widget == "multi":
        node.options = _item_options(schema)
        node.value = [str(v) for v in value] if isinstance(value, list) else []
    elif widget == "text":
        node.widget = "textarea" if key in TEXTAREAS and context != "reduced" else "text"
        node.value = "" if value is None else value
    elif widget == "group":
        current = value if isinstance(value, dict) else {}
        inner = set(schema.get("required", ()))
        child_context = key if key in ("reduced", "when", "waivers") else context
        node.children = [
            _build(k, sub, k in inner, current.get(k), f"{name}.{k}", (*steps, k), child_context)
            for k, sub in schema.get("properties", {}).items()
            if sub is not True
        ]
    elif widget == "rows":
        item = resolve(schema.get("items", {}))
        rows = value if isinstance(value, list) else []
        node.children = [
            _row(item, row if isinstance(row, dict) else {}, f"{name}[{i}]", (*steps, i), i, i < len(rows), key)
            for i, row in enumerate([*rows, *([{}] * BLANK_ROWS)])
        ]
    elif widget == "map":
        _build_map(node, key, schema, value, name, steps, context)
    return node


def _row(item: dict[str, Any], row: dict[str, Any], name: str, steps: tuple, index: int, existing: bool,
         context: str) -> Node:
    inner = set(item.get("required", ()))
    label = gettext("第%(n)s条") % {"n": index + 1} if existing else gettext("新增一条")
    node = Node(name=name, steps=steps, label=label, widget="row",
                deletable=existing)
    node.children = [
        _build(k, sub, k in inner, row.get(k), f"{name}.{k}", (*steps, k), context)
        for k, sub in item.get("properties", {}).items()
        if sub is not True
    ]
    return node


def _build_map(node: Node, key: str, schema: dict[str, Any], value: Any, name: str, steps: tuple,
               context: str) -> None:
    node.widget = "rows"
    keys = _options(schema.get("propertyNames", {}))
    value_schema = resolve(schema["additionalProperties"])
    current = value if isinstance(value, dict) else {}
    key_label = gettext("级别") if key == "levels" else (gettext("学历") if key == "equivalents" else gettext("系列"))
    rows: list[Node] = []
    if classify(value_schema) == "rows":  # level → paths: one row per path, the level in a column
        item = resolve(value_schema.get("items", {}))
        flat = [
            (k, i, p) for k, paths in current.items() for i, p in enumerate(paths if isinstance(paths, list) else [])
        ]
        for n, (level, i, path) in enumerate([*flat, *([("", 0, {})] * (BLANK_ROWS + 1))]):
            existing = n < len(flat)
            row = _row(item, path if isinstance(path, dict) else {}, f"{name}{{{n}}}",
                       (*steps, level, i) if existing else (*steps, f"__new{n}"), n, existing, "path")
            row.label = gettext("第%(n)s条路径") % {"n": n + 1} if existing else gettext("新增一条路径")
            picker = Node(name=f"{name}{{{n}}}.{KEY}", steps=(*steps, level) if existing else row.steps,
                          label=key_label, widget="select", options=keys, value=level, required=True)
            kinds = _path_fields()
            for child in row.children:
                key_of = child.name.rsplit(".", 1)[-1]
                if key_of not in ("from", "label", "source"):
                    child.show_for = " ".join(kind for kind, allowed in kinds.items() if key_of in allowed)
            row.children.insert(0, picker)
            rows.append(row)
    else:
        items = list(current.items())
        for n, (k, v) in enumerate([*items, *([("", None)] * BLANK_ROWS)]):
            existing = n < len(items)
            row_steps = (*steps, k) if existing else (*steps, f"__new{n}")
            row = Node(name=f"{name}{{{n}}}", steps=row_steps,
                       label=gettext("第%(n)s条") % {"n": n + 1} if existing else gettext("新增一条"),
                       widget="row", deletable=existing)
            picker = Node(name=f"{name}{{{n}}}.{KEY}", steps=row_steps, label=key_label, widget="select",
                          options=keys, value=k, required=True)
            if key == "allowed":
                picker.label = gettext("系列")
            content = _build(VALUE, value_schema, True, v, f"{name}{{{n}}}.{VALUE}", row_steps, context)
            content.label = {"allowed": gettext("允许申报的级别"), "equivalents": gettext("按何种学历对待")}.get(
                key, gettext("取值"))
            row.children = [picker, content]
            rows.append(row)
    node.children = rows


def clause_form(kind: str, check: dict[str, Any], index: int) -> list[Node]:
    """The inputs of clause ``index`` (a check of ``kind``), filled with ``check``."""
    base = ("checks", index)
    nodes = [
        _build("label", _common("label"), False, check.get("label"), "p.label", (*base, "label"), kind),
        _build("source", _common("source"), True, check.get("source"), "p.source", (*base, "source"), kind),
    ]
    for key, sub, required in _parameters(kind):
        nodes.append(_build(key, sub, required, check.get(key), f"p.{key}", (*base, key), kind))
    nodes.append(_build("when", _common("when"), False, check.get("when"), "p.when", (*base, "when"), kind))
    code = _build("code", _common("code"), False, check.get("code"), "p.code", (*base, "code"), kind)
    code.label = gettext("检查代码")
    nodes.append(code)
    return nodes


# --- reading the form back ---------------------------------------------------------------------

_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.\d*|\.\d+)$")
_MISSING = object()


def _number(raw: str) -> Any:
    text = raw.strip().replace("，", ",")
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        number = float(text)
        return int(number) if number.is_integer() else number
    return raw.strip()


def _indices(post: QueryDict, name: str, opener: str, closer: str) -> list[int]:
    pattern = re.compile(re.escape(name + opener) + r"(\d+)" + re.escape(closer))
    found = {int(m.group(1)) for key in post for m in [pattern.match(key)] if m}
    return sorted(found)


def _read(key: str, schema: Any, required: bool, post: QueryDict, name: str) -> Any:
    """The JSON value of one input (or ``_MISSING`` when it is left empty)."""
    schema = resolve(schema)
    widget = classify(schema)
    if widget == "number":
        raw = post.get(name, "")
        return _number(raw) if raw.strip() else _MISSING
    if widget == "select":
        raw = post.get(name, "")
        return raw if raw else _MISSING
    if widget == "text":
        raw = post.get(name, "").strip()
        return raw if raw or required else _MISSING
    if widget == "checkbox":
        return True if post.get(name) else _MISSING
    if widget == "multi":
        chosen = [v for v in post.getlist(name) if v]
        return chosen if chosen or required else _MISSING
    if widget == "group":
        inner = set(schema.get("required", ()))
        out = {}
        for k, sub in schema.get("properties", {}).items():
            if sub is True:
                continue
            v = _read(k, sub, k in inner, post, f"{name}.{k}")
            if v is not _MISSING:
                out[k] = v
        return out if out or required else _MISSING
    if widget == "rows":
        item = resolve(schema.get("items", {}))
        rows = []
        for i in _indices(post, name, "[", "]"):
            row_name = f"{name}[{i}]"
            if post.get(f"{row_name}.{DELETE}"):
                continue
            row = _read_row(item, post, row_name)
            if row:
                rows.append(row)
        return rows if rows or required else _MISSING
    if widget == "map":
        return _read_map(key, schema, required, post, name)
    return _MISSING


def _read_row(item: dict[str, Any], post: QueryDict, name: str, only: tuple[str, ...] | None = None) -> dict:
    inner = set(item.get("required", ()))
    row = {}
    for k, sub in item.get("properties", {}).items():
        if sub is True or (only is not None and k not in only):
            continue
        v = _read(k, sub, False, post, f"{name}.{k}")
        if v is not _MISSING:
            row[k] = v
    # A row with something in it gets its required texts, so that an empty one is named.
    if row:
        for k in inner:
            sub = resolve(item["properties"].get(k, {}))
            if k not in row and classify(sub) == "text" and (only is None or k in only):
                row[k] = ""
    return row


def _read_map(key: str, schema: dict[str, Any], required: bool, post: QueryDict, name: str) -> Any:
    value_schema = resolve(schema["additionalProperties"])
    out: dict[str, Any] = {}
    if classify(value_schema) == "rows":
        item = resolve(value_schema.get("items", {}))
        fields = _path_fields()
        for n in _indices(post, name, "{", "}"):
            row_name = f"{name}{{{n}}}"
            if post.get(f"{row_name}.{DELETE}"):
                continue
            level = post.get(f"{row_name}.{KEY}", "")
            kind = post.get(f"{row_name}.from", "")
            row = _read_row(item, post, row_name, fields.get(kind))
            if not row and not level:
                continue
            out.setdefault(level, []).append(row)
    else:
        for n in _indices(post, name, "{", "}"):
            row_name = f"{name}{{{n}}}"
            if post.get(f"{row_name}.{DELETE}"):
                continue
            k = post.get(f"{row_name}.{KEY}", "")
            v = _read(VALUE, value_schema, False, post, f"{row_name}.{VALUE}")
            if not k and v is _MISSING:
                continue
            if k in out:  # the same key twice: the lists are joined, nothing typed is lost
                if isinstance(out[k], list) and isinstance(v, list):
                    out[k] = [*out[k], *(x for x in v if x not in out[k])]
                continue
            out[k] = [] if v is _MISSING else v
    return out if out or required else _MISSING


def read_clause(kind: str, post: QueryDict, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The check typed into the form of ``kind``. Keys of ``previous`` the form does not show
    (none today; a future parameter) are kept."""
    check: dict[str, Any] = {}
    code = post.get("p.code", "").strip()
    if code:
        check["code"] = code
    check["kind"] = kind
    for key, schema, required in (("label", _common("label"), False), ("source", _common("source"), True)):
        value = _read(key, schema, required, post, f"p.{key}")
        if value is not _MISSING:
            check[key] = value
    known = {"code", "kind", "label", "source", "when"}
    for key, schema, required in _parameters(kind):
        known.add(key)
        value = _read(key, schema, required, post, f"p.{key}")
        if value is not _MISSING:
            check[key] = value
    when = _read("when", _common("when"), False, post, "p.when")
    if when is not _MISSING:
        check["when"] = when
    for key, value in (previous or {}).items():
        if key not in known and key not in check:
            check[key] = value
    return keep_order(check, previous or {})


def _scalars(items: list) -> bool:
    return all(not isinstance(item, (dict, list)) for item in items)


def keep_order(new: Any, old: Any) -> Any:
    """``new`` in the order of ``old`` where they agree: the keys of objects, the members of lists of
    codes (a group of checkboxes sends them in the schema's order). Nothing is added or dropped."""
    if isinstance(new, dict) and isinstance(old, dict):
        keys = [k for k in old if k in new] + [k for k in new if k not in old]
        return {k: keep_order(new[k], old.get(k)) for k in keys}
    if isinstance(new, list) and isinstance(old, list):
        if _scalars(new) and _scalars(old):
            kept = [item for item in old if item in new]
            return kept + [item for item in new if item not in kept]
        return [keep_order(item, old[i] if i < len(old) else None) for i, item in enumerate(new)]
    return new


# --- errors next to their inputs -------------------------------------------------------------

def attach_error(nodes: list[Node], path: str, message: str) -> bool:
    """Put ``message`` on the input whose path is ``path`` (or the nearest fieldset holding it).
    False when no input of the form holds it (the page shows it above the form)."""
    every = [node for top in nodes for node in top.walk()]
    exact = [node for node in every if node.path == path and node.widget != "row"] or [
        node for node in every if node.path == path
    ]
    if exact:
        exact[0].errors.append(message)
        return True
    holders = [node for node in every if path.startswith(node.path + ".") or path.startswith(node.path + "[")]
    if holders:
        max(holders, key=lambda node: len(node.path)).errors.append(message)
        return True
    return False
