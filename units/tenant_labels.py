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

from accounts.models import Role
from core.dates import chinese_datetime
from rules.engine.vocab import LEVELS, SERIES
from units.models import Organisation

SECTIONS: dict[str, str] = {
    "basics": "基本信息",
    "settings": "设置",
    "districts": "县（市、区）",
    "organisations": "机构与单位",
    "staff": "工作人员账号",
    "chain": "审核链",
    "windows": "申报批次",
    "rulesets": "规则集",
}
SECTION_ORDER = tuple(SECTIONS)

BASIC_FIELDS: dict[str, str] = {
    "code": "租户代码",
    "name": "名称",
    "province": "省份",
    "authority_name": "职称主管机关",
    "region_code": "行政区划代码",
}

CHAIN_LEVELS: dict[str, str] = {
    "unit": "用人单位",
    "department": "主管部门",
    "county": "县（市、区）人社部门",
    "city": "市人社部门",
    "committee": "评审委员会",
}
CHAIN_WHEN: dict[str, str] = {
    "unit_has_department": "单位有主管部门时",
    "unit_in_district": "单位在县区时",
    "committee_review": "评审时",
}
METHODS: dict[str, str] = {"assessment": "考核认定", "committee_review": "评审"}
DEADLINES: dict[str, str] = {
    "submit_closes_at": "申报截止",
    "return_closes_at": "退回修改截止",
    "review_closes_at": "审核截止",
}

SETTING_LABELS: dict[str, str] = {
    "initial_password": "申报人初始密码",
    "max_returns_per_year": "每年退回修改次数上限",
    "review_group_min_size": "单位评议组最少人数",
    "publicity_working_days": "公示工作日数",
    "fraud_ban_years": "弄虚作假限制申报年数",
    "unit_procedure_required": "单位推荐须经评审推荐程序",
    "evaluation_form_paper": "评审表纸张",
    "assessment_form_levels": "打印考核认定表的级别",
    "dossier_order": "评审材料册装订顺序",
    "roster": "推荐人员名单（花名册）",
    "notice": "任职资格文件",
    "fees": "收费标准",
    "certificate_number": "证书编号格式",
    "appeal_review_working_days": "申诉复查期限（工作日）",
    "publicity_sheet": "公示表落款日期核对",
    "unit_procedure_steps": "单位评审推荐程序的本地步骤",
    "exceptional_promotion": "破格申报要求",
    "assessment_form": "考核认定表",
}

FIELDS: dict[str, dict[str, str]] = {
    "districts": {"code": "行政区划代码", "name": "名称"},
    "organisations": {
        "key": "标识",
        "kind": "类别",
        "name": "名称",
        "district": "所在县（市、区）",
        "unit_kind": "单位性质",
        "credit_code": "统一社会信用代码",
        "competent_department": "主管部门",
        "contact_name": "联系人",
        "contact_phone": "联系电话",
        "address": "地址",
        "out_of_province_branch": "外省企业分公司",
    },
    "staff": {
        "username": "用户名",
        "role": "角色",
        "organisation": "所在机构",
        "name": "姓名",
        "phone": "手机号",
        "email": "电子邮箱",
        "active": "账号启用",
    },
    "chain": {"level": "层级", "when": "适用条件", "final_for": "在此终审的评价方式", "deadline": "决定时限"},
    "windows": {
        "name": "批次名称",
        "recurring": "每年固定批次",
        "months": "月份",
        "first_day": "开始日",
        "last_day": "截止日",
        "opens_at": "开始申报",
        "submit_closes_at": "申报截止",
        "return_closes_at": "退回修改截止",
        "review_closes_at": "审核截止",
        "source": "依据",
        "series": "适用职称系列",
        "levels": "适用级别",
    },
    "settings": {
        **SETTING_LABELS,
        "title": "标题",
        "columns": "列",
        "issuer": "发文机关",
        "prefix": "文号前缀",
        "kind": "费用类别",
        "amount": "金额（元）",
        "per": "计费单位",
        "levels": "适用级别",
        "methods": "适用评价方式",
        "basis": "收费依据",
        "number": "序号",
        "slots": "材料",
        "generated": "系统生成目录",
        "text_field": "无附件时打印的字段",
        "source": "依据",
        "slot": "材料代码",
        "required": "必须录入",
        "rules_approval": "量化考核实施细则须经职代会和主管部门同意",
        "hearings": "记录公开述职和考核答辩",
        "documents": "推荐程序文书",
        "form_name": "审批表名称",
        "excellent_assessments": "须有“优秀”年度考核个数",
        "appraisal_commissioners": "委托专家鉴定的职改部门",
        "note": "填表说明",
    },
}

ROSTER_COLUMNS: dict[str, str] = {
    "index": "序号",
    "name": "姓名",
    "gender": "性别",
    "id_number": "身份证号",
    "unit": "工作单位",
    "current_title": "现任职称",
    "series": "职称系列",
    "specialty": "专业",
    "level": "申报级别",
    "method": "评价方式",
    "exceptional": "破格",
    "status": "审核结果",
}

