"""NUL (0x00) cannot be stored or compared by PostgreSQL. A query parameter or a draft text that
carries one is refused with a Chinese 400 naming the field, before any query runs, and nothing is
saved (Schemathesis found the 500 this prevents, on the public certificate check)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from applications import services
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_refuses_a_nul_in_a_public_api_query_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/api/v1/certificates/verify/", {"number": "ZZ\x002026", "name": "张三"})
    assert response.status_code == 400
    assert response.json() == {"detail": "请求参数“number”含有不允许的空字符（\\0），请删除后重试。"}


def test_it_refuses_a_nul_in_a_page_filter(client):
    from accounts.models import Role

    client.force_login(UserFactory(role=Role.CITY_REVIEWER))
    response = client.get(reverse("review:queue"), {"series": "engineering\x00"})
    assert response.status_code == 400
    assert "请求参数“series”含有不允许的空字符" in response.content.decode()
    assert client.get(reverse("review:queue"), {"series": "engineering"}).status_code == 200


def test_it_refuses_a_nul_in_an_autosaved_text_and_saves_nothing(client):
    applicant = ApplicantFactory(organisation=OrganisationFactory(tenant=TenantFactory(code="zhengzhou")))
    draft = services.application_create(actor=applicant, series="engineering", level="assistant")
    client.force_login(applicant)
    response = client.post(
        reverse("applications:autosave", kwargs={"pk": draft.pk}),
        json.dumps({"specialty": "桥梁", "self_statement": "述职\x00内容"}),
        "application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"self_statement": ["内容含有不允许的空字符（\\0），请删除后重试。"]}
    draft.refresh_from_db()
    assert draft.specialty == "" and draft.self_statement == ""
