"""The test bench: every shipped rule set passes its shipped cases (CI runs them all), and a case
that fails says how, naming the checks that differ."""

from __future__ import annotations

import copy
import json

import pytest

from rules.bench import CASES_DIR, cases_of, run_bench, run_case, run_shipped_benches, shipped_cases
from rules.catalog import compile_rule_set, shipped_rule_set_documents
from rules.validation import RuleSetDocumentError, validate_rule_set_document
from tests.rules.helpers import CODES, base_profile


def test_it_ships_a_bench_of_at_least_ten_cases_for_every_shipped_rule_set():
    assert sorted(shipped_cases()) == sorted(CODES)
    assert sorted(p.stem for p in CASES_DIR.glob("*.json")) == sorted(CODES)
    for code, cases in shipped_cases().items():
        assert len(cases) >= 10, code


@pytest.mark.parametrize("code", CODES)
def test_it_passes_every_shipped_case(code):
    result = run_shipped_benches()[code]
    failing = [(o.name, o.differences, o.error) for o in result.failed]
    assert failing == []
    assert result.summary == f"{len(result.outcomes)}个用例全部通过"


@pytest.mark.parametrize("code", CODES)
def test_it_validates_the_shipped_cases_with_the_document_schema(code):
    # The same format as a draft's own ``cases``: a shipped bench could be pasted into a document.
    validate_rule_set_document({**shipped_rule_set_documents()[code], "cases": list(shipped_cases()[code])})


@pytest.mark.parametrize("code", CODES)
def test_it_includes_boundary_days(code):
    names = [case["name"] for case in shipped_cases()[code]]
    assert any("前一天" in name or "差一天" in name or "晚一天" in name for name in names), names
    assert any(case["expected"]["earliest_eligible_on"] for case in shipped_cases()[code])


def test_it_tests_the_shipped_content_with_the_shipped_cases_and_a_changed_one_with_its_own():
    document = shipped_rule_set_documents()["kunming-panlong-2024q3"]
    assert len(cases_of(document)) == len(shipped_cases()["kunming-panlong-2024q3"])
    changed = {**copy.deepcopy(document), "name": "改过的"}
    assert cases_of(changed) == []
    assert cases_of({**changed, "cases": [{"name": "x"}]}) == [{"name": "x"}]


def test_it_names_the_differences_and_the_checks_that_differ():
    rule_set = compile_rule_set(shipped_rule_set_documents()["kunming-panlong-2024q3"])
    case = {
        "name": "社保5个月",
        "profile": base_profile(employment__social_insurance_months_in_region=5),
        "expected": {"eligible": False, "level": None, "earliest_eligible_on": "2024-10-01",
                     "checks": {"social_insurance": True, "insured_unit": True}},
    }
    outcome = run_case(rule_set, case)
    assert outcome.passed is False
    assert outcome.differences == (
        "预期最早可申报日期2024年10月1日，实际2024年10月10日",
        "“社会保险”预期通过，实际不通过",
    )
    assert [(c.code, c.passed, c.expected) for c in outcome.checks] == [("social_insurance", False, True)]
    assert outcome.checks[0].message == "须在昆明连续缴纳社保满6个月，现5个月"
    assert outcome.expected_text == "不能申报，最早2024年10月1日可申报"
    assert outcome.actual_text == "不能申报，最早2024年10月10日可申报"


def test_it_reports_an_unreadable_profile_as_a_failed_case():
    document = shipped_rule_set_documents()["kunming-panlong-2024q3"]
    result = run_bench(document, [{"name": "坏的", "profile": {"as_of": "昨天"}, "expected": {"eligible": True}}])
    assert result.passed is False
    assert result.failed[0].error.startswith("申报人信息有误（as_of）")


def test_it_refuses_an_expected_check_the_rule_set_does_not_have():
    document = copy.deepcopy(shipped_rule_set_documents()["kunming-panlong-2024q3"])
    document["cases"] = [{"name": "x", "profile": base_profile(), "expected": {"eligible": True,
                                                                            "checks": {"astrology": True}}}]
    with pytest.raises(RuleSetDocumentError) as caught:
        validate_rule_set_document(document)
    assert caught.value.path == "cases[0].expected.checks.astrology"


def test_the_cases_files_are_plain_utf8_json():
    for path in CASES_DIR.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert set(data) == {"code", "description", "cases"}
