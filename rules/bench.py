"""The test bench of a rule set: cases (a profile and the decision it must give) run against a
version before it may be published.

Where the cases live:
- a version stored in the database carries them in its document, ``cases`` (optional in the
  schema); a draft started from a version copies the cases that version is tested with;
- the six shipped rule sets keep theirs beside the files, ``rules/rulesets/cases/<code>.json``
  (``{"code": …, "cases": [...]}``), so that the shipped documents — and the published version 1
  of each, which is immutable — stay byte for byte what they were. They belong to the shipped
  content: a version whose document is exactly the shipped file is tested with them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext, pgettext_lazy

from rules.catalog import RULESETS_DIR, compile_rule_set, shipped_rule_set_documents
from rules.engine import ProfileError, evaluate, parse_profile
from rules.engine.ruleset import RuleSetData, content_hash
from rules.labels import LEVELS, cn_date
from rules.presentation import KIND_TITLES

CASES_DIR = RULESETS_DIR / "cases"

# Whether a case's check passed (context "rules bench": other catalogues use these words for decisions).
PASSED_WORDS = {True: pgettext_lazy("rules bench", "通过"), False: pgettext_lazy("rules bench", "不通过"),
                None: pgettext_lazy("rules bench", "待审核")}


@lru_cache(maxsize=1)
def shipped_cases() -> dict[str, tuple[dict[str, Any], ...]]:
    """code → the cases shipped for that rule set."""
    found: dict[str, tuple[dict[str, Any], ...]] = {}
    for path in sorted(CASES_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[data["code"]] = tuple(data["cases"])
    return found


def cases_of(data: dict[str, Any], digest: str | None = None) -> list[dict[str, Any]]:
    """The cases a version is tested with: its own ``cases``; for the shipped content, the shipped
    cases file; otherwise none."""
    if "cases" in data:
        return list(data["cases"] or ())
    shipped = shipped_rule_set_documents().get(data.get("code", ""))
    if shipped is not None and content_hash(shipped) == (digest or content_hash(data)):
        return [dict(case) for case in shipped_cases().get(data["code"], ())]
    return []


@dataclass(frozen=True, slots=True)
class CheckLine:
    code: str
    title: str
    passed: bool | None
    message: str
    source: str
    expected: bool | str | None = "—"  # "—": no expectation stated for this check

    @property
    def passed_text(self) -> str:
        return str(PASSED_WORDS[self.passed])

    @property
    def expected_text(self) -> str:
        return "" if self.expected == "—" else str(PASSED_WORDS[self.expected])  # type: ignore[index]

    def as_dict(self) -> dict[str, Any]:
        out = {"code": self.code, "title": self.title, "passed": self.passed, "message": self.message,
               "source": self.source}
        if self.expected != "—":
            out["expected"] = self.expected
        return out


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    index: int
    name: str
    passed: bool
    expected: dict[str, Any]
    actual: dict[str, Any]
    differences: tuple[str, ...] = ()
    checks: tuple[CheckLine, ...] = ()  # the checks that differ from what the case expects
    error: str = ""
    note: str = ""

    @property
    def expected_text(self) -> str:
        return decision_text(self.expected)

    @property
    def actual_text(self) -> str:
        return decision_text(self.actual) if self.actual else gettext("无法运行")

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "passed": self.passed,
            "expected": self.expected,
            "actual": self.actual,
            "differences": list(self.differences),
            "checks": [line.as_dict() for line in self.checks],
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class BenchResult:
    outcomes: tuple[CaseOutcome, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return all(outcome.passed for outcome in self.outcomes)

    @property
    def failed(self) -> list[CaseOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.passed]

    @property
    def summary(self) -> str:
        total = len(self.outcomes)
        if total == 0:
            return gettext("尚无测试用例")
        if self.passed:
            return gettext("%(total)s个用例全部通过") % {"total": total}
        return gettext("%(total)s个用例中有%(failed)s个未通过") % {"total": total, "failed": len(self.failed)}

    def refusal(self) -> str:
        """Why this version cannot be published, naming each failing case."""
        semicolon = gettext("；")
        listed = semicolon.join(
            gettext("“%(name)s”（%(why)s）") % {"name": o.name, "why": semicolon.join(o.differences) or o.error}
            for o in self.failed
        )
        return gettext("测试用例未全部通过，不能发布：%(cases)s") % {"cases": listed}

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "total": len(self.outcomes),
            "failed": len(self.failed),
            "summary": self.summary,
            "cases": [outcome.as_dict() for outcome in self.outcomes],
        }


def decision_text(decision: dict[str, Any]) -> str:
    if not decision:
        return ""
    if decision.get("eligible"):
        level = LEVELS.get(decision.get("level") or "", "")
        return gettext("可以申报%(level)s") % {"level": level} if level else gettext("可以申报")
    earliest = decision.get("earliest_eligible_on")
    if earliest:
        return gettext("不能申报，最早%(date)s可申报") % {"date": cn_date(earliest)}
    return gettext("不能申报")


def _eligible_text(value: bool) -> str:
    return gettext("可以申报") if value else gettext("不能申报")


def run_case(rule_set: RuleSetData, case: dict[str, Any], index: int = 0) -> CaseOutcome:
    expected = dict(case.get("expected") or {})
    name = case.get("name") or gettext("用例%(n)s") % {"n": index + 1}
    try:
        profile = parse_profile(case.get("profile"))
    except ProfileError as exc:
        error = gettext("申报人信息有误（%(field)s）：%(message)s") % {"field": exc.field, "message": exc.message}
        return CaseOutcome(index, name, False, expected, {}, (), (), error, case.get("note", ""))
    decision = evaluate(rule_set, profile, profile.as_of)
    actual = {
        "eligible": decision.eligible,
        "level": decision.level,
        "earliest_eligible_on": decision.earliest_eligible_on.isoformat() if decision.earliest_eligible_on else None,
    }
    kinds = {spec.code: spec.kind for spec in rule_set.checks}
    differences: list[str] = []
    if expected.get("eligible") is not None and bool(expected["eligible"]) != decision.eligible:
        # The level and the date follow from the answer: one sentence says it all.
        later = (gettext("（最早%(date)s可申报）") % {"date": cn_date(decision.earliest_eligible_on)}
                 if decision.earliest_eligible_on else "")
        differences.append(gettext("预期%(expected)s，实际%(actual)s%(later)s") % {
            "expected": _eligible_text(expected["eligible"]), "actual": _eligible_text(decision.eligible),
            "later": later})
    else:
        if "level" in expected and expected["level"] != decision.level:
            differences.append(gettext("预期级别%(expected)s，实际%(actual)s") % {
                "expected": LEVELS.get(expected["level"] or "", gettext("无")),
                "actual": LEVELS.get(decision.level or "", gettext("无"))})
        if "earliest_eligible_on" in expected and expected["earliest_eligible_on"] != actual["earliest_eligible_on"]:
            differences.append(gettext("预期最早可申报日期%(expected)s，实际%(actual)s") % {
                "expected": cn_date(expected["earliest_eligible_on"]),
                "actual": cn_date(actual["earliest_eligible_on"])})
    wanted: dict[str, Any] = expected.get("checks") or {}
    results = {result.code: result for result in decision.checks}
    lines: list[CheckLine] = []
    for code, passed in wanted.items():
        result = results.get(code)
        title = str(KIND_TITLES.get(kinds.get(code, ""), code))
        if result is None:
            differences.append(gettext("“%(title)s”预期%(expected)s，但这条检查没有执行（不适用于该申报人）") % {
                "title": title, "expected": PASSED_WORDS[passed]})
            continue
        if result.passed is not passed:
            differences.append(gettext("“%(title)s”预期%(expected)s，实际%(actual)s") % {
                "title": title, "expected": PASSED_WORDS[passed], "actual": PASSED_WORDS[result.passed]})
            lines.append(CheckLine(code, title, result.passed, result.message, result.source, passed))
    if differences and not lines:
        # No single check was named: the checks that decided the outcome are the failing ones.
        lines = [
            CheckLine(r.code, str(KIND_TITLES.get(kinds.get(r.code, ""), r.code)), r.passed, r.message, r.source)
            for r in decision.checks
            if r.passed is False
        ]
    return CaseOutcome(index, name, not differences, expected, actual, tuple(differences), tuple(lines), "",
                       case.get("note", ""))


def run_bench(
    data: dict[str, Any], cases: list[dict[str, Any]] | None = None, digest: str | None = None
) -> BenchResult:
    """Run ``cases`` (by default the version's own, see :func:`cases_of`) against the document."""
    rule_set = compile_rule_set(data, digest)
    chosen = cases_of(data, digest) if cases is None else cases
    return BenchResult(tuple(run_case(rule_set, case, index) for index, case in enumerate(chosen)))


def run_shipped_benches() -> dict[str, BenchResult]:
    """Every shipped rule set against its shipped cases (CI runs this)."""
    return {
        code: run_bench(document, list(shipped_cases().get(code, ())))
        for code, document in shipped_rule_set_documents().items()
    }


def case_from_decision(name: str, profile: dict[str, Any], eligible: bool, earliest: date | None = None,
                       level: str | None = None, note: str = "") -> dict[str, Any]:
    """A case document from the fields of the bench form. Not eligible without a date: the date
    is not compared (the person filling the form may not know it)."""
    target_level = (profile.get("target") or {}).get("level")
    expected: dict[str, Any] = {"eligible": eligible, "level": (level or target_level) if eligible else None}
    if eligible:
        expected["earliest_eligible_on"] = None
    elif earliest is not None:
        expected["earliest_eligible_on"] = earliest.isoformat()
    case: dict[str, Any] = {"name": name, "profile": profile, "expected": expected}
    if note:
        case["note"] = note
    return case
