"""The rule-set authoring API: versions, drafts from a version or a file, validation, the bench and
publishing refused with the failing cases — the same services and scoping as the pages."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rules.models import RuleSet
from tests.factories import UserFactory
from tests.rules.authoring_helpers import (
    CODE,
    four_months_case,
    make_admin,
    social_insurance_index,
    with_social_insurance_months,
)

pytestmark = pytest.mark.django_db


def post(client, name, body=None, **kwargs):
    return client.post(reverse(f"rules_api:{name}", kwargs=kwargs), body or {}, content_type="application/json")


def test_it_lists_the_tenants_versions_marking_the_one_in_force(client, admin, shipped):
    client.force_login(admin)
    post(client, "draft_create", pk=shipped.pk)
    rows = client.get(reverse("rules_api:versions")).json()
    assert [(r["code"], r["version"], r["status"], r["in_force"]) for r in rows] == [
        (CODE, 2, "draft", False), (CODE, 1, "published", True)
    ]
    assert client.get(reverse("rules_api:versions") + "?code=other").json() == []
    client.force_login(make_admin("zhengzhou", "郑州市"))
    assert [r["code"] for r in client.get(reverse("rules_api:versions")).json()] == ["zhengzhou-2020-junior"]
    client.force_login(UserFactory(role="unit_handler"))
    assert client.get(reverse("rules_api:versions")).status_code == 403


def test_it_creates_a_draft_from_a_version_and_keeps_one_at_a_time(client, admin, shipped):
    client.force_login(admin)
    created = post(client, "draft_create", pk=shipped.pk)
    assert created.status_code == 201
    body = created.json()
    assert (body["version"], body["status"]) == (2, "draft")
    assert len(body["document"]["cases"]) == 25
    again = post(client, "draft_create", pk=shipped.pk)
    assert again.status_code == 400 and "已有未发布的草稿（第2版）" in again.json()["detail"]


def test_it_creates_a_draft_from_a_file(client, admin, shipped):
    client.force_login(admin)
    data = with_social_insurance_months(shipped.data, 3)
    upload = SimpleUploadedFile("kunming.json", json.dumps(data, ensure_ascii=False).encode())
    created = client.post(reverse("rules_api:draft_create", kwargs={"pk": shipped.pk}), {"file": upload})
    assert created.status_code == 201
    index = social_insurance_index(data)
    assert created.json()["document"]["checks"][index]["min_months"] == 3
    broken = SimpleUploadedFile("broken.json", b'{"code": ')
    RuleSet.objects.filter(code=CODE, version=2).delete()
    refused = client.post(reverse("rules_api:draft_create", kwargs={"pk": shipped.pk}), {"file": broken})
    assert refused.status_code == 400
    assert refused.json()["path"] == "$" and refused.json()["message"].startswith("不是有效的JSON")


def test_it_validates_a_document_naming_the_path(client, admin, shipped):
    client.force_login(admin)
    data = json.loads(json.dumps(shipped.data))
    index = social_insurance_index(data)
    data["checks"][index]["min_months"] = "六"
    refused = post(client, "validate", {"document": data})
    assert refused.status_code == 400
    assert refused.json() == {"valid": False, "path": f"checks[{index}].min_months", "message": '应为整数，现为 "六"',
                              "where": f"第{index + 1}条检查“社会保险” › 须满月数"}
    assert post(client, "validate", {"document": shipped.data}).json() == {"valid": True, "checks": 9, "cases": 0}


def test_it_refuses_to_publish_with_the_failing_cases_and_publishes_after_the_fix(client, admin, shipped):
    client.force_login(admin)
    draft = post(client, "draft_create", pk=shipped.pk).json()
    bench = post(client, "case_create", four_months_case(), pk=draft["id"])
    assert bench.status_code == 201
    assert (bench.json()["passed"], bench.json()["failed"]) == (False, 1)

    refused = post(client, "publish", pk=draft["id"])
    assert refused.status_code == 400
    body = refused.json()
    assert body["detail"].startswith("测试用例未全部通过，不能发布：“社保满4个月可以申报”")
    failing = [case for case in body["bench"]["cases"] if not case["passed"]]
    assert [(c["name"], c["differences"], [x["code"] for x in c["checks"]]) for c in failing] == [
        ("社保满4个月可以申报", ["预期可以申报，实际不能申报（最早2024年11月10日可申报）"], ["social_insurance"])
    ]
    assert RuleSet.objects.get(pk=draft["id"]).status == RuleSet.Status.DRAFT

    current = client.get(reverse("rules_api:version", kwargs={"pk": draft["id"]})).json()["document"]
    fixed = with_social_insurance_months(current, 3)
    fixed["cases"] = [c for c in fixed["cases"] if c["name"] != "在昆明缴纳社保5个月不能申报"]
    put = client.put(reverse("rules_api:version", kwargs={"pk": draft["id"]}), {"document": fixed},
                     content_type="application/json")
    assert put.status_code == 200
    assert post(client, "bench", pk=draft["id"]).json()["passed"] is True
    published = post(client, "publish", pk=draft["id"])
    assert published.status_code == 200
    assert (published.json()["status"], published.json()["in_force"]) == ("published", True)


def test_it_refuses_a_bad_edit_through_the_api_naming_the_path(client, admin, shipped):
    client.force_login(admin)
    draft = post(client, "draft_create", pk=shipped.pk).json()
    document = draft["document"]
    document["effective_to"] = "2020-01-01"
    put = client.put(reverse("rules_api:version", kwargs={"pk": draft["id"]}), {"document": document},
                     content_type="application/json")
    assert put.status_code == 400
    assert put.json()["path"] == "effective_to" and put.json()["where"] == "失效日期"


def test_it_answers_404_for_another_tenants_rule_set(client, admin, shipped):
    client.force_login(admin)
    draft = post(client, "draft_create", pk=shipped.pk).json()
    client.force_login(make_admin("zhengzhou", "郑州市"))
    for name in ("draft_create", "bench", "case_create", "publish"):
        assert post(client, name, pk=draft["id"]).status_code == 404, name
    assert client.get(reverse("rules_api:version", kwargs={"pk": draft["id"]})).status_code == 404
    assert client.put(reverse("rules_api:version", kwargs={"pk": draft["id"]}), {"document": {}},
                      content_type="application/json").status_code == 404


def test_it_documents_the_authoring_api_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in ("/api/v1/rules/rulesets/", "/api/v1/rules/rulesets/validate/", "/api/v1/rules/rulesets/{id}/",
                 "/api/v1/rules/rulesets/{id}/drafts/", "/api/v1/rules/rulesets/{id}/bench/",
                 "/api/v1/rules/rulesets/{id}/publish/", "/api/v1/rules/rulesets/{id}/cases/"):
        assert any(p.replace("{pk}", "{id}") == path for p in schema["paths"]), path
    publish = next(v for p, v in schema["paths"].items() if p.endswith("/publish/"))["post"]
    assert "400" in publish["responses"] and publish["summary"] == "发布草稿"
