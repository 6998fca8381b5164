"""PAdES signing with the tenant's key, and verification of a held PDF by page and command."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from certificates import services, signing, verification
from certificates.models import CertificateIssue, SigningKey
from certificates.rendering import render_pdf
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
def tenant_admin(tenant):
    return UserFactory(role=Role.TENANT_ADMIN, organisation=OrganisationFactory(tenant=tenant, city_bureau=True))


def issued(unit):
    certificate, _ = services.certificate_create(application_id=approved_application(unit=unit).pk)
    return services.certificate_render(certificate_id=certificate.pk, base=BASE)


def file_bytes(certificate) -> bytes:
    with certificate.file.open("rb") as handle:
        return handle.read()


def tampered(content: bytes) -> bytes:
    """One byte changed inside the signed page content."""
    position = content.index(b"stream") + 40
    changed = bytearray(content)
    changed[position] ^= 0x01
    return bytes(changed)


def run_command(tmp_path, content: bytes, capsys) -> tuple[int, str]:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_certificate", str(path))
    return exit_info.value.code, capsys.readouterr().out.strip()


def upload(client, content: bytes, name: str = "certificate.pdf"):
    return client.post(
        reverse("certificates:verify_upload"),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


@pytest.mark.django_db
def test_it_generates_one_root_and_one_encrypted_key_per_tenant_on_first_use(tenant):
    from cryptography import x509

    first = signing.tenant_key(tenant)
    again = signing.tenant_key(tenant)
    other = signing.tenant_key(TenantFactory(code="xuchang", name="许昌市"))

    assert first.pk == again.pk and first.pk != other.pk
    assert SigningKey.objects.filter(is_root=True).count() == 1
    assert "PRIVATE KEY" not in first.private_key_encrypted
    root = x509.load_pem_x509_certificate(signing.platform_root().certificate_pem.encode())
    mine = x509.load_pem_x509_certificate(first.certificate_pem.encode())
    assert mine.issuer == root.subject
    assert "郑州市人力资源和社会保障局" in first.subject


@pytest.mark.django_db
def test_it_signs_any_pdf_so_that_a_changed_byte_breaks_the_signature(tenant):
    pdf = render_pdf("<p>任职资格文件</p>").content
    signed = signing.sign_pdf(tenant=tenant, pdf_bytes=pdf, reason="任职资格文件")

    assert signing.check_pdf(signed).ok
    broken = signing.check_pdf(tampered(signed))
    assert broken.signed and not broken.ok and not broken.intact
    appended = signing.check_pdf(signed + b"\n%% appended\n")
    assert not appended.ok and not appended.whole_file
    assert not signing.check_pdf(pdf).signed


@pytest.mark.django_db
def test_it_stores_the_issued_certificate_signed_with_its_first_version_current(unit):
    certificate = issued(unit)
    content = file_bytes(certificate)

    issue = CertificateIssue.objects.get(certificate=certificate)
    assert (issue.version, issue.status, issue.kind) == (1, "current", "original")
    assert issue.sha256 == certificate.sha256
    check = signing.check_pdf(content)
    assert check.ok and certificate.number in check.reason
    result = verification.verify_file(content)
    assert result.is_valid and result.certificate == certificate and result.matches_record


@pytest.mark.django_db
def test_it_reports_a_certificate_altered_after_issue_as_tampered_on_the_page_and_the_command(
    client, unit, tmp_path, capsys
):
    certificate = issued(unit)
    content = file_bytes(certificate)

    response = upload(client, content)
    assert response.status_code == 200
    assert 'data-outcome="valid"' in response.content.decode()
    assert run_command(tmp_path, content, capsys) == (
        0,
        f"证书有效：电子签名完好，与证书{certificate.number}（持证人王*明，第1版）的签发记录一致。",
    )

    altered = tampered(content)
    page = upload(client, altered).content.decode()
    assert 'data-outcome="tampered"' in page and "已被篡改" in page
    code, message = run_command(tmp_path, altered, capsys)
    assert code == 1 and "已被篡改" in message and certificate.number in message


@pytest.mark.django_db
def test_it_shows_a_revoked_certificate_as_revoked_immediately(client, unit, tenant_admin, tmp_path, capsys):
    certificate = issued(unit)
    content = file_bytes(certificate)
    services.certificate_revoke(actor=tenant_admin, certificate=certificate, reason="材料造假")

    page = upload(client, content).content.decode()
    assert 'data-outcome="revoked"' in page and "已撤销" in page
    code, message = run_command(tmp_path, content, capsys)
    assert code == 1 and "撤销" in message


@pytest.mark.django_db
def test_it_refuses_bad_input_with_a_chinese_message_and_exit_code_two(client, tmp_path, capsys):
    page = upload(client, b"hello, not a pdf", name="x.pdf").content.decode()
    assert "证书文件：文件不是PDF" in page
    assert "证书文件：文件过大" in upload(client, b"%PDF-" + b"0" * verification.MAX_UPLOAD_BYTES).content.decode()
    assert "请选择" in client.post(reverse("certificates:verify_upload"), {}).content.decode()

    code, message = run_command(tmp_path, b"hello", capsys)
    assert code == 2 and message.startswith("输入错误：") and "PDF" in message
    with pytest.raises(SystemExit) as missing:
        call_command("verify_certificate", str(tmp_path / "none.pdf"))
    assert missing.value.code == 2
    assert "找不到文件" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_says_an_unsigned_or_unreadable_pdf_is_not_valid(client, tmp_path, capsys):
    unsigned = render_pdf("<p>职称证书</p>").content
    code, message = run_command(tmp_path, unsigned, capsys)
    assert code == 1 and "没有电子签名" in message
    code, message = run_command(tmp_path, b"%PDF-1.7\n garbage", capsys)
    assert code == 1


@pytest.mark.django_db
def test_it_does_not_trust_a_signature_from_a_key_the_platform_root_did_not_certify(tenant, unit):
    certificate = issued(unit)
    content = file_bytes(certificate)
    # A new platform root (e.g. an attacker's own CA) does not make the old signature trusted and vice versa.
    SigningKey.objects.filter(is_root=True).update(certificate_pem=_foreign_root_pem())

    result = verification.verify_file(content)
    assert not result.is_valid and "不是本平台签发" in result.message


def _foreign_root_pem() -> str:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = signing._name("伪造根证书")
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=10))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


@pytest.mark.django_db
def test_it_creates_missing_keys_once_with_the_management_command(tenant, capsys):
    call_command("signing_keys")
    call_command("signing_keys")
    assert SigningKey.objects.filter(tenant=tenant).count() == 1
    assert SigningKey.objects.filter(is_root=True).count() == 1
    out = capsys.readouterr().out
    assert "zhengzhou：郑州市人力资源和社会保障局" in out
    call_command("signing_keys", "--root-pem")
    assert capsys.readouterr().out.startswith("-----BEGIN CERTIFICATE-----")
