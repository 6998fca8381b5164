"""A city's existing units from an Excel sheet, checked row by row, for one ``tenant_apply``.

Columns: 标识、名称、单位性质、统一社会信用代码、所在县（市、区）代码、主管部门标识. Every problem of
every row is reported with its row number and column; the page applies the rows only when there
is none, all in one document, so the sheet is imported whole or not at all. A row whose 标识 is
already one of the tenant's units updates that unit (importing the same sheet twice changes
nothing)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from core import uploads
from core.idnumbers import validate_credit_code
from units.models import Organisation, Tenant

# The sheet's header row, in Chinese; the template and the page show it in the page's language and
# the import reads either (gettext_noop: the words are in the catalogue).
COLUMNS = (
    gettext_noop("标识"),
    gettext_noop("名称"),
    gettext_noop("单位性质"),
    gettext_noop("统一社会信用代码"),
    gettext_noop("所在县（市、区）代码"),
    gettext_noop("主管部门标识"),
)
REQUIRED = ("标识", "名称", "单位性质", "统一社会信用代码")
FIELD_COLUMNS = {
    "key": "标识",
    "name": "名称",
    "unit_kind": "单位性质",
    "credit_code": "统一社会信用代码",
    "district": "所在县（市、区）代码",
    "competent_department": "主管部门标识",
}
MAX_ROWS = 2000


def headers() -> list[str]:
    """The header row in the page's language (the template's first row and the page's list)."""
    return [gettext(column) for column in COLUMNS]

MAX_BYTES = 5 * 1024 * 1024
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$")
with translation.override("zh-hans"):  # sheets name the kinds in Chinese, whoever imports this first
    UNIT_KINDS = {str(label): value for value, label in Organisation.UnitKind.choices}


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    specs: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(upload) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) of every non-empty row; ``ValidationError`` for a bad file."""
    from openpyxl import load_workbook

    name = upload.name or ""
    head = upload.read(4)
    upload.seek(0)
    if not name.lower().endswith(".xlsx") or head != b"PK\x03\x04":
        raise ValidationError(gettext(
            "文件“%(name)s”不是Excel（.xlsx）文件，请使用下载的单位名单模板。"
        ) % {"name": name})
    if upload.size > MAX_BYTES:
        limit = MAX_BYTES // 1048576
        raise ValidationError(gettext("文件“%(name)s”超过%(limit)sMB上限。") % {"name": name, "limit": limit})
    # An .xlsx is a ZIP archive: refuse archive bombs before openpyxl decompresses anything.
    uploads.check_zip_container(upload, field=gettext("单位名单"))
    try:
        workbook = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
        workbook.close()
    except Exception:  # openpyxl raises many kinds on a damaged file; the person needs one answer
        raise ValidationError(gettext("无法读取该Excel文件，文件可能已损坏。")) from None
    finally:
        upload.seek(0)
    if not rows:
        raise ValidationError(gettext("单位名单是空的。"))
    aliases = {column: column for column in COLUMNS}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            aliases.update({gettext(column): column for column in COLUMNS})
    header = [aliases.get(_text(cell), _text(cell)) for cell in rows[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        columns = gettext("、").join(missing)
        raise ValidationError(gettext("第1行（表头）缺少列：%(columns)s。请使用单位名单模板。") % {"columns": columns})
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(gettext("一次最多导入%(max_rows)s个单位，请分批导入。") % {"max_rows": MAX_ROWS})
    records = []
    for number, values in enumerate(rows[1:], start=2):
        record = {
            column: _text(values[index]) if index < len(values) else ""
            for index, column in enumerate(header)
            if column in COLUMNS
        }
        if any(record.values()):
            records.append((number, record))
    if not records:
        raise ValidationError(gettext("单位名单中没有单位（从第2行起填写）。"))
    return records


def check_rows(records: list[tuple[int, dict[str, str]]], *, tenant: Tenant, document: dict[str, Any]) -> ImportResult:
    """Every row's problems, or the organisation entries to put in the document."""
    result = ImportResult()
    existing = {item["key"]: item for item in document["organisations"]}
    credit_holders = {item["credit_code"]: item for item in document["organisations"] if item.get("credit_code")}
    districts = {item["code"]: item for item in document["districts"]}
    district_names = {item["name"]: item["code"] for item in document["districts"]}
    departments = {item["key"]: item for item in document["organisations"] if item["kind"] == "department"}
    department_names = {item["name"]: item["key"] for item in departments.values()}
    seen_keys: dict[str, int] = {}
    seen_credit: dict[str, int] = {}
    for number, record in records:
        problems: list[Problem] = []

        def problem(column: str, message: str, number=number, problems=problems) -> None:
            problems.append(Problem(number, column, message))

        spec: dict[str, Any] = {"kind": "unit"}
        key = record.get("标识", "")
        if not key:
            problem("标识", gettext("不能为空。"))
        elif not KEY.match(key):
            problem("标识", gettext(
                "“%(key)s”格式不正确：只能用字母、数字和 - _ .，以字母或数字开头，不超过60个字符。"
            ) % {"key": key})
        elif key in seen_keys:
            problem("标识", gettext("与第%(seen_keys)s行重复。") % {"seen_keys": seen_keys[key]})
        elif key in existing and existing[key]["kind"] != "unit":
            holder = existing[key]["name"]
            problem("标识", gettext("“%(key)s”已是本地区“%(name)s”的标识。") % {"key": key, "name": holder})
        else:
            seen_keys[key] = number
        spec["key"] = key

        name = record.get("名称", "")
        if not name:
            problem("名称", gettext("不能为空。"))
        elif len(name) > 120:
            problem("名称", gettext("不能超过120个字符，现为%(count)s个。") % {"count": len(name)})
        spec["name"] = name

        kind = record.get("单位性质", "")
        if kind in UNIT_KINDS:
            spec["unit_kind"] = UNIT_KINDS[kind]
        elif kind in UNIT_KINDS.values():
            spec["unit_kind"] = kind
        elif not kind:
            problem("单位性质", gettext("不能为空，应为：%(kinds)s。") % {"kinds": gettext("、").join(UNIT_KINDS)})
        else:
            kinds = gettext("、").join(UNIT_KINDS)
            problem("单位性质", gettext("“%(kind)s”不是单位性质，应为：%(kinds)s。") % {"kind": kind, "kinds": kinds})

        credit = record.get("统一社会信用代码", "").upper()
        if not credit:
            problem("统一社会信用代码", gettext("不能为空。"))
        else:
            try:
                credit = validate_credit_code(credit)
            except ValidationError as error:
                problem("统一社会信用代码", error.messages[0])
            else:
                holder = credit_holders.get(credit)
                if credit in seen_credit:
                    first_row = seen_credit[credit]
                    problem("统一社会信用代码", gettext("与第%(row)s行重复。") % {"row": first_row})
                elif holder is not None and holder["key"] != key:
                    problem("统一社会信用代码", gettext(
                        "已是本地区“%(name)s”的统一社会信用代码。"
                    ) % {"name": holder['name']})
                elif (
                    holder is None
                    and Organisation.objects.filter(credit_code=credit).exclude(tenant_id=tenant.pk).exists()
                ):
                    problem("统一社会信用代码", gettext("已被其他地区的单位使用。"))
                seen_credit.setdefault(credit, number)
        spec["credit_code"] = credit

        district = record.get("所在县（市、区）代码", "")
        if district:
            code = district if district in districts else district_names.get(district)
            if code is None:
                listed = gettext("、").join(gettext("%(code)s（%(name)s）") % {
                    "code": item['code'],
                    "name": item['name'],
                } for item in districts.values()) or gettext("（尚未设置）")
                problem("所在县（市、区）代码", gettext(
                    "“%(district)s”不是本地区的县（市、区），可选：%(listed)s。"
                ) % {"district": district, "listed": listed})
            else:
                spec["district"] = code

        department = record.get("主管部门标识", "")
        if department:
            department_key = department if department in departments else department_names.get(department)
            if department_key is None:
                listed = gettext("、").join(gettext("%(k)s（%(name)s）") % {
                    "k": k,
                    "name": item['name'],
                } for k, item in departments.items()) or gettext("（尚未设置）")
                problem("主管部门标识", gettext(
                    "“%(department)s”不是本地区主管部门的标识，可选：%(listed)s。"
                ) % {"department": department, "listed": listed})
            else:
                spec["competent_department"] = department_key

        if problems:
            result.problems.extend(problems)
        else:
            previous = existing.get(key)
            if previous is not None:
                # Contact details a unit entered itself stay; the sheet's columns replace the rest.
                kept = {k: v for k, v in previous.items() if k in ("contact_name", "contact_phone", "address")}
                spec = {**spec, **kept}
            result.specs.append((number, spec))
    return result


