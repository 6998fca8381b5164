"""Chinese names of the fields and values of a rule-set document, for the authoring forms, the
difference between two versions and the plain-words reading of a JSON path.

The vocabularies come from ``rules.engine.vocab`` (the eligibility contract); the field names
follow the schema's descriptions, shortened to what fits beside an input. Every name here is
marked for translation (the engine itself stays Django-free and Chinese): the tables below
(``LEVELS``, ``SERIES``, ...) have the engine's codes and Chinese names, translated when they are
shown; ``tests/rules`` checks they keep the engine's codes and Chinese text."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils import dateformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rules.engine.dates import cn_date as engine_cn_date
from rules.presentation import KIND_TITLES

# The vocabularies of ``rules.engine.vocab``, with the same codes and Chinese names, for display.
LEVELS: dict[str, Any] = {
    "yuan": _("员级"),
    "assistant": _("助理级"),
    "intermediate": _("中级"),
    "associate_senior": _("副高级"),
    "senior": _("正高级"),
}
SERIES: dict[str, Any] = {
    "engineering": _("工程"),
    "agriculture": _("农业"),
    "school_teacher": _("中小学教师"),
    "health": _("卫生"),
    "economics": _("经济"),
    "accounting": _("会计"),
    "audit": _("审计"),
    "statistics": _("统计"),
    "publishing": _("出版"),
    "translation": _("翻译"),
    "computer_software": _("计算机技术与软件"),
    "communication": _("通信"),
    "fire_engineering": _("消防工程"),
    "pharmacy": _("药学"),
    "archives": _("档案"),
    "library": _("图书资料"),
    "culture": _("群众文化"),
    "museum": _("文物博物"),
    "art": _("艺术"),
    "sports_coach": _("体育教练"),
    "journalism": _("新闻"),
    "broadcasting": _("播音主持"),
    "technical_school_teacher": _("技工院校教师"),
    "lawyer": _("律师"),
    "arts_and_crafts": _("工艺美术"),
    "other": _("其他"),
}
EDUCATION: dict[str, Any] = {
    "secondary_vocational": _("中专"),
    "junior_college": _("大专"),
    "bachelor": _("本科"),
    "master": _("硕士"),
    "doctor": _("博士"),
    "tech_school_intermediate": _("技工院校中级工班"),
    "tech_school_senior": _("技工院校高级工班"),
    "tech_school_technician": _("技工院校预备技师（技师）班"),
}
SKILLS: dict[str, Any] = {
    "senior_worker": _("高级工"),
    "technician": _("技师"),
    "senior_technician": _("高级技师"),
}
UNIT_KINDS: dict[str, Any] = {
    "public_institution": _("事业单位"),
    "state_owned": _("国有企业"),
    "non_public": _("非公经济组织"),
    "social_org": _("社会组织"),
}
GRADES: dict[str, Any] = {
    "excellent": _("优秀"),
    "qualified": _("合格"),
    "basic_qualified": _("基本合格"),
    "unqualified": _("不合格"),
    "none": _("未参加考核"),
}
SANCTIONS: dict[str, Any] = {
    "disciplinary": _("党政纪律处分"),
    "criminal": _("司法处分"),
    "under_investigation": _("正在接受审查"),
}
ABSENCES: dict[str, Any] = {
    "study_abroad": _("出国进修或脱产学习"),
    "sick_leave": _("病休"),
}
GENDERS: dict[str, Any] = {
    "M": _("男"),
    "F": _("女"),
}


FIELD_LABELS: dict[str, str] = {
    # the document
    "code": _("代码"),
    "version": _("版本"),
    "tenant_code": _("所属地区"),
    "name": _("名称"),
    "issuer": _("发文机关"),
    "source_document": _("依据文件"),
    "document_number": _("文号"),
    "effective_from": _("生效日期"),
    "effective_to": _("失效日期"),
    "covers": _("适用范围"),
    "evaluation_method": _("评价方式"),
    "note": _("说明"),
    "description": _("备注"),
    "checks": _("检查项"),
    "materials": _("申报材料"),
    "cases": _("测试用例"),
    # every check
    "kind": _("检查类型"),
    "label": _("规则原文"),
    "source": _("出处（依据文件及条款）"),
    "when": _("适用条件"),
    # parameters
    "levels": _("级别"),
    "series": _("系列"),
    "unit_kinds": _("单位性质"),
    "allowed": _("适用的系列与级别"),
    "min_months": _("须满月数"),
    "region": _("地区名称"),
    "reduced": _("高学历减免"),
    "education": _("学历"),
    "months": _("月数"),
    "kinds": _("离岗情形"),
    "excluded": _("不得申报的考核等次"),
    "title_levels": _("计入的现有职称级别"),
    "years": _("年数"),
    "min_hours_per_year": _("每年最少学时"),
    "waivers": _("免除条件"),
    "exceptional_promotion_approved": _("破格推荐已批准时的说明"),
    "special_talent": _("特殊人才的说明"),
    "message": _("说明（由谁把关、依据什么）"),
    "show_appointment_to_year_end": _("附上现任职称聘任年限（计算至当年12月31日）"),
    "equivalents": _("学历对待"),
    "unrelated_major_extra_months": _("专业不一致时首次申报增加的月数"),
    "require_full_time": _("学历须为全日制"),
    "require_major_related": _("所学专业须对口"),
    "notes": _("补充说明"),
    "text": _("说明文字"),
    "from": _("路径类型"),
    "title_level": _("须具有的职称级别"),
    "skills": _("技能等级"),
    "rounding": _("起算方式"),
    # materials
    "id": _("材料代码"),
    "required": _("是否必需"),
    "uploaded_by": _("提供方"),
    "has_title": _("已有职称"),
    "exceptional_promotion": _("破格申报"),
    "min_chars": _("最少字数"),
    "max_chars": _("最多字数"),
    "formats": _("允许的格式"),
    "min_bytes": _("文件须大于（字节）"),
    "max_bytes": _("文件须小于（字节）"),
    "min_width": _("最小宽度（像素）"),
    "min_height": _("最小高度（像素）"),
    "ratio_min": _("宽高比下限"),
    "ratio_max": _("宽高比上限"),
    # cases
    "profile": _("申报人信息"),
    "expected": _("预期结论"),
    "eligible": _("能否申报"),
    "level": _("级别"),
    "earliest_eligible_on": _("最早可申报日期"),
    # the profile of a case (eligibility contract)
    "as_of": _("检查日期"),
    "target": _("申报目标"),
    "person": _("个人情况"),
    "birth_date": _("出生日期"),
    "gender": _("性别"),
    "civil_servant": _("公务员（参公管理人员）"),
    "retired": _("已办理退休"),
    "retirement_extended": _("已办理延长退休"),
    "original_retirement_age": _("原退休年龄"),
    "employment": _("工作与社保"),
    "unit_kind": _("单位性质"),
    "months_in_region": _("在本地工作月数"),
    "has_contract": _("已签订聘用合同或劳动合同"),
    "social_insurance_months_in_region": _("在本地缴纳社保月数"),
    "insured_unit_is_applying_unit": _("社保缴纳单位即申报单位"),
    "current_post_since": _("现岗位起始日期"),
    "professional_work_since": _("参加专业技术工作日期"),
    "graduated_on": _("毕业日期"),
    "full_time": _("全日制"),
    "major_related": _("所学专业与申报专业相近"),
    "degree_certificate": _("取得学位证书"),
    "obtained_on": _("取得日期"),
    "appointed_on": _("聘任日期"),
    "titles": _("现有职称"),
    "assessments": _("年度考核"),
    "year": _("年度"),
    "grade": _("考核等次"),
    "continuing_education_hours": _("继续教育学时"),
    "sanctions": _("处分与审查"),
    "absences": _("离岗情形"),
    "start": _("开始日期"),
    "end": _("结束日期"),
}

# The same key means something narrower in some kinds.
KIND_FIELD_LABELS: dict[tuple[str, str], str] = {
    ("level_paths", "levels"): _("各级别的认定路径"),
    ("sanctions", "months"): _("处分影响期（月数）"),
    ("absences", "months"): _("离岗满多少个月不得申报"),
    ("series_change", "months"): _("须在现岗位工作的月数"),
    ("appointment_to_year_end", "months"): _("须聘任的月数"),
    ("reduced", "months"): _("减免后须缴纳的月数"),
    ("reduced", "label"): _("提示中对这些学历的称呼"),
    ("path", "months"): _("须满月数"),
    ("path", "label"): _("路径条件原文"),
    ("path", "education"): _("符合的学历"),
    ("path", "source"): _("出处（缺省同本条检查）"),
}

PATH_FROM = {
    "education": _("学历毕业后满若干月"),
    "work_before_education": _("工作满若干月后取得学历"),
    "education_and_title": _("具有学历且职称聘任满若干月"),
    "title": _("取得职称后满若干月"),
    "skill": _("取得技能等级后满若干月"),
}
ROUNDING = {"next_month": _("毕业并参加工作的次月起"), "on_start": _("毕业并参加工作即符合")}
EVALUATION_METHODS = {"assessment": _("考核认定"), "committee_review": _("评审")}
COVERS_SERIES = {"all": _("全部系列"), "all_except_exam_based": _("除以考代评系列外的全部系列")}
MATERIAL_KINDS = {"attachment": _("上传附件"), "photo": _("证件照"), "text": _("填写文字"), "form": _("系统打印的表格")}
UPLOADERS = {"applicant": _("申报人"), "unit": _("用人单位")}
OTHER_SERIES = {"*": _("其余系列")}

# Codes of every vocabulary, for showing a value whatever field it sits in. The tables share no
# code except where the meaning is the same.
VALUE_LABELS: dict[str, str] = {
    **LEVELS,
    **SERIES,
    **EDUCATION,
    **SKILLS,
    **UNIT_KINDS,
    **GRADES,
    **ABSENCES,
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
    """The name of ``key`` (in the page's language); ``context`` is the check kind or the enclosing
    object."""
    label = KIND_FIELD_LABELS.get((context, key)) or FIELD_LABELS.get(key) or VALUE_LABELS.get(key) or key
    return str(label)


def value_label(code: str) -> str:
    """The name of a vocabulary code in the page's language, or the code itself."""
    return str(VALUE_LABELS.get(code, code))


def names(codes: list[str] | tuple[str, ...] | frozenset[str], table: dict[str, Any]) -> str:
    """``vocab.names`` for display: the names of codes in the table's order, in the page's language."""
    wanted = set(codes)
    return str(_("、")).join(str(label) for code, label in table.items() if code in wanted)


def cn_date(value: date | str | None) -> str:
    """A day as people read it: 2024年9月10日 in Chinese (``rules.engine.dates.cn_date``), the
    catalogue's format in another language."""
    if not value:
        return gettext("无")
    day = date.fromisoformat(value) if isinstance(value, str) else value
    fmt = gettext("Y年n月j日")
    return engine_cn_date(day) if fmt == "Y年n月j日" else dateformat.format(day, fmt)


def show_value(value: Any) -> str:
    """A value as a person reads it: names instead of codes, 是/否, dates in Chinese."""
    if value is None or value == "" or value == [] or value == {}:
        return gettext("（无）")
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                return cn_date(value)
            except ValueError:
                return value
        return value_label(value)
    if isinstance(value, list):
        return gettext("、").join(show_value(item) for item in value)
    if isinstance(value, dict):
        return gettext("；").join(
            gettext("%(label)s：%(value)s") % {"label": field_label(str(k)), "value": show_value(v)}
            for k, v in value.items()
        )
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
    """A JSON path of ``document`` in plain words: 第6条检查“社会保险” › 须满月数."""
    steps = path_steps(path)
    if not steps:
        return gettext("整个文档")
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
            n = step + 1
            if position == 1 and previous == "checks":
                context = child.get("kind", "") if isinstance(child, dict) else ""
                title = str(KIND_TITLES.get(context, context) or gettext("未定"))
                words.append(gettext("第%(n)s条检查“%(title)s”") % {"n": n, "title": title})
            elif position == 1 and previous == "materials":
                words.append(gettext("第%(n)s项材料“%(name)s”") % {"n": n, "name": named} if named
                             else gettext("第%(n)s项材料") % {"n": n})
            elif position == 1 and previous == "cases":
                words.append(gettext("用例“%(name)s”") % {"name": named} if named
                             else gettext("第%(n)s个用例") % {"n": n})
            elif context == "level_paths" and previous in LEVELS:
                words.append(gettext("第%(n)s条路径") % {"n": n})
                context = "path"
            elif previous == "notes":
                words.append(gettext("第%(n)s条说明") % {"n": n})
            else:
                words.append(gettext("第%(n)s项") % {"n": n})
        else:
            if isinstance(node, dict):
                child = node.get(step)
            if position == 0 and step in ("checks", "materials", "cases"):
                pass
            elif previous in ("allowed", "equivalents") or (context == "level_paths" and previous == "levels"):
                words.append(value_label(step))
            else:
                words.append(field_label(step, context))
            if step == "reduced":
                context = "reduced"
        node = child
        previous = step
    return " › ".join(words) or gettext("整个文档")


def explain_error(document: Any, path: str, message: str) -> str:
    """One refusal for a person: where (in words, then the JSON path) and why."""
    return gettext("%(where)s（%(path)s）：%(message)s") % {
        "where": describe_path(document, path), "path": path, "message": message,
    }
