"""The public verification page in English (issue 16): the page and the verdicts on an uploaded
file read in English when the visitor chooses English; the certificate's data (masked name, title,
issuer) stays as issued, in Chinese; the Chinese page is unchanged."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from accounts.models import Role
from tests.certificates.test_signing import file_bytes, issued, upload
from tests.factories import OrganisationFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


@pytest.fixture
def unit(db):
    tenant = TenantFactory(code="zhengzhou", name="郑州市", authority_name="郑州市人力资源和社会保障局")
    return OrganisationFactory(tenant=tenant)


@pytest.fixture
def tenant_admin(unit):
    bureau = OrganisationFactory(tenant=unit.tenant, city_bureau=True)
    return UserFactory(role=Role.TENANT_ADMIN, organisation=bureau)


def main_text(page) -> str:
    body = page.content.decode()
    main = body.split("<main", 1)[-1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_valid_file_reads_valid_in_english_with_the_certificate_data_as_issued(client, unit):
    certificate = issued(unit)
    content = file_bytes(certificate)

    text = main_text(upload(in_english(client), content))
    assert (
        "The certificate is valid: the electronic signature is intact and matches the issue record of "
        f"certificate {certificate.number} (holder 王*明, version 1)." in text
    )
    assert "Issuing authority" in text and "Date of issue" in text and "Recognising body" in text
    data = {"王*明", certificate.title, certificate.issuer, unit.tenant.authority_name}
    assert set(CJK.findall(text)) <= {part for value in data for part in CJK.findall(value)}

    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    chinese = main_text(upload(client, content))
    assert f"证书有效：电子签名完好，与证书{certificate.number}（持证人王*明，第1版）的签发记录一致。" in chinese
    assert "发证机关" in chinese and "The certificate is valid" not in chinese


def test_a_revoked_file_names_the_day_of_revocation_in_english(client, unit, tenant_admin):
    from certificates import services

    certificate = issued(unit)
    services.certificate_revoke(actor=tenant_admin, certificate=certificate, reason="材料造假")
    certificate.refresh_from_db()
    day = timezone.localtime(certificate.revoked_at).date()

    text = main_text(upload(in_english(client), file_bytes(certificate)))
    with translation.override("en"):  # the day as the English catalogue writes it (e.g. 3 Dec 2026)
        english_day = dateformat.format(day, translation.gettext("Y年n月j日"))
    assert not CJK.search(english_day)
    assert (
        f"The electronic signature is valid, but certificate {certificate.number} was revoked on {english_day}; "
        "the certificate is invalid." in text
    )
    assert f"Revoked ({english_day})" in text


def test_bad_input_is_refused_in_english_naming_the_field_and_the_limit(client):
    text = main_text(in_english(client).post(reverse("certificates:verify_upload"), {}))
    assert "Certificate file: Choose the certificate PDF file to verify." in text

    text = main_text(upload(client, b"not a pdf", name="x.pdf"))
    assert "Certificate file: The file is not a PDF: upload an electronic certificate PDF issued by this platform." in (
        text
    )


def test_a_lookup_without_a_match_says_so_in_english(client):
    page = in_english(client).get(reverse("certificates:verify_lookup"), {"number": "X1", "name": "张三"})
    text = main_text(page)
    assert "No certificate matches this number and name; please check them and try again." in text
    assert "Certificate number" in text and "Holder's name" in text
