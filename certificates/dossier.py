"""The dossier (材料册): one PDF of an application's attachments, in the order the tenant prescribes.

Source: 002_743bb57fc6424707.txt 第一篇 第九条(一)3 — Tangshan binds "各种材料共分12项" in a fixed
order, ⑴ being the 材料册目录 itself; 第九条(二)5 — "装订成册后每页须用打号机打印页码。《材料册目录》
必须打印生成，注明材料所在页码". So the dossier is: a generated catalogue giving each item's first page,
then every item's files in order (images as A4 pages, PDFs merged as they are), and a page number
stamped on every page.

Everything comes from the frozen submission: the snapshot names the attachments (id and sha256), and
an attachment whose stored bytes no longer match its recorded digest is refused rather than bound.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import select_template

from applications.models import Attachment, Submission
from core.official import official_language
from units.tenant_settings import setting


@dataclass(frozen=True)
class DossierItem:
    number: int
    title: str
    slots: tuple[str, ...] = ()  # material slots (rules/rulesets/*.json "materials" ids) bound here
    generated: bool = False  # the catalogue itself
    text_field: str = ""  # snapshot application field printed when the slots hold no file
    source: str = ""


def dossier_order(tenant) -> tuple[DossierItem, ...]:
    """The tenant's dossier order (setting ``dossier_order``; empty: the tenant binds none). Slot ids
    are those of the tenant's rule set "materials" (tenants/tangshan.json: 002 第一篇 第九条(一)3)."""
    return tuple(
        DossierItem(
            number=item["number"],
            title=item["title"],
            slots=tuple(item.get("slots") or ()),
            generated=bool(item.get("generated", False)),
            text_field=item.get("text_field") or "",
            source=item.get("source") or "",
        )
        for item in setting(tenant, "dossier_order")
    )


def has_dossier(tenant) -> bool:
    return bool(setting(tenant, "dossier_order"))


class DossierError(Exception):
    """A file of the snapshot cannot be bound (missing, altered or unreadable)."""


@dataclass
class CatalogueRow:
    number: int
    title: str
    start: int | None = None
    pages: int = 0
    files: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedDossier:
    content: bytes
    pages: int
    sha256: str
    catalogue: list[CatalogueRow]


def _chinese_numeral(number: int) -> str:
    return "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"[number - 1] if 0 < number <= 20 else f"({number})"


def _render(html_text: str) -> bytes:
    from certificates.rendering import render_pdf

    return render_pdf(html_text).content


def _page_html(body: str, *, css: str = "") -> str:
    from certificates.rendering import FONT_FAMILY, font_face_css

    return (
        '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><style>'
        f'{font_face_css()} @page {{ size: A4; margin: 15mm; }} html {{ font-family: "{FONT_FAMILY}"; }} {css}'
        f"</style></head><body>{body}</body></html>"
    )


def _image_pdf(content: bytes, content_type: str) -> bytes:
    """One A4 page with the image scaled to fit."""
    data = base64.b64encode(content).decode()
    return _render(
        _page_html(
            f'<img src="data:{html.escape(content_type)};base64,{data}" alt="">',
            css="img { display: block; max-width: 180mm; max-height: 265mm; margin: 0 auto; }",
        )
    )


def _text_pdf(title: str, text: str) -> bytes:
    return _render(
        _page_html(
            f"<h1>{html.escape(title)}</h1><div class='text'>{html.escape(text)}</div>",
            css="h1 { text-align: center; font-size: 16pt; } .text { white-space: pre-wrap; line-height: 1.7; }",
        )
    )


def _attachment_bytes(meta: dict[str, Any], attachments: dict[int, Attachment]) -> bytes:
    attachment = attachments.get(meta.get("id"))
    if attachment is None:
        raise DossierError(f"附件“{meta.get('name', '')}”已不存在")
    with attachment.file.open("rb") as handle:
        content = handle.read()
    if meta.get("sha256") and hashlib.sha256(content).hexdigest() != meta["sha256"]:
        raise DossierError(f"附件“{meta.get('name', '')}”与提交时不一致")
    return content


def _as_pdf(meta: dict[str, Any], content: bytes) -> bytes:
    content_type = meta.get("content_type") or ""
    if content_type == "application/pdf":
        return content
    if content_type.startswith("image/"):
        return _image_pdf(content, content_type)
    raise DossierError(f"附件“{meta.get('name', '')}”的格式无法装订")


