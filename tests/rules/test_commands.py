"""The three contract commands: one JSON object on stdout, exit 2 and one stderr line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.rules.helpers import base_profile

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=120)


def call(name: str, *args: str) -> dict:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_it_prints_the_decision_for_a_profile_file(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(base_profile()), encoding="utf-8")
    result = call("evaluate_eligibility", "--ruleset", "kunming-panlong-2024q3", "--profile", str(path))
    assert set(result) == {"ruleset", "eligible", "level", "earliest_eligible_on", "checks"}
    assert result["ruleset"] == "kunming-panlong-2024q3"
    assert result["eligible"] is True
    assert result["level"] == "assistant"
    assert result["earliest_eligible_on"] is None
    assert all(set(c) == {"code", "passed", "message", "source"} for c in result["checks"])


@pytest.mark.django_db
def test_it_exits_2_for_an_unknown_rule_set(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(base_profile()), encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        call_command("evaluate_eligibility", "--ruleset", "atlantis-2099", "--profile", str(path))
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--ruleset" in err


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "named"), [
    ("{not json", "--profile"),
    (json.dumps(base_profile(as_of="2024-02-30")), "as_of"),
    (json.dumps(base_profile(education=[{"level": "phd"}])), "education[0].level"),
    (json.dumps({"as_of": "2024-01-01"}), "target"),
])
def test_it_exits_2_for_a_malformed_profile_naming_the_field(tmp_path, capsys, content, named):
    path = tmp_path / "p.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        call_command("evaluate_eligibility", "--ruleset", "kunming-panlong-2024q3", "--profile", str(path))
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and named in err


def test_it_reads_the_profile_from_stdin_in_a_real_process():
    done = run("evaluate_eligibility", "--ruleset", "zhengzhou-2020-junior", "--profile", "-",
               stdin=json.dumps(base_profile()))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["eligible"] is True


@pytest.mark.parametrize("args", [
    ("evaluate_eligibility", "--ruleset", "kunming-panlong-2024q3", "--profile", "/nonexistent.json"),
    ("evaluate_eligibility", "--ruleset", "kunming-panlong-2024q3"),
    ("window_status", "--tenant", "kunming-panlong", "--at", "yesterday"),
    ("working_days", "--from", "2024-09-30", "--days", "five"),
])
def test_it_never_prints_a_traceback_in_a_real_process(args):
    done = run(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stdout == ""


@pytest.mark.django_db
def test_it_counts_the_contract_example_of_working_days():
    assert call("working_days", "--from", "2024-09-30", "--days", "5") == {
        "from": "2024-09-30", "days": 5, "ends_on": "2024-10-11",
        "counted": ["2024-09-30", "2024-10-08", "2024-10-09", "2024-10-10", "2024-10-11"],
    }


@pytest.mark.django_db
def test_it_answers_the_contract_example_of_window_status():
    assert call("window_status", "--tenant", "kunming-panlong", "--at", "2024-09-20T17:00:00+08:00") == {
        "tenant": "kunming-panlong", "at": "2024-09-20T17:00:00+08:00",
        "submit_open": True, "returns_open": True, "review_open": True,
        "window": {"name": "2024年第三期（9月）初级职称考核认定",
                   "opens_at": "2024-09-01T09:00:00+08:00", "submit_closes_at": "2024-09-20T17:00:00+08:00",
                   "return_closes_at": "2024-09-27T17:00:00+08:00", "review_closes_at": "2024-09-30T17:00:00+08:00"},
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "named"), [
    (("window_status", "--tenant", "atlantis", "--at", "2024-09-20T17:00:00"), "--tenant"),
    (("window_status", "--tenant", "zhengzhou", "--at", "2024-02-30T10:00"), "--at"),
    (("working_days", "--from", "2024-09-31", "--days", "5"), "--from"),
    (("working_days", "--from", "2024-09-30", "--days", "0"), "--days"),
    (("working_days", "--from", "2026-12-20", "--days", "30"), "2027"),
])
def test_it_exits_2_naming_the_bad_argument(capsys, args, named):
    with pytest.raises(SystemExit) as caught:
        call_command(*args)
    assert caught.value.code == 2
    assert named in capsys.readouterr().err