def add_to_document(document: dict[str, Any], specs: list[tuple[int, dict[str, Any]]]) -> dict[int, int]:
    """Put the rows' units in the document; {index in organisations: row number}."""
    rows: dict[int, int] = {}
    positions = {item["key"]: index for index, item in enumerate(document["organisations"])}
    for number, spec in specs:
        if spec["key"] in positions:
            index = positions[spec["key"]]
            document["organisations"][index] = spec
        else:
            document["organisations"].append(spec)
            index = len(document["organisations"]) - 1
        rows[index] = number
    return rows


def template_workbook(document: dict[str, Any]) -> bytes:
    """The empty sheet to fill in, with a second sheet listing this tenant's codes."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "单位名单"
    sheet.append(headers())
    for index, column in enumerate("ABCDEF"):
        sheet.column_dimensions[column].width = 24 if index != 1 else 36
        for row in range(2, 502):
            sheet[f"{column}{row}"].number_format = "@"  # text: credit and district codes keep their digits
    help_sheet = workbook.create_sheet("填写说明")
    help_sheet.append(["列", "说明"])
    help_sheet.append(["标识", "本地区内唯一的单位标识（字母、数字、- _ .），如 school1；再次导入同一标识即更新该单位"])
    help_sheet.append(["单位性质", "、".join(UNIT_KINDS)])
    help_sheet.append(["统一社会信用代码", "18位，按 GB 32100 校验"])
    help_sheet.append(["所在县（市、区）代码", "留空为市本级；可填："])
    for item in document["districts"]:
        help_sheet.append(["", f"{item['code']} {item['name']}"])
    help_sheet.append(["主管部门标识", "非公经济组织留空；可填："])
    for item in document["organisations"]:
        if item["kind"] == "department":
            help_sheet.append(["", f"{item['key']} {item['name']}"])
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
