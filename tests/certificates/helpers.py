"""Reading rendered PDFs back, and a document job for the isolation matrix."""

from __future__ import annotations

import io

from pypdf import PdfReader


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
