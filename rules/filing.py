"""Filing requirements (``filing_rules`` of a rule set): what the applicant must fill in a
certain way before the application can be submitted. They are not eligibility conditions —
the engine and ``evaluate_eligibility`` never see them — but a rule of the same document,
so they live in the rule set beside its checks and materials (docs/rulesets.md).

Kinds:
- ``specialty_matches``: the current professional field (现从事专业, personal record) equals the
  field applied for (申报专业) — 001_272b0a6ee81b04e4.txt 二(五)2 “否则无法提交申报”.
- ``achievement_document_number``: every chosen achievement cites the document number (文号)
  of the document that proves it — 001 二(五)6 “未注明文号的业绩不予认可”.

Pure functions: the callers (applications) pass the facts in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from rules.engine.ruleset import RuleSetData

SPECIALTY_MATCHES = "specialty_matches"
ACHIEVEMENT_DOCUMENT_NUMBER = "achievement_document_number"
FILING_KINDS = (SPECIALTY_MATCHES, ACHIEVEMENT_DOCUMENT_NUMBER)

# 文号: issuer's abbreviation, year in 〔〕 (or [] () 【】), serial and 号 — 许教〔2023〕12号,
# 豫教师[2022]108号, 教人(2020)第5号.
DOCUMENT_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d{1,5}\s*号"
)


@dataclass(frozen=True, slots=True)
class FilingRule:
    code: str
    kind: str
    label: str
    source: str


def _applies(when: dict[str, Any], *, series: str, level: str, unit_kind: str | None) -> bool:
    if "levels" in when and level not in when["levels"]:
        return False
    if "series" in when and series not in when["series"]:
        return False
    return not ("unit_kinds" in when and unit_kind not in when["unit_kinds"])


def filing_rules(
    rule_set: RuleSetData, *, series: str, level: str, unit_kind: str | None = None
) -> list[FilingRule]:
    """The filing requirements of ``rule_set`` that apply to this series, level and unit kind."""
    found = []
    for raw in rule_set.raw.get("filing_rules") or ():
        if raw.get("kind") not in FILING_KINDS:
            continue
        if not _applies(raw.get("when") or {}, series=series, level=level, unit_kind=unit_kind):
            continue
        found.append(FilingRule(code=raw.get("code") or raw["kind"], kind=raw["kind"],
                                label=raw.get("label", ""), source=raw.get("source", "")))
    return found


def _plain(text: str | None) -> str:
    return "".join((text or "").split())


def specialty_problem(*, current: str | None, applied: str | None) -> str:
    """Why the current field and the field applied for do not allow submitting, or ""."""
    now, wanted = _plain(current), _plain(applied)
    rule = gettext("“现从事专业”应与“申报专业”保持一致，否则无法提交申报")
    if not now:
        return gettext("请在个人信息中填写“现从事专业”：%(rule)s。") % {"rule": rule}
    if not wanted:
        return gettext("请填写“申报专业”：%(rule)s。") % {"rule": rule}
    if now != wanted:
        return gettext("“现从事专业”（%(now)s）与“申报专业”（%(wanted)s）不一致，无法提交申报：%(rule)s；"
                       "请修改个人信息中的“现从事专业”或本申报的“专业”。") % {
                           "now": now, "wanted": wanted, "rule": rule}
    return ""


def cites_document_number(*texts: str | None) -> bool:
    return any(DOCUMENT_NUMBER.search(text or "") for text in texts)


def document_number_problem(titles: list[str]) -> str:
    """The message for chosen achievements that cite no document number, or "" for none."""
    if not titles:
        return ""
    listed = gettext("、").join(gettext("“%(title)s”") % {"title": title} for title in titles)
    return gettext("选用的业绩%(listed)s未在“简要说明”中注明相应文件的文号（如“××〔2023〕12号”），"
                   "未注明文号的业绩不予认可；请在业绩档案中补充注明文号的业绩后重新选用。") % {"listed": listed}
