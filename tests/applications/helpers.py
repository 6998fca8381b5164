"""Files and records for the filing specifications: real PDFs and JPGs, an eligible applicant."""

from __future__ import annotations

import io
from datetime import date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from applications.models import (
    AnnualAssessment,
    Application,
    ContinuingEducation,
    EducationEntry,
    PersonalRecord,
    WorkPeriod,
)
from rules.models import DeclarationWindow
from rules.windows import CST


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def jpeg_bytes(width: int = 300, height: int = 420) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 210, 220)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def pdf_upload(name: str = "扫描件.pdf", pages: int = 1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def jpeg_upload(name: str = "照片.jpg", width: int = 300, height: int = 420) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(width, height), content_type="image/jpeg")


def cst(*args: int) -> datetime:
    return datetime(*args, tzinfo=CST)


WINDOW_OPENS = cst(2026, 11, 1, 9, 0, 0)
WINDOW_CLOSES = cst(2026, 11, 20, 17, 0, 0)
IN_WINDOW = cst(2026, 11, 10, 10, 0, 0)


def open_window(tenant_code: str, opens: datetime = WINDOW_OPENS, closes: datetime = WINDOW_CLOSES):
    return DeclarationWindow.objects.create(
        tenant_code=tenant_code, name="2026年11月测试申报批次", opens_at=opens, submit_closes_at=closes
    )


def eligible_record(person) -> None:
    """A bachelor in professional work since mid-2022: eligible for 助理级 in Zhengzhou."""
    PersonalRecord.objects.create(
        person=person,
        birth_date=date(1999, 3, 15),
        gender="M",
        has_contract=True,
        months_in_region=40,
        social_insurance_months_in_region=40,
        current_specialty="建筑工程",  # 现从事专业 = 申报专业 where a rule set requires it (001 二(五)2)
    )
    EducationEntry.objects.create(
        person=person,
        level="bachelor",
        school="郑州大学",
        major="土木工程",
        graduated_on=date(2022, 6, 30),
        degree_certificate=True,
    )
    WorkPeriod.objects.create(person=person, start=date(2022, 7, 1), employer="测试单位", post="技术员")
    for year in (2023, 2024, 2025):
        AnnualAssessment.objects.create(person=person, year=year, grade="qualified")
        ContinuingEducation.objects.create(person=person, year=year, hours=90)


def fill_required_slots(application: Application, unit_materials: bool = True) -> None:
    """Upload every required slot; with ``unit_materials`` the unit's own required materials
    (000 八(二)) are put in place as well, so the unit can later approve."""
    from applications import materials, services

    slots, _ = materials.checklist(application)
    for slot in slots:
        if slot.required:
            services.application_upload(
                actor=application.applicant, application=application, slot=slot.id, upload=pdf_upload(f"{slot.id}.pdf")
            )
    if unit_materials:
        supply_unit_materials(application)


def supply_unit_materials(application: Application) -> None:
    """The unit's required materials in place (set up directly: the unit uploads them only after
    submission, through ``services.unit_material_upload``)."""
    from django.core.files.base import ContentFile

    from applications import materials
    from applications.models import ApplicationFile, Attachment

    for item in materials.unit_items(application):
        if item.uploadable and item.required:
            data = pdf_bytes()
            attachment = Attachment(
                owner=application.applicant,
                original_name=f"{item.id}.pdf",
                content_type="application/pdf",
                size=len(data),
                pages=1,
                sha256="0" * 64,
            )
            attachment.file.save(f"{item.id}.pdf", ContentFile(data), save=False)
            attachment.save()
            ApplicationFile.objects.create(
                application=application, slot=item.id, attachment=attachment, supplied_by_unit=True
            )
