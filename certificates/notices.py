"""The appointment notice (任职资格文件): the approved people of one window and level, as a PDF
with the tenant's header and document number, signed with the tenant's key (certificates.signing).

Sources: 002_743bb57fc6424707.txt (Tangshan / Hebei: results published as a 职改办 document);
the issue's requirement that appointment notices are signed like certificates.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.template.loader import select_template
from django.utils import timezone

from applications.models import Application
from certificates.models import DocumentJob
from core.dates import chinese_date
from core.official import official_language
from rules.engine import vocab
from units.tenant_settings import setting


def notice_header(tenant) -> dict[str, str]:
    """The issuing body printed in red at the head and the document number's prefix (setting
    ``notice``); without them the tenant's title authority and "<名称>职称". The seeded documents
    carry: 002 第一篇 唐山市职称改革领导小组办公室 (唐职改字); 000 郑人社办〔2020〕237号 郑州市人力资源和
    社会保障局 (郑人社职); 001 许职改办〔2023〕21号 许昌市职称改革领导小组办公室 (许职改办)."""
    notice = setting(tenant, "notice")
    return {
        "issuer": notice.get("issuer") or tenant.authority_name or tenant.name,
        "prefix": notice.get("prefix") or f"{tenant.name}职称",
    }


def document_number(tenant, *, year: int, serial: int) -> str:
    return f"{notice_header(tenant)['prefix']}〔{year}〕{serial}号"


def notice_context(*, tenant, window_name: str, level: str, serial: int, issued_on=None) -> dict[str, Any]:
    from certificates.rendering import font_face_css
    from certificates.rosters import window_rows

    issued_on = issued_on or timezone.localdate()
    rows = window_rows(tenant=tenant, window_name=window_name, level=level, statuses=(Application.Status.APPROVED,))
    people = [
        {
            "index": row["index"],
            "name": row["name"],
            "id_number_masked": row["id_number_masked"],
            "unit": ((row["snapshot"].get("application") or {}).get("unit") or {}).get("name")
            or row["application"].unit.name,
            "title": f"{vocab.SERIES.get(row['application'].series, '')}{vocab.LEVELS.get(level, '')}",
            "specialty": row["application"].specialty,
        }
        for row in rows
    ]
    header = notice_header(tenant)
    return {
        "font_face": font_face_css(),
        "issuer": header["issuer"],
        "document_number": document_number(tenant, year=issued_on.year, serial=serial),
        "tenant_name": tenant.name,
        "window_name": window_name,
        "level": vocab.LEVELS.get(level, level),
        "people": people,
        "issued_on": chinese_date(issued_on),
    }


@official_language
def render_notice(*, tenant, window_name: str, level: str, serial: int, issued_on=None) -> bytes:
    from certificates.documents import template_names
    from certificates.rendering import render_pdf

    template = select_template(template_names("appointment_notice", tenant))
    context = notice_context(tenant=tenant, window_name=window_name, level=level, serial=serial, issued_on=issued_on)
    return render_pdf(template.render(context)).content


def sign_notice(*, tenant, pdf_bytes: bytes) -> bytes:
    """Sign with the tenant's key (helper H5's certificates.signing). The hook stays here so that
    the notice is signed exactly like a certificate."""
    from certificates.signing import sign_pdf

    return sign_pdf(tenant=tenant, pdf_bytes=pdf_bytes, reason="任职资格文件")


def render_notice_job(job: DocumentJob):
    import io

    from pypdf import PdfReader

    from certificates.documents import RenderedFile

    params = job.params or {}
    # The job id is the document's serial: stable across retries, unique per tenant.
    content = render_notice(
        tenant=job.tenant,
        window_name=params.get("window_name", ""),
        level=params.get("level", ""),
        serial=job.pk,
        issued_on=job.created_at and timezone.localtime(job.created_at).date(),
    )
    signed = sign_notice(tenant=job.tenant, pdf_bytes=content)
    pages = len(PdfReader(io.BytesIO(signed)).pages)
    return RenderedFile(content=signed, pages=pages, sha256=hashlib.sha256(signed).hexdigest())
