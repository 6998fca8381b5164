"""A rule set as rows a bureau reads: each rule in Chinese with its clause."""

from __future__ import annotations

from dataclasses import dataclass

from rules.engine import vocab
from rules.engine.ruleset import RuleSetData

KIND_TITLES = {
    "target_level": "适用级别",
    "series_excluded": "不予考核认定的系列",
    "unit_kind": "申报范围",
    "months_in_region": "在本地工作时间",
    "has_contract": "劳动（聘用）合同",
    "social_insurance": "社会保险",
    "insured_unit": "参保单位",
    "not_civil_servant": "公务员",
    "not_retired": "离退休人员",
    "retirement_age": "退休年龄",
    "sanctions": "处分与审查",
    "absences": "离岗情形",
    "assessments_all_qualified": "年度考核",
    "assessment_previous_year": "年度考核",
    "assessments_in_tenure": "年度考核",
    "series_change": "转换系列",
    "continuing_education": "继续教育",
    "appointment_to_year_end": "聘任年限",
    "reviewer": "由审核部门或评委会把关",
    "level_paths": "学历与资历",
}


@dataclass(frozen=True, slots=True)
class Row:
    title: str
    rule: str
    source: str
    judged_by_people: bool = False
    indent: bool = False


def _when_text(when: dict) -> str:
    parts = []
    if "levels" in when:
        parts.append("适用于" + vocab.names(when["levels"], vocab.LEVELS))
    if "series" in when:
        parts.append(vocab.names(when["series"], vocab.SERIES) + "系列")
    if "unit_kinds" in when:
        parts.append(vocab.names(when["unit_kinds"], vocab.UNIT_KINDS))
    return f"（{'，'.join(parts)}）" if parts else ""


def rule_rows(rule_set: RuleSetData) -> list[Row]:
    rows = []
    for spec in rule_set.checks:
        rows.append(Row(
            title=KIND_TITLES.get(spec.kind, spec.kind),
            rule=spec.label + _when_text(spec.when),
            source=spec.source,
            judged_by_people=spec.kind == "reviewer",
        ))
        if spec.kind == "level_paths":
            for level, paths in spec.params.get("levels", {}).items():
                for path in paths:
                    rows.append(Row(title=vocab.LEVELS.get(level, level), rule=path["label"],
                                    source=path.get("source", spec.source), indent=True))
            for note in spec.params.get("notes", []):
                rows.append(Row(title="说明", rule=note["text"], source=note["source"], indent=True))
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
