"""The REST API: a valid OpenAPI 3 schema, the same validation and scoping as the pages."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import Role
from tests.factories import ApplicantFactory, OrganisationFactory, UserFactory, make_id_number

pytestmark = pytest.mark.django_db


def test_it_serves_a_valid_openapi_3_schema(client, tmp_path):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/applicants/" in schema["paths"]
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))


def test_it_serves_the_api_docs_without_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn" not in body.lower() and "/static/drf_spectacular_sidecar/" in body


def test_it_refuses_anonymous_api_calls(client):
    assert client.get("/api/v1/applicants/").status_code == 403


def test_it_creates_an_applicant_with_the_same_validation_as_the_page(client):
    handler = UserFactory(role=Role.UNIT_HANDLER)
    client.force_login(handler)
    bad = client.post(
        "/api/v1/applicants/",
        {"full_name": "张三", "id_number": "110105194912310021", "personnel_nature": "established"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "第18位校验码应为“X”" in bad.json()["id_number"][0]
    good = client.post(
        "/api/v1/applicants/",
        {"full_name": "张三", "id_number": make_id_number(), "personnel_nature": "established"},
        content_type="application/json",
    )
    assert good.status_code == 201
    assert "*" in good.json()["id_number_masked"]


def test_it_lists_only_the_units_own_applicants(client):
    handler = UserFactory(role=Role.UNIT_HANDLER)
    mine = ApplicantFactory(organisation=handler.organisation)
    ApplicantFactory(organisation=OrganisationFactory(tenant=handler.tenant))
    client.force_login(handler)
    ids = [row["id"] for row in client.get("/api/v1/applicants/").json()["results"]]
    assert ids == [mine.pk]
