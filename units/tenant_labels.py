"""The Chinese words for a tenant document (units/schema/tenant.schema.json) on the pages.

A page never shows a JSON path or an internal code on its own: ``chain[2].level`` reads
"审核链第3项（县（市、区）人社部门）的层级", ``county`` reads "县（市、区）人社部门", and an instant
``2027-03-20T17:00:00+08:00`` reads "2027年3月20日 17:00". The version difference and every
error of ``tenant_apply`` shown on a page use these.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from accounts.models import Role
from core.dates import local_datetime
from rules.engine.vocab import LEVELS, SERIES
from units.models import Organisation

SECTIONS: dict[str, str] = {
    "basics": gettext_lazy("基本信息"),
    "settings": gettext_lazy("设置"),
    "districts": gettext_lazy("县（市、区）"),
    "organisations": gettext_lazy("机构与单位"),
    "staff": gettext_lazy("工作人员账号"),
    "chain": gettext_lazy("审核链"),
    "windows": gettext_lazy("申报批次"),
    "rulesets": gettext_lazy("规则集"),
}
SECTION_ORDER = tuple(SECTIONS)

BASIC_FIELDS: dict[str, str] = {
    "code": gettext_lazy("租户代码"),
    "name": gettext_lazy("名称"),
    "province": gettext_lazy("省份"),
    "authority_name": gettext_lazy("职称主管机关"),
    "region_code": gettext_lazy("行政区划代码"),
}

CHAIN_LEVELS: dict[str, str] = {
    "unit": gettext_lazy("用人单位"),
    "department": gettext_lazy("主管部门"),
    "county": gettext_lazy("县（市、区）人社部门"),
    "city": gettext_lazy("市人社部门"),
    "committee": gettext_lazy("评审委员会"),
}
CHAIN_WHEN: dict[str, str] = {
    "unit_has_department": gettext_lazy("单位有主管部门时"),
    "unit_in_district": gettext_lazy("单位在县区时"),
    "committee_review": gettext_lazy("评审时"),
}
METHODS: dict[str, str] = {"assessment": gettext_lazy("考核认定"), "committee_review": gettext_lazy("评审")}
DEADLINES: dict[str, str] = {
    "submit_closes_at": gettext_lazy("申报截止"),
    "return_closes_at": gettext_lazy("退回修改截止"),
    "review_closes_at": gettext_lazy("审核截止"),
}

SETTING_LABELS: dict[str, str] = {
    "initial_password": gettext_lazy("申报人初始密码"),
    "max_returns_per_year": gettext_lazy("每年退回修改次数上限"),
    "review_group_min_size": gettext_lazy("单位评议组最少人数"),
    "publicity_working_days": gettext_lazy("公示工作日数"),
    "fraud_ban_years": gettext_lazy("弄虚作假限制申报年数"),
    "unit_procedure_required": gettext_lazy("单位推荐须经评审推荐程序"),
    "evaluation_form_paper": gettext_lazy("评审表纸张"),
    "assessment_form_levels": gettext_lazy("打印考核认定表的级别"),
    "dossier_order": gettext_lazy("评审材料册装订顺序"),
    "roster": gettext_lazy("推荐人员名单（花名册）"),
    "notice": gettext_lazy("任职资格文件"),
    "fees": gettext_lazy("收费标准"),
    "certificate_number": gettext_lazy("证书编号格式"),
    "appeal_review_working_days": gettext_lazy("申诉复查期限（工作日）"),
    "publicity_sheet": gettext_lazy("公示表落款日期核对"),
    "unit_procedure_steps": gettext_lazy("单位评审推荐程序的本地步骤"),
    "exceptional_promotion": gettext_lazy("破格申报要求"),
    "assessment_form": gettext_lazy("考核认定表"),
}

FIELDS: dict[str, dict[str, str]] = {
    "districts": {"code": gettext_lazy("行政区划代码"), "name": gettext_lazy("名称")},
    "organisations": {
        "key": gettext_lazy("标识"),
        "kind": gettext_lazy("类别"),
        "name": gettext_lazy("名称"),
        "district": gettext_lazy("所在县（市、区）"),
        "unit_kind": gettext_lazy("单位性质"),
        "credit_code": gettext_lazy("统一社会信用代码"),
        "competent_department": gettext_lazy("主管部门"),
        "contact_name": gettext_lazy("联系人"),
        "contact_phone": gettext_lazy("联系电话"),
        "address": gettext_lazy("地址"),
        "out_of_province_branch": gettext_lazy("外省企业分公司"),
    },
    "staff": {
        "username": gettext_lazy("用户名"),
        "role": gettext_lazy("角色"),
        "organisation": gettext_lazy("所在机构"),
        "name": gettext_lazy("姓名"),
        "phone": gettext_lazy("手机号"),
        "email": gettext_lazy("电子邮箱"),
        "active": gettext_lazy("账号启用"),
    },
    "chain": {
        "level": gettext_lazy("层级"),
        "when": gettext_lazy("适用条件"),
        "final_for": gettext_lazy("在此终审的评价方式"),
        "deadline": gettext_lazy("决定时限"),
    },
    "windows": {
        "name": gettext_lazy("批次名称"),
        "recurring": gettext_lazy("每年固定批次"),
        "months": gettext_lazy("月份"),
        "first_day": gettext_lazy("开始日"),
        "last_day": gettext_lazy("截止日"),
        "opens_at": gettext_lazy("开始申报"),
        "submit_closes_at": gettext_lazy("申报截止"),
        "return_closes_at": gettext_lazy("退回修改截止"),
        "review_closes_at": gettext_lazy("审核截止"),
        "source": gettext_lazy("依据"),
        "series": gettext_lazy("适用职称系列"),
        "levels": gettext_lazy("适用级别"),
    },
    "settings": {
        **SETTING_LABELS,
        "title": gettext_lazy("标题"),
        "columns": gettext_lazy("列"),
        "issuer": gettext_lazy("发文机关"),
        "prefix": gettext_lazy("文号前缀"),
        "kind": gettext_lazy("费用类别"),
        "amount": gettext_lazy("金额（元）"),
        "per": gettext_lazy("计费单位"),
        "levels": gettext_lazy("适用级别"),
        "methods": gettext_lazy("适用评价方式"),
        "basis": gettext_lazy("收费依据"),
        "number": gettext_lazy("序号"),
        "slots": gettext_lazy("材料"),
        "generated": gettext_lazy("系统生成目录"),
        "text_field": gettext_lazy("无附件时打印的字段"),
        "source": gettext_lazy("依据"),
        "slot": gettext_lazy("材料代码"),
        "required": gettext_lazy("必须录入"),
        "rules_approval": gettext_lazy("量化考核实施细则须经职代会和主管部门同意"),
        "hearings": gettext_lazy("记录公开述职和考核答辩"),
        "documents": gettext_lazy("推荐程序文书"),
        "form_name": gettext_lazy("审批表名称"),
        "excellent_assessments": gettext_lazy("须有“优秀”年度考核个数"),
        "appraisal_commissioners": gettext_lazy("委托专家鉴定的职改部门"),
        "note": gettext_lazy("填表说明"),
    },
}

ROSTER_COLUMNS: dict[str, str] = {
    "index": gettext_lazy("序号"),
    "name": gettext_lazy("姓名"),
    "gender": gettext_lazy("性别"),
    "id_number": gettext_lazy("身份证号"),
    "unit": gettext_lazy("工作单位"),
    "current_title": gettext_lazy("现任职称"),
    "series": gettext_lazy("职称系列"),
    "specialty": gettext_lazy("专业"),
    "level": gettext_lazy("申报级别"),
    "method": gettext_lazy("评价方式"),
    "exceptional": gettext_lazy("破格"),
    "status": gettext_lazy("审核结果"),
}

# Values shown by the name of the field that holds them.
VALUES: dict[str, dict[Any, str]] = {
    "kind": {
        **dict(Organisation.Kind.choices),
        "certificate": gettext_lazy("证书工本费"),
        "review": gettext_lazy("评审费"),
        "paper_appraisal": gettext_lazy("论文鉴定费"),
    },
    "unit_kind": dict(Organisation.UnitKind.choices),
    "role": {str(value): label for value, label in Role.choices},
    "level": CHAIN_LEVELS,
    "when": CHAIN_WHEN,
    "final_for": METHODS,
    "methods": METHODS,
    "deadline": DEADLINES,
    "levels": LEVELS,
    "assessment_form_levels": LEVELS,
    "series": SERIES,
    "columns": ROSTER_COLUMNS,
    "per": {"person": gettext_lazy("每人"), "paper": gettext_lazy("每篇论文")},
    "initial_password": {"id_last_six": gettext_lazy("身份证号后六位"), "set_by_unit": gettext_lazy("由单位设置")},
    "evaluation_form_paper": {"A4": "A4", "A3_booklet": gettext_lazy("A3对折成册")},
    "months": {month: f"{month}月" for month in range(1, 13)},
}
INSTANT_FIELDS = frozenset(DEADLINES) | {"opens_at"}

_STEP = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def parse_path(path: str) -> list[str | int]:
    """``chain[2].level`` → ``["chain", 2, "level"]``; ``$`` → ``[]``."""
    if path in ("", "$"):
        return []
    return [int(index) if index else name for index, name in _STEP.findall(path)]


def instant_text(value: str) -> str:
    """``2027-03-20T17:00:00+08:00`` → ``2027年3月20日 17:00`` (China time; seconds when not zero)."""
    from rules.windows import CST

    try:
        moment = datetime.fromisoformat(value).astimezone(CST)
    except (TypeError, ValueError):
        return str(value)
    return local_datetime(moment, seconds=bool(moment.second))


def value_text(field: str | int | None, value: Any) -> str:
    """One value as a person reads it."""
    if value is None:
        return gettext("不限") if field == "max_returns_per_year" else gettext("（无）")
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    names = VALUES.get(field) if isinstance(field, str) else None
    if isinstance(value, list):
        if not value:
            return gettext("（无）")
        if all(not isinstance(item, (dict, list)) for item in value):
            return gettext("、").join(value_text(field, item) for item in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        if field == "recurring" and {"months", "first_day", "last_day"} <= set(value):
            return recurring_text(value)
        parts = [
            gettext("%(field)s：%(value)s")
            % {"field": FIELDS["settings"].get(key, key), "value": value_text(key, item)}
            for key, item in value.items()
        ]
        return gettext("；").join(parts) if parts else gettext("（无）")
    if field == "months" and isinstance(value, int):
        return gettext("%(month)s月") % {"month": value}
    if field in INSTANT_FIELDS and isinstance(value, str):
        return instant_text(value)
    if names is not None and value in names:
        return gettext(str(names[value]))  # the vocabulary's plain Chinese names read in the page's language
    return str(value)


def recurring_text(rule: dict[str, Any]) -> str:
    months = gettext("、").join(gettext("%(month)s月") % {"month": month} for month in rule.get("months", []))
    return gettext("每年%(months)s的%(first_day)s日至%(last_day)s日") % {
        "months": months, "first_day": rule.get("first_day"), "last_day": rule.get("last_day"),
    }


def chain_level_text(item: dict[str, Any]) -> str:
    """One chain level in words: ``县（市、区）人社部门（单位在县区时；考核认定在此终审；审核截止前决定）``."""
    parts = []
    if item.get("when"):
        parts.append(str(CHAIN_WHEN.get(item["when"], item["when"])))
    if item.get("final_for"):
        methods = gettext("、").join(str(METHODS.get(m, m)) for m in item["final_for"])
        parts.append(gettext("%(methods)s在此终审") % {"methods": methods})
    if item.get("deadline"):
        parts.append(gettext("%(deadline)s前决定") % {"deadline": DEADLINES.get(item["deadline"], item["deadline"])})
    name = str(CHAIN_LEVELS.get(item.get("level", ""), str(item.get("level", ""))))
    if not parts:
        return name
    return gettext("%(name)s（%(conditions)s）") % {"name": name, "conditions": gettext("；").join(parts)}


def item_name(section: str, item: Any) -> str:
    """What identifies one item of a list section to a person."""
    if not isinstance(item, dict):
        return str(item)
    if section == "chain":
        return str(CHAIN_LEVELS.get(item.get("level", ""), str(item.get("level", ""))))
    if section == "staff":
        name, username = item.get("name", ""), item.get("username", "")
        return gettext("%(name)s（%(username)s）") % {"name": name, "username": username}
    return str(item.get("name") or item.get("code") or item.get("key") or "")


def field_label(section: str, field: str) -> str:
    return str(FIELDS.get(section, {}).get(field) or FIELDS["settings"].get(field) or field)


def describe_path(path: str, document: Any = None) -> str:
    """A JSON path of the tenant document in plain words, naming the item where it can."""
    parts = parse_path(path)
    if not parts:
        return gettext("整个文档")
    head, rest = parts[0], parts[1:]
    if head in BASIC_FIELDS:
        return str(BASIC_FIELDS[head])
    section = str(head)
    words = str(SECTIONS.get(section, section))
    if section == "settings":
        return words + gettext("：") + _inner(section, rest) if rest else words
    if section == "rulesets" and rest and isinstance(rest[0], int):
        items = document.get("rulesets") if isinstance(document, dict) else None
        known = items[rest[0]] if isinstance(items, list) and rest[0] < len(items) else None
        name = known.get("name") or known.get("code") if isinstance(known, dict) else ""
        text = gettext("规则集第%(number)s项") % {"number": rest[0] + 1}
        text += gettext("（%(name)s）") % {"name": name} if name else ""
        inner = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest[1:]).lstrip(".")
        return gettext("%(text)s的 %(inner)s") % {"text": text, "inner": inner} if inner else text
    if rest and isinstance(rest[0], int):
        items = document.get(section) if isinstance(document, dict) else None
        known = items[rest[0]] if isinstance(items, list) and rest[0] < len(items) else None
        name = item_name(section, known) if known is not None else ""
        text = gettext("%(section)s第%(number)s项") % {"section": words, "number": rest[0] + 1}
        text += gettext("（%(name)s）") % {"name": name} if name else ""
        if not rest[1:]:
            return text
        return gettext("%(text)s的%(inner)s") % {"text": text, "inner": _inner(section, rest[1:])}
    return words + (gettext("：") + _inner(section, rest) if rest else "")


def _inner(section: str, parts: list[str | int]) -> str:
    words = []
    for part in parts:
        if isinstance(part, int):
            words.append(gettext("第%(number)s项") % {"number": part + 1})
        else:
            words.append(field_label(section, part))
    return " · ".join(words)


def describe_error(error, document: Any = None, *, with_path: bool = False) -> str:
    """A ``DocumentError`` in one line: where in plain words (and the JSON path, for someone who
    wrote the document by hand), and why."""
    where = describe_path(error.path, document)
    if with_path and error.path not in ("", "$"):
        where += gettext("（%(path)s）") % {"path": error.path}
    return gettext("%(where)s：%(message)s") % {"where": where, "message": error.message}
