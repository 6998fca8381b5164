"""Chinese names of the fields and values of a rule-set document, for the authoring forms, the
difference between two versions and the plain-words reading of a JSON path.

The vocabularies come from ``rules.engine.vocab`` (the eligibility contract); the field names
follow the schema's descriptions, shortened to what fits beside an input."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rules.engine import vocab
from rules.engine.dates import cn_date as engine_cn_date
from rules.presentation import KIND_TITLES

FIELD_LABELS: dict[str, str] = {
    # the document
    "code": "代码",
    "version": "版本",
    "tenant_code": "所属地区",
    "name": "名称",
    "issuer": "发文机关",
    "source_document": "依据文件",
    "document_number": "文号",
    "effective_from": "生效日期",
    "effective_to": "失效日期",
    "covers": "适用范围",
    "evaluation_method": "评价方式",
    "note": "说明",
    "description": "备注",
    "checks": "检查项",
    "materials": "申报材料",
    "cases": "测试用例",
    # every check
    "kind": "检查类型",
    "label": "规则原文",
    "source": "出处（依据文件及条款）",
    "when": "适用条件",
    # parameters
    "levels": "级别",
    "series": "系列",
    "unit_kinds": "单位性质",
    "allowed": "适用的系列与级别",
    "min_months": "须满月数",
    "region": "地区名称",
    "reduced": "高学历减免",
    "education": "学历",
    "months": "月数",
    "kinds": "离岗情形",
    "excluded": "不得申报的考核等次",
    "title_levels": "计入的现有职称级别",
    "years": "年数",
    "min_hours_per_year": "每年最少学时",
    "waivers": "免除条件",
    "exceptional_promotion_approved": "破格推荐已批准时的说明",
    "special_talent": "特殊人才的说明",
    "message": "说明（由谁把关、依据什么）",
    "show_appointment_to_year_end": "附上现任职称聘任年限（计算至当年12月31日）",
    "equivalents": "学历对待",
    "unrelated_major_extra_months": "专业不一致时首次申报增加的月数",
    "require_full_time": "学历须为全日制",
    "require_major_related": "所学专业须对口",
    "notes": "补充说明",
    "text": "说明文字",
    "from": "路径类型",
    "title_level": "须具有的职称级别",
    "skills": "技能等级",
    "rounding": "起算方式",
    # materials
    "id": "材料代码",
    "required": "是否必需",
    "uploaded_by": "提供方",
    "has_title": "已有职称",
    "exceptional_promotion": "破格申报",
    "min_chars": "最少字数",
    "max_chars": "最多字数",
    "formats": "允许的格式",
    "min_bytes": "文件须大于（字节）",
    "max_bytes": "文件须小于（字节）",
    "min_width": "最小宽度（像素）",
    "min_height": "最小高度（像素）",
    "ratio_min": "宽高比下限",
    "ratio_max": "宽高比上限",
    # cases
    "profile": "申报人信息",
    "expected": "预期结论",
    "eligible": "能否申报",
    "level": "级别",
    "earliest_eligible_on": "最早可申报日期",
    # the profile of a case (eligibility contract)
    "as_of": "检查日期",
    "target": "申报目标",
    "person": "个人情况",
    "birth_date": "出生日期",
    "gender": "性别",
    "civil_servant": "公务员（参公管理人员）",
    "retired": "已办理退休",
    "retirement_extended": "已办理延长退休",
    "original_retirement_age": "原退休年龄",
    "employment": "工作与社保",
    "unit_kind": "单位性质",
    "months_in_region": "在本地工作月数",
    "has_contract": "已签订聘用合同或劳动合同",
    "social_insurance_months_in_region": "在本地缴纳社保月数",
    "insured_unit_is_applying_unit": "社保缴纳单位即申报单位",
    "current_post_since": "现岗位起始日期",
    "professional_work_since": "参加专业技术工作日期",
    "graduated_on": "毕业日期",
    "full_time": "全日制",
    "major_related": "所学专业与申报专业相近",
    "degree_certificate": "取得学位证书",
    "obtained_on": "取得日期",
    "appointed_on": "聘任日期",
    "titles": "现有职称",
    "assessments": "年度考核",
    "year": "年度",
    "grade": "考核等次",
    "continuing_education_hours": "继续教育学时",
    "sanctions": "处分与审查",
    "absences": "离岗情形",
    "start": "开始日期",
    "end": "结束日期",
}

# The same key means something narrower in some kinds.
KIND_FIELD_LABELS: dict[tuple[str, str], str] = {
    ("level_paths", "levels"): "各级别的认定路径",
    ("sanctions", "months"): "处分影响期（月数）",
    ("absences", "months"): "离岗满多少个月不得申报",
    ("series_change", "months"): "须在现岗位工作的月数",
    ("appointment_to_year_end", "months"): "须聘任的月数",
    ("reduced", "months"): "减免后须缴纳的月数",
    ("reduced", "label"): "提示中对这些学历的称呼",
    ("path", "months"): "须满月数",
    ("path", "label"): "路径条件原文",
    ("path", "education"): "符合的学历",
    ("path", "source"): "出处（缺省同本条检查）",
}

PATH_FROM = {
    "education": "学历毕业后满若干月",
    "work_before_education": "工作满若干月后取得学历",
    "education_and_title": "具有学历且职称聘任满若干月",
    "title": "取得职称后满若干月",
    "skill": "取得技能等级后满若干月",
}
ROUNDING = {"next_month": "毕业并参加工作的次月起", "on_start": "毕业并参加工作即符合"}
EVALUATION_METHODS = {"assessment": "考核认定", "committee_review": "评审"}
COVERS_SERIES = {"all": "全部系列", "all_except_exam_based": "除以考代评系列外的全部系列"}
MATERIAL_KINDS = {"attachment": "上传附件", "photo": "证件照", "text": "填写文字", "form": "系统打印的表格"}
UPLOADERS = {"applicant": "申报人", "unit": "用人单位"}
OTHER_SERIES = {"*": "其余系列"}

# Codes of every vocabulary, for showing a value whatever field it sits in. The tables share no
# code except where the meaning is the same.
VALUE_LABELS: dict[str, str] = {
    **vocab.LEVELS,
    **vocab.SERIES,
    **vocab.EDUCATION,
    **vocab.SKILLS,
    **vocab.UNIT_KINDS,
    **vocab.GRADES,
    **vocab.ABSENCES,
    **PATH_FROM,
    **ROUNDING,
    **EVALUATION_METHODS,
    **COVERS_SERIES,
    **OTHER_SERIES,
    **MATERIAL_KINDS,
    **UPLOADERS,
    **KIND_TITLES,
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STEP = re.compile(r"\[(\d+)\]|\[(\"(?:[^\"\\]|\\.)*\")\]|\.?([^.\[\]]+)")


def field_label(key: str, context: str = "") -> str:
    """The Chinese name of ``key``; ``context`` is the check kind or the enclosing object."""
    return KIND_FIELD_LABELS.get((context, key)) or FIELD_LABELS.get(key) or VALUE_LABELS.get(key) or key


def cn_date(value: date | str | None) -> str:
    if not value:
        return "无"
    return engine_cn_date(date.fromisoformat(value) if isinstance(value, str) else value)


def show_value(value: Any) -> str:
    """A value as a person reads it: names instead of codes, 是/否, dates in Chinese."""
    if value is None or value == "" or value == [] or value == {}:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                return cn_date(value)
            except ValueError:
                return value
        return VALUE_LABELS.get(value, value)
    if isinstance(value, list):
        return "、".join(show_value(item) for item in value)
    if isinstance(value, dict):
        return "；".join(f"{field_label(str(k))}：{show_value(v)}" for k, v in value.items())
    return str(value)


def path_steps(path: str) -> list[str | int]:
    """``checks[3].levels.assistant[0].months`` → ``["checks", 3, "levels", "assistant", 0, "months"]``."""
    import json

    if path in ("", "$"):
        return []
    steps: list[str | int] = []
    for index, quoted, name in _STEP.findall(path):
        if index:
            steps.append(int(index))
        elif quoted:
            steps.append(json.loads(quoted))
        else:
            steps.append(name)
    return steps


def describe_path(document: Any, path: str) -> str:
    """A JSON path of ``document`` in plain Chinese: 第6条检查“社会保险” › 须满月数."""
    steps = path_steps(path)
    if not steps:
        return "整个文档"
    words: list[str] = []
    node: Any = document
    context = ""
    previous: str | int | None = None
    for position, step in enumerate(steps):
        child: Any = None
        if isinstance(step, int):
            if isinstance(node, list) and 0 <= step < len(node):
                child = node[step]
            named = child.get("name", "") if isinstance(child, dict) else ""
            if position == 1 and previous == "checks":
                context = child.get("kind", "") if isinstance(child, dict) else ""
                words.append(f"第{step + 1}条检查“{KIND_TITLES.get(context, context) or '未定'}”")
            elif position == 1 and previous == "materials":
                words.append(f"第{step + 1}项材料“{named}”" if named else f"第{step + 1}项材料")
            elif position == 1 and previous == "cases":
                words.append(f"用例“{named}”" if named else f"第{step + 1}个用例")
            elif context == "level_paths" and previous in vocab.LEVELS:
                words.append(f"第{step + 1}条路径")
                context = "path"
            elif previous == "notes":
                words.append(f"第{step + 1}条说明")
            else:
                words.append(f"第{step + 1}项")
        else:
            if isinstance(node, dict):
                child = node.get(step)
            if position == 0 and step in ("checks", "materials", "cases"):
                pass
            elif previous in ("allowed", "equivalents") or (context == "level_paths" and previous == "levels"):
                words.append(VALUE_LABELS.get(step, step))
            else:
                words.append(field_label(step, context))
            if step == "reduced":
                context = "reduced"
        node = child
        previous = step
    return " › ".join(words) or "整个文档"


def explain_error(document: Any, path: str, message: str) -> str:
    """One refusal for a person: where (in words, then the JSON path) and why."""
    return f"{describe_path(document, path)}（{path}）：{message}"
