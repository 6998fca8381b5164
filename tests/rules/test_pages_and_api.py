"""The bureau's rule-set page and the evaluation API, scoped to the user's tenant."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rules.models import RuleSet
from tests.factories import TenantFactory, UserFactory
from tests.rules.helpers import base_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def kunming_admin():
    return UserFactory(role="tenant_admin", tenant=TenantFactory(code="kunming-panlong"))


def test_it_shows_a_rule_set_as_a_readable_table_with_citations(client, kunming_admin):
    client.force_login(kunming_admin)
    rs = RuleSet.objects.get(code="kunming-panlong-2024q3")
    page = client.get(reverse("rules:ruleset_detail", args=[rs.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "取得大学专科学历后，从事专业工作满36个月" in text
    assert "003_c25e803c7aeb4e62.txt 二(二)2" in text


def test_it_lists_only_the_own_tenants_rule_sets(client, kunming_admin):
    client.force_login(kunming_admin)
    text = client.get(reverse("rules:ruleset_list")).content.decode()
    assert "昆明市盘龙区" in text
    assert "郑州市初级职称" not in text


def test_it_answers_404_for_another_tenants_rule_set(client, kunming_admin):
    client.force_login(kunming_admin)
    other = RuleSet.objects.get(code="zhengzhou-2020-junior")
    assert client.get(reverse("rules:ruleset_detail", args=[other.pk])).status_code == 404


def test_it_keeps_applicants_away_from_the_page(client):
    applicant_like = UserFactory(role="unit_handler", tenant=TenantFactory(code="kunming-panlong"))
    client.force_login(applicant_like)
    assert client.get(reverse("rules:ruleset_list")).status_code == 403


def test_it_evaluates_through_the_api(client, kunming_admin):
    client.force_login(kunming_admin)
    response = client.post(reverse("rules_api:evaluate"),
                           {"ruleset": "kunming-panlong-2024q3", "profile": base_profile()},
                           content_type="application/json")
    assert response.status_code == 200
    assert response.json()["eligible"] is True
    assert response.json()["checks"][0]["source"].startswith("003_")


def test_it_names_the_bad_field_through_the_api(client, kunming_admin):
    client.force_login(kunming_admin)
    response = client.post(reverse("rules_api:evaluate"),
                           {"ruleset": "kunming-panlong-2024q3", "profile": base_profile(as_of="2024-02-30")},
                           content_type="application/json")
    assert response.status_code == 400
    assert "as_of" in response.json()["profile"]


def test_it_answers_404_for_another_tenants_rule_set_through_the_api(client, kunming_admin):
    client.force_login(kunming_admin)
    response = client.post(reverse("rules_api:evaluate"),
                           {"ruleset": "zhengzhou-2020-junior", "profile": base_profile()},
                           content_type="application/json")
    assert response.status_code == 404


def test_it_lists_materials_through_the_api(client, kunming_admin):
    client.force_login(kunming_admin)
    url = reverse("rules_api:materials", args=["kunming-panlong-2024q3"])
    items = client.get(url, {"series": "engineering", "level": "assistant", "unit_kind": "non_public"}).json()
    assert {"achievements", "pension_statement"} <= {i["id"] for i in items}
