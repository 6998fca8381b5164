"""The rule-set format as a JSON Schema (rules/schema/ruleset.schema.json), the validator that names
the JSON path of the first problem in Chinese, and ``ruleset_validate`` (tenant contract)."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from collections import deque
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from rules import catalog
from rules.catalog import RULESETS_DIR, shipped_rule_set_documents, sync_shipped_data
from rules.engine import evaluate, vocab
from rules.engine.checks import CHECK_KINDS
from rules.engine.ruleset import RuleSetError, build_rule_set
from rules.validation import (
    SCHEMA_PATH,
    RuleSetDocumentError,
    format_path,
    rule_set_schema,
    rule_set_validator,
    validate_rule_set_document,
)
from tests.rules.helpers import base_profile

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(RULESETS_DIR.glob("*.json"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def document(code: str = "kunming-panlong-2024q3") -> dict[str, Any]:
    return copy.deepcopy(shipped_rule_set_documents()[code])


def index_of(data: dict[str, Any], code: str) -> int:
    return next(i for i, c in enumerate(data["checks"]) if c.get("code") == code)


def refusal(data: Any) -> RuleSetDocumentError:
    with pytest.raises(RuleSetDocumentError) as caught:
        validate_rule_set_document(data)
    return caught.value


def defs() -> dict[str, Any]:
    return rule_set_schema()["$defs"]


# --- the shipped files and the engine's registry ------------------------------------------------


def test_it_ships_six_rule_set_files():
    assert len(SHIPPED) == 6


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_it_accepts_every_shipped_rule_set_file(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert list(rule_set_validator().iter_errors(data)) == []
    validate_rule_set_document(data)


def test_it_declares_every_check_kind_the_engine_registers():
    check = defs()["check"]
    assert check["properties"]["kind"]["enum"] == list(CHECK_KINDS)
    branches = {
        branch["if"]["properties"]["kind"]["const"]: branch["then"]["$ref"] for branch in check["allOf"]
    }
    assert set(branches) == set(CHECK_KINDS)
    for kind, ref in branches.items():
        assert ref == f"#/$defs/check_{kind}"
        definition = defs()[f"check_{kind}"]
        assert CJK.search(definition["description"]), kind
        # Every kind closes its object, so that a misspelt parameter is named instead of ignored.
        assert definition["additionalProperties"] is False, kind
        assert {"kind", "code", "label", "source", "when"} <= set(definition["properties"]), kind


def test_it_documents_every_field_in_chinese_and_english():
    undocumented = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, sub in (node.get("properties") or {}).items():
                if sub is True:
                    continue  # a field of the check or material itself, documented there
                text = sub.get("description") or _referenced_description(sub)
                if not (text and CJK.search(text) and re.search(r"[A-Za-z]{3}", text)):
                    undocumented.append(f"{where}.{name}")
            for key, sub in node.items():
                if key != "if":  # a discriminator (``kind`` is …), not a field
                    walk(sub, f"{where}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}[{i}]")

    walk(rule_set_schema(), "$")
    assert undocumented == []


def _referenced_description(sub: dict[str, Any]) -> str:
    ref = sub.get("$ref", "")
    return defs().get(ref.removeprefix("#/$defs/"), {}).get("description", "") if ref else ""


def test_it_takes_its_vocabularies_from_the_eligibility_contract():
    from applications.models import Application

    assert defs()["level"]["enum"] == list(vocab.LEVELS)
    assert defs()["series"]["enum"] == list(vocab.SERIES)
    assert defs()["education_level"]["enum"] == list(vocab.EDUCATION)
    assert defs()["skill_level"]["enum"] == list(vocab.SKILLS)
    assert defs()["unit_kind"]["enum"] == list(vocab.UNIT_KINDS)
    assert defs()["grade"]["enum"] == list(vocab.GRADES)
    assert defs()["absence_kind"]["enum"] == list(vocab.ABSENCES)
    assert defs()["evaluation_method"]["enum"] == list(Application.EvaluationMethod.values)
    assert set(defs()["waivers"]["properties"]) == {"exceptional_promotion_approved", "special_talent"}


def _defaults_of_kind(kind: str) -> dict[str, Any]:
    properties = defs()[f"check_{kind}"]["properties"]
    return {name: spec["default"] for name, spec in properties.items() if isinstance(spec, dict) and "default" in spec}


PROFILES = [
    base_profile(),
    base_profile(target__level="yuan", education=[{"level": "secondary_vocational", "graduated_on": "2020-06-30",
                                                    "full_time": True, "major_related": False}]),
    base_profile(sanctions=[{"kind": "disciplinary", "start": "2023-01-01", "end": None}],
                 absences=[{"kind": "sick_leave", "start": "2023-01-01", "end": None}],
                 assessments=[{"year": 2023, "grade": "basic_qualified"}]),
    base_profile(titles=[{"series": "agriculture", "level": "yuan", "obtained_on": "2019-01-01",
                          "appointed_on": "2019-02-01"}], employment__current_post_since="2024-03-01"),
]


@pytest.mark.parametrize("code", sorted(shipped_rule_set_documents()))
def test_it_states_the_defaults_the_engine_applies(code):
    """A parameter left out and the same parameter written with the schema's default decide alike."""
    data = document(code)
    for index, check in enumerate(data["checks"]):
        for name, default in _defaults_of_kind(check["kind"]).items():
            left_out, written = copy.deepcopy(data), copy.deepcopy(data)
            left_out["checks"][index].pop(name, None)
            written["checks"][index][name] = copy.deepcopy(default)
            for profile in PROFILES:
                assert (evaluate(build_rule_set(left_out), profile).as_dict()
                        == evaluate(build_rule_set(written), profile).as_dict()), (check["kind"], name)


