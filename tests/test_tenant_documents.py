"""A city is data (../shared/spec/tenant-contract.md): one document validated, applied in one
transaction, exported so that applying the export reproduces the tenant, and applied twice with no
change the second time. Then the new city works with no restart: its windows, rule sets, staff
logins and the REST API filing path."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role, User
from core.models import AuditEvent
from rules.models import DeclarationWindow, RuleSet
from rules.windows import CST
from units.models import Organisation, Tenant, TenantVersion
from units.tenant_documents import TenantDocumentError, tenant_apply, tenant_export

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
CONTRACT_EXAMPLE = ROOT / "tests" / "fixtures" / "luoyang.json"
SEEDED = sorted((ROOT / "tenants").glob("*.json"))


def luoyang() -> dict:
    return json.loads(CONTRACT_EXAMPLE.read_text(encoding="utf-8"))


def test_it_applies_the_contracts_example_and_prints_the_result():
    out = io.StringIO()
    call_command("tenant_apply", str(CONTRACT_EXAMPLE), stdout=out)
    result = json.loads(out.getvalue())
    assert result["tenant"] == "luoyang" and result["created"] is True and result["version"] == 1
    assert result["organisations"] == 5 and result["windows"] == 2
    assert result["rulesets"] == ["luoyang-2026-junior"]
    assert [item["username"] for item in result["staff_created"]] == [
        "luoyang-admin",
        "luoyang-city",
        "luoyang-school1",
    ]
    admin = User.objects.get(username="luoyang-admin")
    assert admin.check_password(result["staff_created"][0]["password"]) and admin.must_change_password
    assert admin.role == Role.TENANT_ADMIN and admin.tenant.code == "luoyang"
    school = Organisation.objects.get(tenant__code="luoyang", key="school1")
    assert school.status == Organisation.Status.APPROVED
    assert school.competent_department.key == "edu" and school.managed_by.key == "edu"
    firm = Organisation.objects.get(tenant__code="luoyang", key="firm1")
    assert firm.managed_by.key == "laocheng"  # 谁创建谁管理: the county bureau of its district
    assert RuleSet.objects.get(code="luoyang-2026-junior").status == RuleSet.Status.PUBLISHED
    assert AuditEvent.objects.filter(action="tenant_apply", target_id=str(school.tenant_id)).count() == 1


def test_it_changes_nothing_when_the_same_document_is_applied_twice():
    first = tenant_apply(document=luoyang())
    users, versions, audits = User.objects.count(), TenantVersion.objects.count(), AuditEvent.objects.count()
    second = tenant_apply(document=luoyang())
    assert (second.created, second.changed, second.version) == (False, False, first.version)
    assert second.staff_created == []  # existing accounts are never reset
    assert (User.objects.count(), TenantVersion.objects.count(), AuditEvent.objects.count()) == (
        users,
        versions,
        audits,
    )
    assert RuleSet.objects.filter(code="luoyang-2026-junior").count() == 1


def test_it_records_a_new_version_with_the_previous_kept_when_a_document_changes():
    tenant_apply(document=luoyang())
    changed = luoyang()
    changed["settings"]["publicity_working_days"] = 7
    changed["rulesets"][0]["checks"][0]["label"] = "改过的说明"
    result = tenant_apply(document=changed, note="公示期改为7个工作日")
    assert result.changed and result.version == 2
    assert Tenant.objects.get(code="luoyang").publicity_working_days == 7
    versions = list(TenantVersion.objects.filter(tenant__code="luoyang").order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].document["settings"]["publicity_working_days"] == 5
    assert versions[1].document["settings"]["publicity_working_days"] == 7
    # The rule set's changed content is its next published version; the first stays as it was.
    assert list(RuleSet.objects.filter(code="luoyang-2026-junior").values_list("version", flat=True)) == [2, 1]


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (lambda d: d["chain"][2].update(level="province"), 'chain[2].level: 未知的取值 "province"'),
        (lambda d: d.pop("authority_name"), "$: 缺少必填字段“authority_name”"),
        (lambda d: d["organisations"][3].update(credit_code="12410300MB12345675"), "organisations[3].credit_code: "),
        (lambda d: d["organisations"][4].update(district="410399"), "organisations[4].district: 未在 districts 中"),
        (lambda d: d["staff"][2].update(organisation="edu"), "staff[2].organisation: 角色“单位经办人”须属于用人单位"),
        (lambda d: d["staff"][0].update(role="applicant"), 'staff[0].role: 未知的取值 "applicant"'),
        (
            lambda d: d["windows"][1].update(submit_closes_at="2027-02-01T17:00:00+08:00"),
            "windows[1].submit_closes_at: 不能早于 opens_at",
        ),
        (lambda d: d["windows"][0]["recurring"].update(months=[13]), "windows[0].recurring.months[0]: 不能大于12"),
        (
            lambda d: d["windows"].append({**d["windows"][1], "name": "重叠批次"}),
            "windows[2].opens_at: 与批次“2027年第一期”的申报时间重叠",
        ),
        (lambda d: d["settings"].update(publicity_days=5), "settings.publicity_days: 不认识的字段"),
        (
            lambda d: d["settings"].update(certificate_number="{region}{serial:05d}"),
            "settings.certificate_number: 证书编号格式“{region}{serial:05d}”缺少{year}、{level_digit}",
        ),
        (lambda d: d["chain"].insert(0, {"level": "city"}), "chain[0].level: 审核链须从用人单位（unit）开始"),
        (
            lambda d: d["rulesets"][0].update(tenant_code="zhengzhou"),
            "rulesets[0].tenant_code: 规则集属于租户“zhengzhou”",
        ),
    ],
)
def test_it_refuses_a_bad_document_naming_the_json_path_and_writes_nothing(change, line, capsys, monkeypatch):
    document = luoyang()
    change(document)
    tenants, users = Tenant.objects.count(), User.objects.count()
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(document, ensure_ascii=False)))
    with pytest.raises(SystemExit) as exit_info:
        call_command("tenant_apply", "-")
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err.count("\n") == 1 and err.startswith(line), err
    assert (Tenant.objects.count(), User.objects.count()) == (tenants, users)
    assert not DeclarationWindow.objects.filter(tenant_code="luoyang").exists()


def test_it_refuses_a_staff_username_another_tenant_holds():
    tenant_apply(document=luoyang())
    other = luoyang()
    other["code"] = "luoyang-east"
    other["rulesets"] = []
    for org in other["organisations"]:
        org.pop("credit_code", None)
    with pytest.raises(TenantDocumentError) as error:
        tenant_apply(document=other)
    assert error.value.path == "staff[0].username" and "已被其他账号使用" in error.value.message


def test_it_answers_window_status_and_eligibility_for_a_tenant_applied_a_moment_ago(tmp_path):
    tenant_apply(document=luoyang())
    out = io.StringIO()
    call_command("window_status", "--tenant", "luoyang", "--at", "2027-03-20T17:00:00+08:00", stdout=out)
    status = json.loads(out.getvalue())
    assert status["submit_open"] and status["window"]["name"] == "2027年第一期"
    out = io.StringIO()
    call_command("window_status", "--tenant", "luoyang", "--at", "2027-03-20T17:00:01+08:00", stdout=out)
    later = json.loads(out.getvalue())
    assert (later["submit_open"], later["returns_open"], later["review_open"]) == (False, True, True)
    out = io.StringIO()
    call_command("window_status", "--tenant", "luoyang", "--at", "2027-06-25T23:59:59", stdout=out)
    assert json.loads(out.getvalue())["window"]["name"] == "2027年6月市直单位初级职称申报"
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"as_of": "2026-12-01", "target": {"series": "engineering", "level": "assistant"}}))
    out = io.StringIO()
    call_command("evaluate_eligibility", "--ruleset", "luoyang-2026-junior", "--profile", str(profile), stdout=out)
    assert json.loads(out.getvalue())["ruleset"] == "luoyang-2026-junior"


def test_it_filters_windows_by_series_and_level():
    from rules.windows import window_status

    document = luoyang()
    document["windows"] = [
        {
            "name": "高级职称",
            "levels": ["associate_senior", "senior"],
            "opens_at": "2027-03-01T09:00:00+08:00",
            "submit_closes_at": "2027-03-20T17:00:00+08:00",
        },
        {
            "name": "初级职称",
            "levels": ["yuan", "assistant"],
            "opens_at": "2027-09-01T09:00:00+08:00",
            "submit_closes_at": "2027-09-20T17:00:00+08:00",
        },
    ]
    tenant_apply(document=document)
    at = timezone.datetime(2027, 3, 10, 10, tzinfo=CST)
    assert window_status("luoyang", at, level="senior")["submit_open"] is True
    junior = window_status("luoyang", at, level="assistant")
    assert junior["submit_open"] is False and junior["window"]["name"] == "初级职称"


def _seeded_with_demo() -> dict[str, dict]:
    from units.demo import load_demo

    load_demo()
    return {tenant.code: tenant_export(tenant=tenant) for tenant in Tenant.objects.order_by("code")}


def test_it_ships_six_tenant_documents_that_validate():
    from units.tenant_documents import validate_tenant_document

    codes = []
    for path in SEEDED:
        document = json.loads(path.read_text(encoding="utf-8"))
        validate_tenant_document(document)
        codes.append(document["code"])
    assert sorted(codes) == sorted(
        ["zhengzhou", "xuchang", "tangshan", "kunming-panlong", "huzhou", "bingtuan-division"]
    )


def test_it_reproduces_each_seeded_tenant_from_its_export_in_an_empty_database(tmp_path):
    exported = _seeded_with_demo()
    assert set(exported) == {"zhengzhou", "xuchang", "tangshan", "kunming-panlong", "huzhou", "bingtuan-division"}
    for document in exported.values():
        # The demo added people after the documents were applied: the first apply records that as a
        # version; applying the same export again changes nothing.
        tenant_apply(document=copy.deepcopy(document))
        assert tenant_apply(document=copy.deepcopy(document)).changed is False
    files = []
    for code, document in exported.items():
        path = tmp_path / f"{code}.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        files.append(str(path))
    script = (
        "import json, sys, django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from units.models import Tenant\n"
        "from units.tenant_documents import tenant_apply, tenant_export\n"
        "out = {}\n"
        "for path in sys.argv[1:]:\n"
        "    result = tenant_apply(document=json.load(open(path, encoding='utf-8')))\n"
        "    out[result.tenant.code] = tenant_export(tenant=result.tenant)\n"
        "print(json.dumps(out, ensure_ascii=False))\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "PYTHONPATH": str(ROOT),
        "LANG": "C.UTF-8",
    }
    done = subprocess.run(
        [sys.executable, "-c", script, *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    reproduced = json.loads(done.stdout.strip().splitlines()[-1])
    for code, document in exported.items():
        assert reproduced[code] == document, code


def _window_now(document: dict, **deadlines: timedelta) -> dict:
    now = timezone.now().astimezone(CST).replace(microsecond=0)
    window = {"name": "测试批次", "opens_at": (now - timedelta(hours=1)).isoformat()}
    for key, delta in deadlines.items():
        window[key] = (now + delta).isoformat()
    document["windows"] = [window]
    return document


def test_it_files_an_application_of_a_new_tenant_through_the_rest_api(client):
    """The outside check: a tenant applied a moment ago, its unit handler logs in with the initial
    password, changes it, adds an applicant through the API, who files through the API."""
    from tests.applications.helpers import eligible_record, pdf_upload
    from tests.factories import make_id_number

    document = _window_now(
        luoyang(),
        submit_closes_at=timedelta(days=5),
        return_closes_at=timedelta(days=8),
        review_closes_at=timedelta(days=10),
    )
    result = tenant_apply(document=document)
    password = next(item["password"] for item in result.staff_created if item["username"] == "luoyang-school1")

    assert client.post("/accounts/login/", {"username": "luoyang-school1", "password": password}).status_code == 302
    assert client.get("/api/v1/me/").status_code == 403  # the initial password first
    client.post(
        "/accounts/password/change/",
        {"old_password": password, "new_password": "Hetu#Qiyuan2027", "new_password_again": "Hetu#Qiyuan2027"},
    )
    me = client.get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == "luoyang-school1", me.content
    id_number = make_id_number("410302", "19950302")
    created = client.post(
        "/api/v1/applicants/",
        {"full_name": "刘洋", "id_number": id_number, "personnel_nature": "established"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    client.post("/accounts/logout/")

    assert client.post("/accounts/login/", {"username": id_number, "password": id_number[-6:]}).status_code == 302
    client.post(
        "/accounts/password/change/",
        {"old_password": id_number[-6:], "new_password": "Mudan#Huakai2027", "new_password_again": "Mudan#Huakai2027"},
    )
    applicant = User.objects.get(pk=created.json()["id"])
    eligible_record(applicant)
    api = "/api/v1/applications/"
    pk = client.post(api, {"series": "engineering", "level": "assistant"}, content_type="application/json").json()["id"]
    checklist = client.get(f"{api}{pk}/checklist/").json()
    for slot in [s["id"] for s in checklist["slots"] if s["required"]]:
        assert client.post(f"{api}{pk}/upload/", {"slot": slot, "file": pdf_upload(f"{slot}.pdf")}).status_code == 201
    client.post(f"{api}{pk}/pledge/", {"typed_name": "刘洋", "agreed": True}, content_type="application/json")
    submitted = client.post(f"{api}{pk}/submit/")
    assert submitted.status_code == 201, submitted.json()
    from review.models import ReviewStep

    steps = list(ReviewStep.objects.filter(application_id=pk).order_by("order"))
    assert [(s.level, s.organisation.key) for s in steps] == [
        ("unit", "school1"),
        ("department", "edu"),
        ("city", "city"),
    ]
    assert all(s.chain_version == 1 for s in steps)
    unit_deadline = timezone.datetime.fromisoformat(document["windows"][0]["submit_closes_at"])
    assert steps[0].deadline == unit_deadline and steps[0].deadline_enforced


def test_it_keeps_a_bureaus_later_version_when_a_document_names_the_shipped_rule_set():
    """Re-applying tenants/kunming-panlong.json (the demo does) must not undo what the bureau published."""
    document = json.loads((ROOT / "tenants" / "kunming-panlong.json").read_text(encoding="utf-8"))
    tenant_apply(document=document)
    shipped = RuleSet.objects.get(code="kunming-panlong-2024q3", version=1)
    RuleSet.objects.create(
        code=shipped.code,
        tenant_code=shipped.tenant_code,
        version=2,
        status=RuleSet.Status.PUBLISHED,
        name="2025年第一期",
        source_document=shipped.source_document,
        data={**shipped.data, "version": 2},
        content_hash="bureau",
        published_at=timezone.now(),
    )
    tenant_apply(document=document)
    assert list(RuleSet.objects.filter(code=shipped.code).values_list("version", flat=True)) == [2, 1]


def test_it_refuses_a_rule_set_whose_test_bench_fails():
    document = luoyang()
    document["rulesets"][0]["cases"] = [
        {
            "name": "无任何条件也能申报",
            "profile": {"as_of": "2026-12-01", "target": {"series": "engineering", "level": "assistant"}},
            "expected": {"eligible": True, "level": "assistant", "earliest_eligible_on": None},
        }
    ]
    with pytest.raises(TenantDocumentError) as error:
        tenant_apply(document=document)
    assert error.value.path == "rulesets[0].cases" and "无任何条件也能申报" in error.value.message
    assert not Tenant.objects.filter(code="luoyang").exists()
