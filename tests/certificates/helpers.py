"""Reading rendered PDFs back; builders of document jobs, approved applications and certificates."""

from __future__ import annotations

import datetime as dt
import io
import secrets

from pypdf import PdfReader

from applications.models import Application
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def pdf_page_sizes(content: bytes) -> list[tuple[int, int]]:
    return [(round(page.mediabox.width), round(page.mediabox.height)) for page in PdfReader(io.BytesIO(content)).pages]


def document_job_for(application):
    """A finished job of ``application`` (a frozen submission made on the spot if it has none)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from applications.models import Submission
    from certificates.models import DocumentJob

    submission = application.submissions.order_by("-revision").first() or Submission.objects.create(
        application=application,
        revision=1,
        snapshot={},
        content_hash="0" * 64,
        submitted_by=application.applicant,
        submitted_at=timezone.now(),
    )
    job = DocumentJob.objects.create(
        kind=DocumentJob.Kind.EVALUATION_FORM,
        application=application,
        submission=submission,
        requested_by=application.applicant,
        status=DocumentJob.Status.DONE,
    )
    job.file.save("document.pdf", ContentFile(b"%PDF-1.4\n%%EOF"))
    return job


def pdf_fonts(content: bytes) -> dict[str, bool]:
    """Base font name → embedded?, over every page."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            descriptors = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            embedded = any(
                any(key in d.get("/FontDescriptor", {}) for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors
            )
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


# --- Certificates -------------------------------------------------------------------------


def approved_application(*, tenant=None, unit=None, applicant=None, level: str = "assistant") -> Application:
    """An APPROVED application made directly (the review chain has its own tests)."""
    if applicant is None:
        unit = unit or OrganisationFactory(tenant=tenant or TenantFactory(code="zhengzhou", name="郑州市"))
        applicant = ApplicantFactory(organisation=unit, full_name="王小明")
    return Application.objects.create(
        applicant=applicant,
        tenant_id=applicant.tenant_id,
        unit_id=applicant.organisation_id,
        series="engineering",
        level=level,
        ruleset_code="zhengzhou-2020-junior",
        status=Application.Status.APPROVED,
    )


def certificate_for(application):
    """A certificate row of ``application`` (any status), made once; for the isolation matrix."""
    from certificates.models import Certificate

    existing = Certificate.objects.filter(application=application).first()
    if existing is not None:
        return existing
    return Certificate.objects.create(
        tenant_id=application.tenant_id,
        application=application,
        holder=application.applicant,
        year=2026,
        level=application.level,
        serial=Certificate.objects.filter(tenant_id=application.tenant_id).count() + 1,
        number=f"T{application.pk:010d}",
        holder_name=application.applicant.full_name,
        holder_id_masked=application.applicant.id_number_masked,
        title="助理工程师",
        issuer="测试人社局",
        issued_on=dt.date(2026, 11, 23),
        token=secrets.token_urlsafe(24),
    )


def batch_for(tenant):
    """A finished certificate batch of ``tenant``, made once; for the isolation matrix."""
    from accounts.models import Role, User
    from certificates.models import CertificateBatch

    existing = CertificateBatch.objects.filter(tenant=tenant).first()
    if existing is not None:
        return existing
    requester = (
        User.objects.filter(tenant=tenant, role=Role.TENANT_ADMIN).first() or User.objects.filter(tenant=tenant).first()
    )
    return CertificateBatch.objects.create(tenant=tenant, requested_by=requester, status=CertificateBatch.Status.DONE)


def fee_for(application):
    """An unpaid fee entry of ``application``, made once; for the isolation matrix."""
    from decimal import Decimal

    from certificates.models import FeeEntry

    existing = FeeEntry.objects.filter(application=application).first()
    if existing is not None:
        return existing
    return FeeEntry.objects.create(
        tenant_id=application.tenant_id,
        application=application,
        kind=FeeEntry.Kind.CERTIFICATE,
        amount=Decimal("8.00"),
        recorded_by=application.applicant,
    )


def window_job_for(tenant):
    """A finished window-level document job (roster) of ``tenant``, made once; for the isolation matrix."""
    from accounts.models import Role, User
    from certificates.models import DocumentJob

    requester = User.objects.filter(tenant=tenant, role=Role.CITY_REVIEWER).first()
    requester = requester or User.objects.filter(tenant=tenant).first()
    return DocumentJob.objects.get_or_create(
        kind=DocumentJob.Kind.ROSTER,
        tenant=tenant,
        submission=None,
        subject_key="isolation",
        defaults={"requested_by": requester, "status": DocumentJob.Status.DONE, "params": {"level": "assistant"}},
    )[0]


def decoded_qr_codes(image) -> list[str]:
    """What a QR reader (ZXing, as phones use) reads from the image embedded in the PDF."""
    import zxingcpp

    return [code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]