# --- the first problem, its path and its reason --------------------------------------------------


def _set(path: list[Any], value: Any):
    def change(data: dict[str, Any]) -> None:
        node = data
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
    return change


def _drop(path: list[Any]):
    def change(data: dict[str, Any]) -> None:
        node = data
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]
    return change


KUNMING = document()
SOCIAL = index_of(KUNMING, "social_insurance")
PATHS = index_of(KUNMING, "education_and_months")
LEVEL_NAMES = "、".join(vocab.LEVELS)


@pytest.mark.parametrize(("change", "path", "message"), [
    (_set(["checks", SOCIAL, "min_months"], "六"), f"checks[{SOCIAL}].min_months", '应为整数，现为 "六"'),
    (_set(["version"], "1"), "version", '应为整数，现为 "1"'),
    (_set(["checks", SOCIAL, "reduced"], ["master"]), f"checks[{SOCIAL}].reduced", '应为对象，现为 ["master"]'),
    (_drop(["name"]), "$", "缺少必填字段“name”"),
    (_drop(["checks", 2, "source"]), "checks[2]", "缺少必填字段“source”"),
    (_drop(["checks", SOCIAL, "min_months"]), f"checks[{SOCIAL}]", "缺少必填字段“min_months”"),
    (_drop(["materials", 0, "name"]), "materials[0]", "缺少必填字段“name”"),
    (_set(["checks", 2, "kind"], "astrology"), "checks[2].kind",
     f'未知的取值 "astrology"，可选：{"、".join(CHECK_KINDS)}'),
    (_set(["covers", "levels", 0], "province"), "covers.levels[0]", f'未知的取值 "province"，可选：{LEVEL_NAMES}'),
    (_set(["checks", 0, "allowed", "*", 1], "boss"), "checks[0].allowed.*[1]",
     f'未知的取值 "boss"，可选：{LEVEL_NAMES}'),
    (_set(["checks", PATHS, "levels", "assistant", 0, "from"], "luck"),
     f"checks[{PATHS}].levels.assistant[0].from",
     '未知的取值 "luck"，可选：education、work_before_education、education_and_title、title、skill'),
    (_set(["checks", PATHS, "levels", "boss"], []), f"checks[{PATHS}].levels.boss",
     f'未知的键 "boss"，可选：{LEVEL_NAMES}'),
    (_set(["materials", 0, "uploaded_by"], "mayor"), "materials[0].uploaded_by",
     '未知的取值 "mayor"，可选：applicant、unit'),
    (_set(["covers", "series"], "everything"), "covers.series",
     '未知的取值 "everything"，可选：all、all_except_exam_based'),
    (_set(["checks", SOCIAL, "min_month"], 6), f"checks[{SOCIAL}].min_month",
     "不认识的字段（请检查拼写或删除该字段），可用字段：kind、code、label、source、when、min_months、region、reduced"),
    (_set(["effective_from"], "2024-02-30"), "effective_from", '应为 YYYY-MM-DD 格式的有效日期，现为 "2024-02-30"'),
    (_set(["checks", 2, "source"], ""), "checks[2].source", "不能为空"),
    (_set(["checks"], []), "checks", "至少须有1项"),
    (_set(["checks", SOCIAL, "min_months"], -1), f"checks[{SOCIAL}].min_months", "不能小于0，现为 -1"),
    (_set(["code"], "Kunming 2024"), "code",
     '格式不正确："Kunming 2024"（只能用小写字母、数字和连字符，不超过60个字符）'),
    (_drop(["checks", PATHS, "levels", "assistant", 4, "rounding"]), f"checks[{PATHS}].levels.assistant[4]",
     "缺少必填字段“months”"),
])
def test_it_names_the_path_and_the_reason_of_a_bad_document(change, path, message):
    data = document()
    change(data)
    error = refusal(data)
    assert (error.path, error.message) == (path, message)
    assert str(error) == f"{path}: {message}"
    assert isinstance(error, ValueError) and isinstance(error, RuleSetError)


