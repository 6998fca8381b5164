"""What changed between two submissions of one application, for people to read side by side.

Snapshots are frozen at each submission; after a return the applicant resubmits and reviewers
(and the applicant) see only what changed, in Chinese, not the whole file again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

APPLICATION_FIELDS = {
    "series": gettext_lazy("职称系列"),
    "specialty": gettext_lazy("专业"),
    "level": gettext_lazy("申报级别"),
    "self_statement": gettext_lazy("本人述职"),
    "main_achievements": gettext_lazy("主要工作业绩"),
    "exceptional_promotion": gettext_lazy("破格申报"),
    "entrusted_review": gettext_lazy("委托评审"),
    "committee": pgettext_lazy("one committee", "评审委员会"),
}
RECORD_SECTIONS = {
    "basics": gettext_lazy("基本信息"),
    "education": gettext_lazy("学历"),
    "work": gettext_lazy("工作经历"),
    "titles": gettext_lazy("已取得职称"),
    "assessments": gettext_lazy("年度考核"),
    "continuing_education": gettext_lazy("继续教育学时"),
    "skills": gettext_lazy("技能等级"),
}


@dataclass(frozen=True)
class Difference:
    label: str
    before: str
    after: str


# The model each frozen record list comes from: its field names and choices label the values.
SECTION_MODELS = {
    "basics": "PersonalRecord",
    "education": "EducationEntry",
    "work": "WorkPeriod",
    "titles": "TitleHeld",
    "assessments": "AnnualAssessment",
    "continuing_education": "ContinuingEducation",
    "skills": "SkillQualification",
    "sanctions": "Sanction",
    "absences": "Absence",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _fields(model_name: str | None) -> dict[str, Any]:
    if not model_name:
        return {}
    from applications import models

    return {field.name: field for field in getattr(models, model_name)._meta.get_fields() if hasattr(field, "choices")}


def _text(value: Any, field=None, fields: dict[str, Any] | None = None) -> str:
    """A frozen value as people read it: dates in Chinese, codes by their names, a row as
    “名称：值” pairs, never a raw code or an ISO date."""
    if value is None or value == "":
        return _("（空）")
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if isinstance(value, dict):
        if "sha256" in value and "name" in value:  # an attachment
            return _file(value["name"])
        if set(value) <= {"id", "name"}:  # a committee, a unit
            return str(value.get("name") or _("（空）"))
        fields = fields or {}
        parts = []
        for key, item in value.items():
            if key == "id" or item in (None, ""):
                continue
            label = str(getattr(fields.get(key), "verbose_name", "") or "")
            shown = _text(item, fields.get(key))
            parts.append(_("%(label)s：%(value)s") % {"label": label, "value": shown} if label else shown)
        return _("；").join(parts)
    if isinstance(value, list):
        return "\n".join(_text(item, field, fields) for item in value) or _("（空）")
    choices = dict(getattr(field, "choices", None) or ())
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    if isinstance(value, str) and (_ISO_DATE.match(value) or _ISO_DATETIME.match(value)):
        from core.templatetags.plain_words import plain_date, plain_datetime

        return plain_date(value) if _ISO_DATE.match(value) else plain_datetime(value)
    return str(value)


def _file(name: str) -> str:
    return _("文件“%(name)s”") % {"name": name}


def _files_by_slot(snapshot: dict) -> dict[str, list[dict]]:
    slots: dict[str, list[dict]] = {}
    for item in snapshot.get("files", []):
        slots.setdefault(item["slot"], []).append(item)
    return slots


def snapshot_differences(
    before: dict, after: dict, slot_names: dict[str, str] | None = None, labels: dict[str, str] | None = None
) -> list[Difference]:
    """``labels`` names the application's text fields as its rule set does (materials.text_labels);
    a slot missing from ``slot_names`` reads “其他材料”, never its code."""
    slot_names = slot_names or {}
    differences: list[Difference] = []
    old_app, new_app = before.get("application", {}), after.get("application", {})
    application_fields = _fields("Application")
    for key, label in APPLICATION_FIELDS.items():
        if old_app.get(key) != new_app.get(key):
            field = application_fields.get(key)
            differences.append(
                Difference(
                    str((labels or {}).get(key, label)),
                    _text(old_app.get(key), field),
                    _text(new_app.get(key), field),
                )
            )
    old_record, new_record = before.get("record") or {}, after.get("record") or {}
    for key, label in RECORD_SECTIONS.items():
        if old_record.get(key) != new_record.get(key):
            fields = _fields(SECTION_MODELS.get(key))
            differences.append(
                Difference(
                    str(label), _text(old_record.get(key), fields=fields), _text(new_record.get(key), fields=fields)
                )
            )
    old_titles = [a.get("title") for a in before.get("achievements", [])]
    new_titles = [a.get("title") for a in after.get("achievements", [])]
    if before.get("achievements") != after.get("achievements"):
        differences.append(Difference(_("代表性业绩"), _text(old_titles), _text(new_titles)))
    old_files, new_files = _files_by_slot(before), _files_by_slot(after)
    for slot in sorted(set(old_files) | set(new_files)):
        old_hashes = [f["sha256"] for f in old_files.get(slot, [])]
        new_hashes = [f["sha256"] for f in new_files.get(slot, [])]
        if old_hashes != new_hashes:
            differences.append(
                Difference(
                    _("材料：%(name)s") % {"name": slot_names.get(slot) or _("其他材料")},
                    _text([_file(f["name"]) for f in old_files.get(slot, [])]),
                    _text([_file(f["name"]) for f in new_files.get(slot, [])]),
                )
            )
    return differences
