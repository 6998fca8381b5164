"""The frozen submission an expert judges, in plain words: names instead of codes, dates in
Chinese, and every file of the snapshot with its material's name (never a slot id).

The expert sees what a reviewer sees (record, titles held, assessments, continuing education,
achievements, every attachment, the lower levels' opinions), read from the snapshot the meeting froze.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext, gettext_lazy

from applications.models import (
    EDUCATION_CHOICES,
    GENDER_CHOICES,
    GRADE_CHOICES,
    LEVEL_CHOICES,
    SERIES_CHOICES,
    SKILL_CHOICES,
    Absence,
    Achievement,
    Sanction,
)
from core.dates import local_date
from rules.catalog import UnknownRuleSetError

OTHER_MATERIAL = gettext_lazy("其他材料")


def day(value) -> str:
    if not value:
        return ""
    try:
        return local_date(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return ""


def yes_no(value) -> str:
    return gettext("是") if value else gettext("否")


def hours(value) -> str:
    if value is None:
        return "—"
    number = float(value)
    return f"{number:g}"


@dataclass(frozen=True)
class FileLink:
    id: int
    name: str
    pages: int | None = None
    image: bool = False


@dataclass
class Presented:
    application: dict
    basics: list[tuple[str, str]] = field(default_factory=list)
    education: list[dict] = field(default_factory=list)
    work: list[dict] = field(default_factory=list)
    titles: list[dict] = field(default_factory=list)
    assessments: list[tuple[str, str]] = field(default_factory=list)
    continuing_education: list[tuple[str, str]] = field(default_factory=list)
    skills: list[dict] = field(default_factory=list)
    sanctions: list[dict] = field(default_factory=list)
    absences: list[dict] = field(default_factory=list)
    achievements: list[dict] = field(default_factory=list)
    files: list[tuple[str, FileLink, bool]] = field(default_factory=list)
    exceptional_form: FileLink | None = None
    submitted_on: str = ""


def _link(meta) -> FileLink | None:
    if not isinstance(meta, dict) or not meta.get("id"):
        return None
    return FileLink(
        id=int(meta["id"]), name=meta.get("name") or gettext("附件"), pages=meta.get("pages"),
        image=str(meta.get("content_type", "")).startswith("image/"),
    )


def slot_names(application) -> dict[str, str]:
    """Slot id → the material's name in the application's rule set (applicant and unit items)."""
    from applications import materials

    names: dict[str, str] = {
        materials.EXCEPTIONAL_FORM: gettext("《破格推荐专业技术职务任职资格审批表》"),
        materials.ENTRUSTMENT_LETTER: gettext("委托评审函"),
    }
    try:
        for slot in materials.checklist(application)[0]:
            names[slot.id] = slot.name
        for item in materials.unit_items(application):
            names.setdefault(item.id, item.name)
    except UnknownRuleSetError:  # a retired rule set: the files are still shown, by a plain name
        pass
    return names


def present(snapshot: dict, application) -> Presented:
    series, levels = dict(SERIES_CHOICES), dict(LEVEL_CHOICES)
    education_levels, grades, skills = dict(EDUCATION_CHOICES), dict(GRADE_CHOICES), dict(SKILL_CHOICES)
    sanctions, absences = dict(Sanction.Kind.choices), dict(Absence.Kind.choices)
    kinds = dict(Achievement.Kind.choices)
    record = snapshot.get("record") or {}
    shown = Presented(application=snapshot.get("application") or {}, submitted_on=day(snapshot.get("submitted_at")))

    basics = record.get("basics") or {}
    if basics:
        genders = dict(GENDER_CHOICES)
        shown.basics = [
            (gettext("出生日期"), day(basics.get("birth_date")) or "—"),
            (gettext("性别"), str(genders.get(basics.get("gender"), "—"))),
            (gettext("现岗位起始日期"), day(basics.get("current_post_since")) or "—"),
            (gettext("在本地工作月数"), str(basics.get("months_in_region") if basics.get("months_in_region") is not None
                                         else "—")),
        ]
    for row in record.get("education") or []:
        shown.education.append({
            "level": str(education_levels.get(row.get("level"), "")), "school": row.get("school", ""),
            "major": row.get("major", ""), "graduated_on": day(row.get("graduated_on")),
            "full_time": gettext("全日制") if row.get("full_time") else gettext("非全日制"),
            "degree": gettext("取得学位证书") if row.get("degree_certificate") else "",
            "file": _link(row.get("diploma")),
        })
    for row in record.get("work") or []:
        shown.work.append({
            "start": day(row.get("start")), "end": day(row.get("end")) or gettext("至今"),
            "employer": row.get("employer", ""),
            "post": row.get("post", ""), "professional": bool(row.get("professional")),
        })
    for row in record.get("titles") or []:
        shown.titles.append({
            "title": row.get("name") or f"{series.get(row.get('series'), '')}{levels.get(row.get('level'), '')}",
            "series_level": gettext("%(series)s系列 %(level)s") % {
                "series": series.get(row.get("series"), ""), "level": levels.get(row.get("level"), ""),
            },
            "obtained_on": day(row.get("obtained_on")),
            "appointed_on": day(row.get("appointed_on")) or gettext("未聘任"),
            "file": _link(row.get("appointment_letter")),
        })
    shown.assessments = [
        (gettext("%(year)s年") % {"year": row.get("year")}, str(grades.get(row.get("grade"), "—")))
        for row in record.get("assessments") or []
    ]
    shown.continuing_education = [
        (gettext("%(year)s年") % {"year": row.get("year")},
         gettext("%(hours)s学时") % {"hours": hours(row.get("hours"))})
        for row in record.get("continuing_education") or []
    ]
    for row in record.get("skills") or []:
        shown.skills.append({
            "level": str(skills.get(row.get("level"), "")), "occupation": row.get("occupation", ""),
            "obtained_on": day(row.get("obtained_on")), "file": _link(row.get("certificate")),
        })
    for row in record.get("sanctions") or []:
        shown.sanctions.append({
            "kind": str(sanctions.get(row.get("kind"), gettext("处分"))), "start": day(row.get("start")),
            "end": day(row.get("end")) or gettext("未结束"), "note": row.get("note", ""),
        })
    for row in record.get("absences") or []:
        shown.absences.append({
            "kind": str(absences.get(row.get("kind"), gettext("离岗"))), "start": day(row.get("start")),
            "end": day(row.get("end")) or gettext("未返回"),
        })
    for row in snapshot.get("achievements") or []:
        shown.achievements.append({
            "kind": str(kinds.get(row.get("kind"), gettext("业绩"))), "title": row.get("title", ""),
            "achieved_on": day(row.get("achieved_on")), "role": row.get("role", ""),
            "description": row.get("description", ""), "file": _link(row.get("proof")),
        })
    names = slot_names(application)
    for row in snapshot.get("files") or []:
        link = _link(row)
        if link is not None:
            shown.files.append((names.get(row.get("slot"), OTHER_MATERIAL), link, bool(row.get("supplied_by_unit"))))
    approval = snapshot.get("exceptional_promotion_approval") or {}
    if approval.get("attachment"):
        shown.exceptional_form = FileLink(id=int(approval["attachment"]), name=gettext("破格推荐审批表（已批准）"))
    return shown