# Values shown by the name of the field that holds them.
VALUES: dict[str, dict[Any, str]] = {
    "kind": {
        **dict(Organisation.Kind.choices),
        "certificate": "证书工本费",
        "review": "评审费",
        "paper_appraisal": "论文鉴定费",
    },
    "unit_kind": dict(Organisation.UnitKind.choices),
    "role": {str(value): str(label) for value, label in Role.choices},
    "level": CHAIN_LEVELS,
    "when": CHAIN_WHEN,
    "final_for": METHODS,
    "methods": METHODS,
    "deadline": DEADLINES,
    "levels": LEVELS,
    "assessment_form_levels": LEVELS,
    "series": SERIES,
    "columns": ROSTER_COLUMNS,
    "per": {"person": "每人", "paper": "每篇论文"},
    "initial_password": {"id_last_six": "身份证号后六位", "set_by_unit": "由单位设置"},
    "evaluation_form_paper": {"A4": "A4", "A3_booklet": "A3对折成册"},
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
    return chinese_datetime(moment, seconds=bool(moment.second))


def value_text(field: str | int | None, value: Any) -> str:
    """One value as a person reads it."""
    if value is None:
        return "不限" if field == "max_returns_per_year" else "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    names = VALUES.get(field) if isinstance(field, str) else None
    if isinstance(value, list):
        if not value:
            return "（无）"
        if all(not isinstance(item, (dict, list)) for item in value):
            return "、".join(value_text(field, item) for item in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        if field == "recurring" and {"months", "first_day", "last_day"} <= set(value):
            return recurring_text(value)
        parts = [f"{FIELDS['settings'].get(key, key)}：{value_text(key, item)}" for key, item in value.items()]
        return "；".join(parts) if parts else "（无）"
    if field in INSTANT_FIELDS and isinstance(value, str):
        return instant_text(value)
    if names is not None and value in names:
        return str(names[value])
    return str(value)


def recurring_text(rule: dict[str, Any]) -> str:
    months = "、".join(f"{month}月" for month in rule.get("months", []))
    return f"每年{months}的{rule.get('first_day')}日至{rule.get('last_day')}日"


def chain_level_text(item: dict[str, Any]) -> str:
    """One chain level in words: ``县（市、区）人社部门（单位在县区时；考核认定在此终审；审核截止前决定）``."""
    parts = []
    if item.get("when"):
        parts.append(CHAIN_WHEN.get(item["when"], item["when"]))
    if item.get("final_for"):
        parts.append("、".join(METHODS.get(m, m) for m in item["final_for"]) + "在此终审")
    if item.get("deadline"):
        parts.append(DEADLINES.get(item["deadline"], item["deadline"]) + "前决定")
    name = CHAIN_LEVELS.get(item.get("level", ""), str(item.get("level", "")))
    return f"{name}（{'；'.join(parts)}）" if parts else name


def item_name(section: str, item: Any) -> str:
    """What identifies one item of a list section to a person."""
    if not isinstance(item, dict):
        return str(item)
    if section == "chain":
        return CHAIN_LEVELS.get(item.get("level", ""), str(item.get("level", "")))
    if section == "staff":
        return f"{item.get('name', '')}（{item.get('username', '')}）"
    return str(item.get("name") or item.get("code") or item.get("key") or "")


def field_label(section: str, field: str) -> str:
    return FIELDS.get(section, {}).get(field) or FIELDS["settings"].get(field) or field


def describe_path(path: str, document: Any = None) -> str:
    """A JSON path of the tenant document in plain words, naming the item where it can."""
    parts = parse_path(path)
    if not parts:
        return "整个文档"
    head, rest = parts[0], parts[1:]
    if head in BASIC_FIELDS:
        return BASIC_FIELDS[head]
    section = str(head)
    words = SECTIONS.get(section, section)
    if section == "settings":
        return words + "：" + _inner(section, rest) if rest else words
    if section == "rulesets" and rest and isinstance(rest[0], int):
        items = document.get("rulesets") if isinstance(document, dict) else None
        known = items[rest[0]] if isinstance(items, list) and rest[0] < len(items) else None
        name = known.get("name") or known.get("code") if isinstance(known, dict) else ""
        text = f"规则集第{rest[0] + 1}项" + (f"（{name}）" if name else "")
        inner = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest[1:]).lstrip(".")
        return f"{text}的 {inner}" if inner else text
    if rest and isinstance(rest[0], int):
        items = document.get(section) if isinstance(document, dict) else None
        known = items[rest[0]] if isinstance(items, list) and rest[0] < len(items) else None
        name = item_name(section, known) if known is not None else ""
        text = f"{words}第{rest[0] + 1}项" + (f"（{name}）" if name else "")
        return f"{text}的{_inner(section, rest[1:])}" if rest[1:] else text
    return words + ("：" + _inner(section, rest) if rest else "")


def _inner(section: str, parts: list[str | int]) -> str:
    words = []
    for part in parts:
        if isinstance(part, int):
            words.append(f"第{part + 1}项")
        else:
            words.append(field_label(section, part))
    return " · ".join(words)


def describe_error(error, document: Any = None, *, with_path: bool = False) -> str:
    """A ``DocumentError`` in one line: where in plain words (and the JSON path, for someone who
    wrote the document by hand), and why."""
    where = describe_path(error.path, document)
    if with_path and error.path not in ("", "$"):
        where += f"（{error.path}）"
    return f"{where}：{error.message}"
