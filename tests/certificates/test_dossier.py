"""The dossier (材料册): Tangshan's 12 items in order, a catalogue whose page numbers match the bound
pages, images as pages, page numbers on every page; rendered as a job, idempotently."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from applications import materials
from applications import services as application_services
from certificates import rendering, services
from certificates.dossier import dossier_order, has_dossier, render_dossier
from certificates.models import DocumentJob
from certificates.tasks import render_document
from tests.applications.helpers import IN_WINDOW, eligible_record, jpeg_bytes, open_window
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory

pytestmark = pytest.mark.django_db

# Pages per slot in the test's uploads; diplomas is an image (one page), the rest PDFs.
PAGES = {"papers": 3, "annual_assessment_forms": 2}


def marked_pdf(slot: str, pages: int) -> bytes:
    body = "".join(f'<p style="break-after: page">MARK-{slot}-{n}</p>' for n in range(1, pages + 1))
    return rendering.render_pdf(f"<html><body>{body}</body></html>").content


def tangshan_application(*, image_slot: str = "diplomas", applicant=None):
    """An application filed in Tangshan through the real services, with marked files."""
    if applicant is None:
        unit = OrganisationFactory(tenant=TenantFactory(code="tangshan", name="唐山市"))
        applicant = ApplicantFactory(organisation=unit, full_name="赵铁柱")
        open_window("tangshan")
    eligible_record(applicant)
    application = application_services.application_create(
        actor=applicant, series="engineering", level="assistant", at=IN_WINDOW
    )
    application_services.application_save_draft(
        actor=applicant,
        application=application,
        data={
            "specialty": "建筑工程",
            "self_statement": "本人自参加工作以来，认真履行岗位职责。" * 5,
            "main_achievements": "负责多项市政工程的施工技术管理，解决了多个技术难题。" * 80,
        },
    )
    slots, _ = materials.checklist(application)
    for slot in slots:
        if not (slot.required or slot.id == "awards"):
            continue
        if slot.id == image_slot:
            upload = SimpleUploadedFile("毕业证.jpg", jpeg_bytes(600, 420), content_type="image/jpeg")
        else:
            upload = SimpleUploadedFile(
                f"{slot.id}.pdf", marked_pdf(slot.id, PAGES.get(slot.id, 1)), content_type="application/pdf"
            )
        application_services.application_upload(actor=applicant, application=application, slot=slot.id, upload=upload)
    application_services.pledge_sign(
        actor=applicant, application=application, typed_name=applicant.full_name, agreed=True
    )
    submission = application_services.application_submit(actor=applicant, application=application, at=IN_WINDOW)
    application.refresh_from_db()
    return application, submission


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def tangshan():
    return TenantFactory(code="tangshan", name="唐山市")


def test_it_keeps_tangshans_twelve_items_in_the_seeds_order():
    # tenants/tangshan.json settings.dossier_order: 002 第一篇 第九条(一)3 ⑴–⑿.
    order = dossier_order(tangshan())
    assert [item.number for item in order] == list(range(1, 13))
    assert order[0].generated and order[0].title == "材料册目录"
    assert order[7].slots == ("diplomas",) and order[9].slots == ("papers",)
    assert all("002_743bb57fc6424707.txt" in item.source for item in order)


def test_it_binds_the_files_in_order_with_a_catalogue_whose_page_numbers_match_the_pages():
    _, submission = tangshan_application()
    dossier = render_dossier(submission=submission, tenant=tangshan())
    texts = page_texts(dossier.content)
    assert dossier.pages == len(texts)

    catalogue = texts[0]
    assert "材料册目录" in catalogue and "赵铁柱" in catalogue
    bound = [row for row in dossier.catalogue[1:] if row.start]
    assert bound, "the test application uploads files"
    starts = [row.start for row in bound]
    assert starts == sorted(starts) and starts[0] == 2
    for row in bound:
        # The catalogue prints the page, and the page is the item's first page.
        assert f"第{row.start}页" in catalogue.replace(" ", "")
        slot = next(item.slots[0] for item in dossier_order(tangshan()) if item.number == row.number)
        first = texts[row.start - 1]
        if slot == "diplomas":  # the image became a page of its own, with no text of a file on it
            assert "MARK-" not in first
        elif slot in PAGES or "MARK" in first:
            assert f"MARK-{slot}-1" in first
            assert f"MARK-{slot}-{row.pages}" in texts[row.start + row.pages - 2]
    papers = next(row for row in bound if row.number == 10)
    assert papers.pages == 3
    # ⑿ was not uploaded: listed, not paginated.
    assert "未提交" in catalogue
    # Every page carries its number.
    for number, text in enumerate(texts, start=1):
        assert re.search(rf"第\s*{number}\s*页\s*/\s*共\s*{len(texts)}\s*页", text), (number, text[-80:])


def test_it_turns_an_image_into_an_a4_page():
    _, submission = tangshan_application()
    dossier = render_dossier(submission=submission, tenant=tangshan())
    diplomas = next(row for row in dossier.catalogue if row.number == 8)
    page = PdfReader(io.BytesIO(dossier.content)).pages[diplomas.start - 1]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)
    assert page["/Resources"].get("/XObject"), "the image is on the page"


def test_it_renders_the_dossier_as_a_job_once(django_capture_on_commit_callbacks):
    application, _ = tangshan_application()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.document_request(
            actor=application.applicant, application=application, kind=DocumentJob.Kind.DOSSIER
        )
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE and job.file.name.endswith(".pdf")
    render_document.apply(args=[job.pk])  # a redelivered task changes nothing
    again = DocumentJob.objects.get(pk=job.pk)
    assert again.sha256 == job.sha256 and again.attempts == 1
    assert DocumentJob.objects.filter(kind=DocumentJob.Kind.DOSSIER).count() == 1
    with job.file.open("rb") as handle:
        assert len(PdfReader(handle).pages) == job.page_count


def test_it_offers_no_dossier_where_the_tenant_prescribes_none(application):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.document_request(actor=application.applicant, application=application, kind=DocumentJob.Kind.DOSSIER)


def test_it_refuses_to_bind_an_attachment_altered_after_submission():
    from applications.models import Attachment
    from certificates.dossier import DossierError

    _, submission = tangshan_application()
    meta = next(item for item in submission.snapshot["files"] if item["slot"] == "papers")
    attachment = Attachment.objects.get(pk=meta["id"])
    attachment.file.save("altered", io.BytesIO(marked_pdf("forged", 1)), save=True)
    with pytest.raises(DossierError, match="与提交时不一致"):
        render_dossier(submission=submission, tenant=tangshan())


def test_a_tenant_that_is_not_seeded_binds_the_dossier_in_the_order_of_its_setting():
    """The order is data: a tenant "luoyang" that declares its own dossier_order gets a dossier, in
    that order, from the same code (architecture §9)."""
    _, submission = tangshan_application()
    luoyang = TenantFactory(
        code="luoyang",
        name="洛阳市",
        settings={
            "dossier_order": [
                {"number": 1, "title": "目录", "generated": True},
                {"number": 2, "title": "论文", "slots": ["papers"]},
                {"number": 3, "title": "学历证书", "slots": ["diplomas"]},
                {"number": 4, "title": "工作总结", "slots": ["work_summary"], "text_field": "main_achievements"},
            ]
        },
    )
    assert has_dossier(luoyang) and not has_dossier(TenantFactory(code="luoyang-none", name="洛阳市B"))
    dossier = render_dossier(submission=submission, tenant=luoyang)
    rows = {row.number: row for row in dossier.catalogue}
    assert [row.title for row in dossier.catalogue] == ["⑴ 目录", "⑵ 论文", "⑶ 学历证书", "⑷ 工作总结"]
    assert rows[1].start == 1 and rows[2].start == 2 and rows[2].pages == PAGES["papers"]
    assert rows[3].start == 2 + PAGES["papers"] and rows[3].pages == 1
    texts = page_texts(dossier.content)
    assert "洛阳市" in texts[0] and "MARK-papers-1" in texts[1]
    assert dossier.pages == len(texts) == rows[4].start + rows[4].pages - 1