def test_it_turns_an_engine_refusal_into_a_path_and_a_reason():
    data = document()
    data["checks"][1]["code"] = "target_level"
    error = refusal(data)
    assert (error.path, error.message) == ("checks[1].code", '重复的检查代码 "target_level"')
    assert error.parts == ("checks", 1, "code")


@pytest.mark.parametrize(("change", "path", "message"), [
    (_set(["effective_to"], "2024-07-30"), "effective_to", "失效日期 2024-07-30 早于生效日期 2024-07-31"),
    (_set(["materials", 1, "id"], "achievements"), "materials[1].id", '材料代码 "achievements" 与 materials[0] 重复'),
])
def test_it_checks_what_neither_schema_nor_engine_can_say(change, path, message):
    data = document()
    change(data)
    assert (refusal(data).path, refusal(data).message) == (path, message)


def test_it_refuses_a_root_that_is_not_an_object():
    error = refusal([])
    assert (error.path, error.message) == ("$", "应为对象，现为 []")


def test_it_reports_the_first_problem_by_path_in_numeric_order():
    data = document()
    data["checks"].extend(copy.deepcopy(data["checks"][1:3]))  # 11 checks
    for offset, check in enumerate(data["checks"][len(KUNMING["checks"]):]):
        check["code"] = f"copy_{offset}"
    data["checks"][10]["kind"] = "astrology"
    data["checks"][2]["kind"] = "horoscope"
    data["version"] = "x"
    assert refusal(data).path == "checks[2].kind"
    assert refusal(copy.deepcopy(data)).message == refusal(data).message


def test_it_checks_photo_and_text_limits_of_materials():
    data = document("huzhou-2020")
    photo = next(i for i, m in enumerate(data["materials"]) if m["kind"] == "photo")
    data["materials"][photo]["formats"] = ["JPG"]
    error = refusal(data)
    assert (error.path, error.message) == (f"materials[{photo}].formats[0]", '未知的取值 "JPG"，可选：JPEG、PNG')

    data = document("huzhou-2020")
    del data["materials"][photo]["ratio_max"]
    error = refusal(data)
    assert (error.path, error.message) == (f"materials[{photo}]", "缺少字段“ratio_max”（填写“ratio_min”时须同时填写）")

    data = document("huzhou-2020")
    text = next(i for i, m in enumerate(data["materials"]) if m["kind"] == "text")
    data["materials"][text]["min_chars"] = 2000
    error = refusal(data)
    assert (error.path, error.message) == (
        f"materials[{text}].min_chars", "min_chars（2000）不能大于 max_chars（1000）"
    )

    data = document("huzhou-2020")
    data["materials"][text]["max_bytes"] = 10
    error = refusal(data)
    assert error.path == f"materials[{text}].max_bytes"
    assert error.message.startswith("不认识的字段")


