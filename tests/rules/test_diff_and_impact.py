"""Two versions clause by clause, and what a new version does to one person's draft."""

from __future__ import annotations

import copy

import pytest

from rules import services
from rules.catalog import shipped_rule_set_documents
from rules.diff import ADDED, CHANGED, REMOVED, compare_documents
from rules.impact import version_change_for_profile
from tests.rules.authoring_helpers import (
    CODE,
    with_social_insurance_months,
)
from tests.rules.helpers import base_profile


def kunming() -> dict:
    return copy.deepcopy(shipped_rule_set_documents()[CODE])


def test_it_shows_changed_values_with_chinese_labels_and_names():
    old, new = kunming(), with_social_insurance_months(kunming(), 3)
    new["effective_from"] = "2025-02-01"
    insurance = next(c for c in new["checks"] if c["kind"] == "social_insurance")
    insurance["reduced"]["education"] = ["doctor"]
    insurance["source"] = "盘人社〔2025〕5号 二(二)"
    changes = compare_documents(old, new)
    document, clause = changes[0], changes[1]
    assert (document.status, document.title) == (CHANGED, "文件信息")
    assert [(f.label, f.before, f.after) for f in document.fields] == [("生效日期", "2024年7月31日", "2025年2月1日")]
    assert (clause.status, clause.title) == (CHANGED, "社会保险")
    assert [(f.label, f.before, f.after) for f in clause.fields] == [
        ("规则原文", "申报日之前在昆明连续缴纳6个月社保（硕士及以上学历满足最近1个月）",
         "申报日之前在昆明连续缴纳3个月社保（硕士及以上学历满足最近1个月）"),
        ("出处（依据文件及条款）", "003_c25e803c7aeb4e62.txt 二(二)、五(五)2(1)", "盘人社〔2025〕5号 二(二)"),
        ("须满月数", "6", "3"),
        ("高学历减免 › 学历", "硕士、博士", "博士"),
    ]
    assert clause.source_after == "盘人社〔2025〕5号 二(二)"


def test_it_shows_added_and_removed_clauses_and_level_paths():
    old, new = kunming(), kunming()
    new["checks"] = [c for c in new["checks"] if c["code"] != "insured_unit"]
    new["checks"].append({"code": "contract", "kind": "has_contract", "label": "须签订劳动合同", "source": "x 一"})
    paths = next(c for c in new["checks"] if c["kind"] == "level_paths")
    paths["levels"]["assistant"][1]["months"] = 30
    changes = {(c.status, c.title): c for c in compare_documents(old, new)}
    assert (ADDED, "劳动（聘用）合同") in changes
    assert (REMOVED, "参保单位") in changes
    fields = changes[(CHANGED, "学历与资历")].fields
    assert [(f.label, f.before, f.after) for f in fields] == [
        ("各级别的认定路径 › 助理级 › 第2条路径 › 须满月数", "36", "30")
    ]
    assert changes[(ADDED, "劳动（聘用）合同")].lines() == ["新增劳动（聘用）合同（须签订劳动合同）"]


def test_it_finds_nothing_between_a_version_and_itself():
    assert compare_documents(kunming(), kunming()) == []


@pytest.mark.django_db
def test_it_tells_a_person_what_a_new_version_changes_for_them(admin, shipped):
    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    data = with_social_insurance_months(draft.data, 3)
    data["cases"] = [c for c in data["cases"] if c["name"] != "在昆明缴纳社保5个月不能申报"]
    insurance = next(c for c in data["checks"] if c["kind"] == "social_insurance")
    insurance["source"] = "盘人社〔2025〕5号 二(二)"
    data["document_number"] = "盘人社〔2025〕5号"
    draft = services.ruleset_update_draft(rule_set=draft, data=data, actor=admin)
    profile = base_profile(employment__social_insurance_months_in_region=4)
    # While the new version is a draft, nothing changed for anyone.
    assert version_change_for_profile(code=CODE, from_version=1, profile=profile) is None
    services.ruleset_publish(rule_set=draft, actor=admin)

    change = version_change_for_profile(code=CODE, from_version=1, profile=lambda: profile)
    assert (change.from_version, change.to_version, change.document_number) == (1, 2, "盘人社〔2025〕5号")
    assert change.affects_eligibility is True
    assert change.headline == "按新规则，您现在符合申报条件。"
    assert change.lines == (
        "社会保险：原为“须在昆明连续缴纳社保满6个月，现4个月”，现为“在昆明连续缴纳社保4个月，达到3个月的要求”"
        "（依据：盘人社〔2025〕5号 二(二)）",
    )
    # A draft created under the version in force needs no notice; the profile is not even built.
    assert version_change_for_profile(code=CODE, from_version=2, profile=lambda: 1 / 0) is None