def _catalogue_html(*, tenant, context: dict[str, Any], rows: list[CatalogueRow]) -> str:
    from certificates.documents import template_names
    from certificates.rendering import font_face_css

    template = select_template(template_names("dossier", tenant))
    return template.render({**context, "tenant_name": tenant.name, "rows": rows, "font_face": font_face_css()})


def _stamp_pages(writer, total: int) -> None:
    """Overlay "第 n 页" at the foot of every page, each overlay sized to its page."""
    from pypdf import PdfReader

    from certificates.rendering import FONT_FAMILY, font_face_css

    sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in writer.pages]
    distinct = sorted(set(sizes))
    page_rules = "".join(
        f"@page s{index} {{ size: {width}pt {height}pt; margin: 0; }} .s{index} {{ page: s{index}; "
        f"width: {width}pt; height: {height}pt; }}"
        for index, (width, height) in enumerate(distinct)
    )
    pages = "".join(
        f'<div class="p s{distinct.index(size)}"><span>第 {number} 页 / 共 {total} 页</span></div>'
        for number, size in enumerate(sizes, start=1)
    )
    overlay_html = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{font_face_css()} {page_rules}'
        f'html {{ font-family: "{FONT_FAMILY}"; }} body {{ margin: 0; }}'
        ".p { position: relative; break-after: page; overflow: hidden; }"
        ".p span { position: absolute; bottom: 6mm; left: 0; right: 0; text-align: center; font-size: 9pt; }"
        f"</style></head><body>{pages}</body></html>"
    )
    overlay = PdfReader(io.BytesIO(_render(overlay_html)))
    for page, stamp in zip(writer.pages, overlay.pages, strict=True):
        page.merge_page(stamp)


@official_language
def render_dossier(*, submission: Submission, tenant) -> RenderedDossier:
    from pypdf import PdfReader, PdfWriter

    from certificates.documents import application_number

    order = dossier_order(tenant)
    if not order:
        raise DossierError("该地区没有规定材料册")
    snapshot = submission.snapshot
    files = snapshot.get("files") or []
    attachments = Attachment.objects.in_bulk([item["id"] for item in files if item.get("id")])
    app = snapshot.get("application") or {}

    rows: list[CatalogueRow] = []
    parts: list[tuple[CatalogueRow, list[bytes]]] = []
    catalogue_row: CatalogueRow | None = None  # the order's generated item: the catalogue, bound first
    for item in order:
        row = CatalogueRow(number=item.number, title=f"{_chinese_numeral(item.number)} {item.title}")
        rows.append(row)
        if item.generated:
            catalogue_row = catalogue_row or row
            continue
        pdfs = []
        for meta in files:
            if meta.get("slot") in item.slots:
                pdfs.append(_as_pdf(meta, _attachment_bytes(meta, attachments)))
                row.files.append(meta.get("name", ""))
        if not pdfs and item.text_field and (app.get(item.text_field) or "").strip():
            pdfs.append(_text_pdf(item.title, app[item.text_field]))
            row.files.append("在线填写")
        row.pages = sum(len(PdfReader(io.BytesIO(pdf)).pages) for pdf in pdfs)
        parts.append((row, pdfs))

    context = {
        "number": application_number(submission),
        "applicant": (app.get("applicant") or {}).get("name", ""),
        "unit_name": (app.get("unit") or {}).get("name", ""),
    }

    def number_rows(catalogue_pages: int) -> None:
        page = catalogue_pages + 1
        if catalogue_row is not None:
            catalogue_row.start, catalogue_row.pages = 1, catalogue_pages
        for row, _pdfs in parts:
            row.start = page if row.pages else None
            page += row.pages

    # The catalogue's own length decides every later page number: lay it out once to count it,
    # then with the real numbers (which cannot change its length: the rows are the same).
    number_rows(1)
    catalogue = _render(_catalogue_html(tenant=tenant, context=context, rows=rows))
    catalogue_pages = len(PdfReader(io.BytesIO(catalogue)).pages)
    if catalogue_pages != 1:
        number_rows(catalogue_pages)
        catalogue = _render(_catalogue_html(tenant=tenant, context=context, rows=rows))

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(catalogue)))
    for _row, pdfs in parts:
        for pdf in pdfs:
            writer.append(PdfReader(io.BytesIO(pdf)))
    total = len(writer.pages)
    _stamp_pages(writer, total)
    writer.add_metadata({"/Title": f"材料册 {context['number']}"})
    out = io.BytesIO()
    writer.write(out)
    content = out.getvalue()
    return RenderedDossier(content=content, pages=total, sha256=hashlib.sha256(content).hexdigest(), catalogue=rows)
