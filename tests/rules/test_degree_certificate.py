"""The master's path needs the degree certificate.

001_272b0a6ee81b04e4.txt 二(五)4: 硕士研究生如未上传硕士学位证书则不能按照“硕士研究生毕业并获硕士学位”条件申报职称
— a master's graduate without the certificate is judged on the bachelor path. Rule sets say so with
``without_degree: {"master": "bachelor"}`` (on a ``level_paths`` check, or on the ``reviewer`` check
where the committee judges the level conditions, as in xuchang-2023).
"""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.core.management import call_command

from rules.catalog import compile_rule_set, shipped_rule_set_documents
from rules.engine import evaluate
from tests.rules.helpers import base_profile, check, decide


def xuchang_master(degree_certificate):
    entry = {"level": "master", "graduated_on": "2016-06-30", "full_time": True, "major_related": True}
    if degree_certificate is not None:
        entry["degree_certificate"] = degree_certificate
    return base_profile(
        as_of="2023-10-20",
        target={"series": "engineering", "level": "intermediate"},
        titles=[{"series": "engineering", "level": "assistant", "obtained_on": "2019-09-01",
                 "appointed_on": "2019-12-31"}],
        education=[{"level": "bachelor", "graduated_on": "2013-06-30", "full_time": True, "major_related": True,
                    "degree_certificate": True}, entry],
    )


def test_xuchang_judges_a_master_without_the_degree_certificate_on_the_bachelor_conditions():
    """001_272b0a6ee81b04e4.txt 二(五)4: without the certificate, not the 硕士研究生毕业并获硕士学位 conditions."""
    decision = decide("xuchang-2023", xuchang_master(False))
    committee = check(decision, "committee_conditions")
    assert committee.passed is None and decision.eligible is True  # the committee judges; filing stays open
    assert "硕士未取得学位证书，不能按硕士学历并获学位的条件，按本科学历条件评审" in committee.message
    assert committee.source == "001_272b0a6ee81b04e4.txt 二(四)、二(五)、六(三)"


def test_xuchang_judges_a_master_with_the_degree_certificate_on_the_masters_conditions():
    """001_272b0a6ee81b04e4.txt 二(五)4: with the certificate, the master's conditions."""
    committee = check(decide("xuchang-2023", xuchang_master(True)), "committee_conditions")
    assert "硕士已取得学位证书，按硕士学历并获学位的条件评审" in committee.message
    assert "按本科学历条件评审" not in committee.message


def test_xuchang_says_what_is_missing_when_the_certificate_is_not_stated():
    """001 二(五)4: a missing degree_certificate is named, never taken as held."""
    committee = check(decide("xuchang-2023", xuchang_master(None)), "committee_conditions")
    missing = "缺少是否取得硕士学位证书（education[1].degree_certificate）：未取得的按本科学历条件评审"
    assert missing in committee.message


@pytest.mark.django_db
def test_the_command_line_reports_the_path_and_keeps_its_contract(tmp_path):
    """evaluate_eligibility (eligibility-contract.md): same fields, the path in the check's message."""
    out = io.StringIO()
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(xuchang_master(False)), encoding="utf-8")
    call_command("evaluate_eligibility", "--ruleset", "xuchang-2023", "--profile", str(profile), stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) == {"ruleset", "eligible", "level", "earliest_eligible_on", "checks"}
    assert result["eligible"] is True and result["level"] == "intermediate"
    committee = next(c for c in result["checks"] if c["code"] == "committee_conditions")
    assert committee["passed"] is None and "按本科学历条件评审" in committee["message"]


# --- the same rule on a level_paths check ---------------------------------------------------------


def _with_degree_rule():
    """Kunming's table (003 二(二): 本科+12个月, 硕士次月) with 001 二(五)4's degree rule added."""
    data = copy.deepcopy(shipped_rule_set_documents()["kunming-panlong-2024q3"])
    paths = next(c for c in data["checks"] if c["kind"] == "level_paths")
    paths["without_degree"] = {"master": "bachelor"}
    return compile_rule_set(data)


def kunming_master(degree_certificate):
    entry = {"level": "master", "graduated_on": "2024-06-30", "full_time": True, "major_related": True}
    if degree_certificate is not None:
        entry["degree_certificate"] = degree_certificate
    return base_profile(professional_work_since="2024-07-01", education=[entry],
                        employment__current_post_since="2024-07-01")


def test_a_master_with_the_certificate_takes_the_masters_path():
    decision = evaluate(_with_degree_rule(), kunming_master(True))
    assert decision.eligible is True
    assert "硕士毕业并从事专业技术工作" in check(decision, "education_and_months").message


@pytest.mark.parametrize("flag", [False, None])
def test_a_master_without_the_certificate_is_judged_on_the_bachelor_path(flag):
    """001 二(五)4: the bachelor's 12 months apply, so time makes it eligible on 2025-07-01."""
    decision = evaluate(_with_degree_rule(), kunming_master(flag))
    paths = check(decision, "education_and_months")
    assert decision.eligible is False and paths.passed is False
    assert decision.earliest_eligible_on.isoformat() == "2025-07-01"
    assert paths.message.startswith("本科毕业后从事专业工作满12个月方可认定助理级")
    if flag is False:
        assert "（硕士未取得学位证书，按本科学历条件）" in paths.message
    else:
        assert "缺少是否取得硕士学位证书（education[0].degree_certificate）" in paths.message


def test_without_the_rule_the_certificate_does_not_matter():
    """The shipped Kunming rule set states no degree rule: its master's path is unchanged."""
    decision = decide("kunming-panlong-2024q3", kunming_master(False))
    assert decision.eligible is True
