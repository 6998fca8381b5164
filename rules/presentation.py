"""A rule set as rows a bureau reads: each rule with its clause (the rule text is the rule set's
Chinese data; the titles are translated)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rules.engine.ruleset import RuleSetData

KIND_TITLES = {
    "target_level": _("适用级别"),
    "series_excluded": _("不予考核认定的系列"),
    "unit_kind": _("申报范围"),
    "months_in_region": _("在本地工作时间"),
    "has_contract": _("劳动（聘用）合同"),
    "social_insurance": _("社会保险"),
    "insured_unit": _("参保单位"),
    "not_civil_servant": _("公务员"),
    "not_retired": _("离退休人员"),
    "retirement_age": _("退休年龄"),
    "sanctions": _("处分与审查"),
    "absences": _("离岗情形"),
    "assessments_all_qualified": _("年度考核"),
    "assessment_previous_year": _("年度考核"),
    "assessments_in_tenure": _("年度考核"),
    "series_change": _("转换系列"),
    "continuing_education": _("继续教育"),
    "appointment_to_year_end": _("聘任年限"),
    "reviewer": _("由审核部门或评委会把关"),
    "level_paths": _("学历与资历"),
}


@dataclass(frozen=True, slots=True)
class Row:
    title: str
    rule: str
    source: str
    judged_by_people: bool = False
    indent: bool = False


def _when_text(when: dict) -> str:
    from rules import labels

    parts = []
    if "levels" in when:
        parts.append(gettext("适用于%(levels)s") % {"levels": labels.names(when["levels"], labels.LEVELS)})
    if "series" in when:
        parts.append(gettext("%(series)s系列") % {"series": labels.names(when["series"], labels.SERIES)})
    if "unit_kinds" in when:
        parts.append(labels.names(when["unit_kinds"], labels.UNIT_KINDS))
    return gettext("（%(parts)s）") % {"parts": gettext("，").join(parts)} if parts else ""


def rule_rows(rule_set: RuleSetData) -> list[Row]:
    from rules import labels

    rows = []
    for spec in rule_set.checks:
        rows.append(Row(
            title=str(KIND_TITLES.get(spec.kind, spec.kind)),
            rule=spec.label + _when_text(spec.when),
            source=spec.source,
            judged_by_people=spec.kind == "reviewer",
        ))
        if spec.kind == "level_paths":
            for level, paths in spec.params.get("levels", {}).items():
                for path in paths:
                    rows.append(Row(title=str(labels.LEVELS.get(level, level)), rule=path["label"],
                                    source=path.get("source", spec.source), indent=True))
            for note in spec.params.get("notes", []):
                rows.append(Row(title=gettext("说明"), rule=note["text"], source=note["source"], indent=True))
    return rows


@dataclass(frozen=True, slots=True)
class CitedRow:
    row: Row
    document: object | None  # the attached policy document the source cites, if any


def cited_rows(rows: list[Row], documents: list) -> list[CitedRow]:
    """Each row with the attached policy document its source cites (by 文号 or title), so the
    page can link the clause to the document itself."""
    out = []
    for row in rows:
        cited = next((d for d in documents if d.citation and row.source.startswith(d.citation)), None)
        out.append(CitedRow(row, cited))
    return out
