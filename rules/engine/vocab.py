"""Vocabularies of the eligibility contract with the Chinese names people read."""

from __future__ import annotations

LEVELS: dict[str, str] = {
    "yuan": "员级",
    "assistant": "助理级",
    "intermediate": "中级",
    "associate_senior": "副高级",
    "senior": "正高级",
}
LEVEL_ORDER: tuple[str, ...] = ("yuan", "assistant", "intermediate", "associate_senior", "senior")

SERIES: dict[str, str] = {
    "engineering": "工程",
    "agriculture": "农业",
    "school_teacher": "中小学教师",
    "health": "卫生",
    "economics": "经济",
    "accounting": "会计",
    "audit": "审计",
    "statistics": "统计",
    "publishing": "出版",
    "translation": "翻译",
    "computer_software": "计算机技术与软件",
    "communication": "通信",
    "fire_engineering": "消防工程",
    "pharmacy": "药学",
    "archives": "档案",
    "library": "图书资料",
    "culture": "群众文化",
    "museum": "文物博物",
    "art": "艺术",
    "sports_coach": "体育教练",
    "journalism": "新闻",
    "broadcasting": "播音主持",
    "technical_school_teacher": "技工院校教师",
    "lawyer": "律师",
    "arts_and_crafts": "工艺美术",
    "other": "其他",
}

EDUCATION: dict[str, str] = {
    # The short names of the contract, as the documents themselves write them.
    "secondary_vocational": "中专",
    "junior_college": "大专",
    "bachelor": "本科",
    "master": "硕士",
    "doctor": "博士",
    "tech_school_intermediate": "技工院校中级工班",
    "tech_school_senior": "技工院校高级工班",
    "tech_school_technician": "技工院校预备技师（技师）班",
}

SKILLS: dict[str, str] = {
    "senior_worker": "高级工",
    "technician": "技师",
    "senior_technician": "高级技师",
}

UNIT_KINDS: dict[str, str] = {
    "public_institution": "事业单位",
    "state_owned": "国有企业",
    "non_public": "非公经济组织",
    "social_org": "社会组织",
}

GRADES: dict[str, str] = {
    "excellent": "优秀",
    "qualified": "合格",
    "basic_qualified": "基本合格",
    "unqualified": "不合格",
    "none": "未参加考核",
}

SANCTIONS: dict[str, str] = {
    "disciplinary": "党政纪律处分",
    "criminal": "司法处分",
    "under_investigation": "正在接受审查",
}

ABSENCES: dict[str, str] = {
    "study_abroad": "出国进修或脱产学习",
    "sick_leave": "病休",
}

GENDERS: dict[str, str] = {"M": "男", "F": "女"}

def names(codes: list[str] | tuple[str, ...] | frozenset[str], table: dict[str, str]) -> str:
    """Join the Chinese names of codes for a message, in the table's order."""
    wanted = set(codes)
    return "、".join(label for code, label in table.items() if code in wanted)
