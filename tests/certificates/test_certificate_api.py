"""Certificate REST API: the holder's list, the bureau's list and detail, public verification."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from certificates import services
from tests.certificates.helpers import approved_application
from tests.factories import OrganisationFactory, TenantFactory, UserFactory

BASE = "https://zc.example.cn"


@pytest.fixture
def tenant(db):
    return TenantFactory(code="zhengzhou", name="郑州市", authority_name="郑州市人力资源和社会保障局")


@pytest.fixture
def unit(tenant):
    return OrganisationFactory(tenant=tenant)


@pytest.fixture
def city_reviewer(tenant):
    return UserFactory(role=Role.CITY_REVIEWER, organisation=OrganisationFactory(tenant=tenant, city_bureau=True))


def issued(unit):
    certificate, _ = services.certificate_create(application_id=approved_application(unit=unit).pk)
    return services.certificate_render(certificate_id=certificate.pk, base=BASE)


@pytest.mark.django_db
def test_it_lists_only_the_holders_own_certificates(client, unit):
    mine, other = issued(unit), issued(unit)
    client.force_login(mine.holder)
    body = client.get(reverse("certificates_api:my_certificates")).json()
    assert [row["number"] for row in body["results"]] == [mine.number]
    assert body["results"][0]["download_url"] and body["results"][0]["version"] == 1
    assert other.number not in str(body)


@pytest.mark.django_db
def test_it_lists_the_bureaus_certificates_and_hides_the_list_from_others(client, unit, city_reviewer):
    first, second = issued(unit), issued(unit)
    elsewhere = issued(OrganisationFactory(tenant=TenantFactory(code="xuchang", name="许昌市", region_code="411000")))
    client.force_login(city_reviewer)
    numbers = {row["number"] for row in client.get(reverse("certificates_api:bureau_certificates")).json()["results"]}
    assert numbers == {first.number, second.number} and elsewhere.number not in numbers

    detail = client.get(reverse("certificates_api:certificate_detail", kwargs={"pk": first.pk})).json()
    assert detail["issues"][0]["status"] == "current" and detail["sha256"] == first.sha256
    assert client.get(reverse("certificates_api:certificate_detail", kwargs={"pk": elsewhere.pk})).status_code == 404

    client.force_login(first.holder)
    assert client.get(reverse("certificates_api:bureau_certificates")).status_code == 404
    assert client.get(reverse("certificates_api:certificate_detail", kwargs={"pk": second.pk})).status_code == 404


@pytest.mark.django_db
def test_it_verifies_publicly_by_number_and_full_name_showing_only_masked_data(client, unit):
    certificate = issued(unit)
    url = reverse("certificates_api:verify")

    found = client.get(url, {"number": certificate.number, "name": certificate.holder_name})
    assert found.status_code == 200
    body = found.json()
    assert body["found"] and body["status"] == "valid" and body["holder_name_masked"] == "王*明"
    assert certificate.holder_name not in str(body)
    assert client.get(url, {"number": certificate.number, "name": "李四"}).json()["found"] is False
    bad = client.get(url, {"number": ""})
    assert bad.status_code == 400 and "证书编号" in bad.content.decode()


@pytest.mark.django_db
def test_it_documents_the_certificate_endpoints_in_the_schema(client, city_reviewer):
    client.force_login(city_reviewer)
    schema = client.get(reverse("schema")).content.decode()
    for path in ("/api/v1/certificates/mine/", "/api/v1/certificates/issued/{id}/", "/api/v1/certificates/verify/"):
        assert path in schema
