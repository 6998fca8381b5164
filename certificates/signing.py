"""PAdES signatures (pyHanko) with a per-tenant key certified by one platform root CA.

``sign_pdf(tenant=…, pdf_bytes=…)`` signs any PDF the tenant issues (certificates, appointment
notices): the signature covers the whole file, so changing any byte breaks it. ``check_pdf``
reads a file's signature back and validates it against the platform root only, offline.

Keys are generated on first use (P-256, fast to sign), stored encrypted with ``core.crypto``,
and cached per process (a worker signing a batch decrypts the key once).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import threading
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates.models import SigningKey
from core import crypto

logger = logging.getLogger(__name__)

ROOT_SUBJECT = "职称在线申报评审平台电子证书根证书"
ORGANISATION = "职称在线申报评审平台"
ROOT_YEARS = 30
TENANT_YEARS = 20
SIGNATURE_FIELD = "ZhichengSignature"

_lock = threading.Lock()
_signers: dict[tuple[int, str], object] = {}


def _new_private_key():
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )


def _key_usage(*, ca: bool):
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,  # non-repudiation: pyHanko requires it of document signers
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _store(*, tenant, subject: str, certificate, private_key) -> SigningKey:
    from cryptography.hazmat.primitives import hashes, serialization

    pem_key = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return SigningKey.objects.create(
        tenant=tenant,
        is_root=tenant is None,
        subject=subject,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        private_key_encrypted=crypto.encrypt(pem_key),
        fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
        not_after=certificate.not_valid_after_utc,
    )


def _load_private_key(key: SigningKey):
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(crypto.decrypt(key.private_key_encrypted).encode(), password=None)


def _load_certificate(key: SigningKey):
    from cryptography import x509

    return x509.load_pem_x509_certificate(key.certificate_pem.encode())


def _get_or_create(lookup: dict, build) -> SigningKey:
    existing = SigningKey.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return build()
    except IntegrityError:  # another process created it first
        return SigningKey.objects.get(**lookup)


def platform_root() -> SigningKey:
    """The platform root CA, generated on first use."""

    def build() -> SigningKey:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes

        key = _new_private_key()
        now = timezone.now()
        name = _name(ROOT_SUBJECT)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365 * ROOT_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        return _store(tenant=None, subject=ROOT_SUBJECT, certificate=certificate, private_key=key)

    return _get_or_create({"is_root": True}, build)


def tenant_key(tenant) -> SigningKey:
    """The tenant's signing key, certified by the platform root; generated on first use."""

    def build() -> SigningKey:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes

        root = platform_root()
        root_key, root_certificate = _load_private_key(root), _load_certificate(root)
        key = _new_private_key()
        subject = tenant.authority_name or tenant.name
        now = timezone.now()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(subject))
            .issuer_name(root_certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(min(now + dt.timedelta(days=365 * TENANT_YEARS), root_certificate.not_valid_after_utc))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(ca=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256())
        )
        return _store(tenant=tenant, subject=subject, certificate=certificate, private_key=key)

    return _get_or_create({"tenant": tenant}, build)


def _asn1_certificate(key: SigningKey):
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    return asn1_x509.Certificate.load(_load_certificate(key).public_bytes(serialization.Encoding.DER))


def _signer_for(tenant):
    key = tenant_key(tenant)
    cache_key = (key.pk, key.fingerprint)
    signer = _signers.get(cache_key)
    if signer is not None:
        return signer
    with _lock:
        from asn1crypto import keys as asn1_keys
        from cryptography.hazmat.primitives import serialization
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        der = _load_private_key(key).private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        signer = signers.SimpleSigner(
            signing_cert=_asn1_certificate(key),
            signing_key=asn1_keys.PrivateKeyInfo.load(der),
            cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(platform_root())]),
        )
        _signers[cache_key] = signer
    return signer


def _outside_event_loop(function):
    """Run ``function`` (a pyHanko sync entry point, which calls ``asyncio.run``) in a helper thread
    when this thread already runs an event loop (ASGI, Playwright), directly otherwise."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


def sign_pdf(*, tenant, pdf_bytes: bytes, reason: str = "") -> bytes:
    """``pdf_bytes`` signed (PAdES B-B, invisible signature) with ``tenant``'s key. ``reason`` is
    stored in the signature (a certificate puts its number there, so that a tampered copy can
    still say which certificate it claims to be)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason or None,
        location=tenant.name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
    )
    output = io.BytesIO()
    signer = _signer_for(tenant)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    _outside_event_loop(lambda: signers.sign_pdf(writer, metadata, signer=signer, output=output))
    return output.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """What a file's signature says. ``ok``: present, intact, made by a key the platform root
    certified, and covering every byte of the file."""

    signed: bool
    ok: bool
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    reason: str = ""
    signer: str = ""
    sha256: str = ""


def check_pdf(content: bytes) -> SignatureCheck:
    """Validate the last signature of ``content`` against the platform root (offline).

    Raises ValueError when the bytes cannot be read as a PDF at all."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    sha256 = hashlib.sha256(content).hexdigest()
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # pyHanko raises many kinds on malformed files
        raise ValueError("unreadable PDF") from error
    if not signatures:
        return SignatureCheck(signed=False, ok=False, sha256=sha256)
    signature = signatures[-1]
    reason = str(signature.sig_object.get("/Reason", "") or "")
    root = SigningKey.objects.filter(is_root=True).first()
    roots = [_asn1_certificate(root)] if root is not None else []
    try:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = _outside_event_loop(lambda: validate_pdf_signature(signature, context))
    except Exception:  # a mangled signature container is as good as no valid signature
        logger.info("signature validation raised", exc_info=True)
        return SignatureCheck(signed=True, ok=False, reason=reason, sha256=sha256)
    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    trusted = bool(status.trusted)
    intact = bool(status.intact and status.valid)
    signer = ""
    try:
        signer = status.signing_cert.subject.native.get("common_name", "")
    except Exception:  # pragma: no cover - informational only
        signer = ""
    return SignatureCheck(
        signed=True,
        ok=intact and trusted and whole_file,
        intact=intact,
        trusted=trusted,
        whole_file=whole_file,
        reason=reason,
        signer=signer,
        sha256=sha256,
    )


def reset_caches() -> None:
    _signers.clear()