def test_it_formats_paths_like_the_tenant_documents():
    assert format_path(deque(["checks", 3, "min_months"])) == "checks[3].min_months"
    assert format_path(["chain", 2, "level"]) == "chain[2].level"
    assert format_path(["covers", "levels", 0]) == "covers.levels[0]"
    assert format_path([0, "kind"]) == "[0].kind"
    assert format_path([]) == "$"
    assert format_path(deque()) == "$"
    assert format_path(["settings", "a.b"]) == 'settings["a.b"]'


def test_it_compiles_the_schema_once():
    assert rule_set_validator() is rule_set_validator()
    assert SCHEMA_PATH == ROOT / "rules" / "schema" / "ruleset.schema.json"
    assert rule_set_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# --- the command ---------------------------------------------------------------------------------


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=120)


def test_it_prints_the_summary_of_a_valid_file():
    out = StringIO()
    call_command("ruleset_validate", str(RULESETS_DIR / "kunming-panlong-2024q3.json"), stdout=out)
    assert json.loads(out.getvalue()) == {
        "ruleset": "kunming-panlong-2024q3", "version": 1, "valid": True, "checks": len(KUNMING["checks"]),
    }


@pytest.mark.parametrize(("content", "line"), [
    ("{\n  \"code\": \"x\",\n    oops\n}", "$: 不是有效的JSON（第3行第5列）"),
    ("{\"version\": NaN}", "$: 不是有效的JSON（不允许 NaN）"),
    (json.dumps({**KUNMING, "checks": [{**KUNMING["checks"][0], "allowed": "all"}]}),
     'checks[0].allowed: 应为对象，现为 "all"'),
])
def test_it_exits_2_with_one_line_naming_the_path(tmp_path, capsys, content, line):
    path = tmp_path / "r.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        call_command("ruleset_validate", str(path))
    assert caught.value.code == 2
    assert capsys.readouterr().err == line + "\n"


def test_it_exits_2_for_a_missing_file(capsys):
    with pytest.raises(SystemExit) as caught:
        call_command("ruleset_validate", "/nonexistent/r.json")
    assert caught.value.code == 2
    assert capsys.readouterr().err == "$: 文件不存在：/nonexistent/r.json\n"


def test_it_validates_standard_input_in_a_real_process():
    done = run("ruleset_validate", "-", stdin=json.dumps(document("huzhou-2020"), ensure_ascii=False))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"ruleset": "huzhou-2020", "version": 1, "valid": True, "checks": 6}

    bad = document("huzhou-2020")
    bad["checks"][1]["years"] = "四"
    done = run("ruleset_validate", "-", stdin=json.dumps(bad, ensure_ascii=False))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == 'checks[1].years: 应为整数，现为 "四"\n'


# --- loading and revising ------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_refuses_a_revision_naming_the_path():
    from rules.models import RuleSet
    from rules.services import ruleset_revise

    current = RuleSet.objects.get(code="xuchang-2023")
    data = copy.deepcopy(current.data)
    data["checks"][1]["min_months"] = "六"
    with pytest.raises(ValidationError) as caught:
        ruleset_revise(rule_set=current, data=data, actor=None)
    assert caught.value.messages == ['checks[1].min_months: 应为整数，现为 "六"']
    assert RuleSet.objects.filter(code="xuchang-2023").count() == 1


@pytest.mark.django_db
def test_it_refuses_to_load_a_broken_shipped_file(monkeypatch):
    from rules.models import RuleSet

    broken = document("hebei-2024")
    broken["version"] = 2
    broken["covers"]["levels"] = ["province"]
    monkeypatch.setattr(catalog, "shipped_rule_set_documents", lambda: {"hebei-2024": broken})
    with pytest.raises(RuleSetDocumentError) as caught:
        sync_shipped_data()
    assert caught.value.path == "covers.levels[0]"
    assert not RuleSet.objects.filter(code="hebei-2024", version=2).exists()
