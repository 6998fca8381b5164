"""The unit's publicity sheet (公示表, 002 第一篇 第八条; 003 五(六)) rendered as a PDF.

The unit procedure (review/procedure.py) decides when a sheet is due and records the job on the
procedure row; rendering is the documents app's, run by ``certificates.tasks.render_publicity_sheet``.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string

from applications.models import LEVEL_CHOICES, SERIES_CHOICES
from certificates.rendering import FONT_FAMILY, font_face_css, render_pdf
from core.official import official_language
from review import procedure_selectors as sel
from review import publicity_sheet
from review.models import UnitProcedure

logger = logging.getLogger(__name__)


def publicity_sheet_html(procedure: UnitProcedure) -> str:
    candidates = sel.candidates_with_scores(procedure)
    # 003 五(六): the sheet shows when each candidate signed the pledge (before the publicity).
    pledged = publicity_sheet.pledge_days(c.application for c in candidates)
    series = dict(SERIES_CHOICES)
    levels = dict(LEVEL_CHOICES)
    rows = [
        {
            "rank": row.candidate.rank or row.rank,
            "name": row.application.applicant.full_name,
            "id_masked": row.application.applicant.id_number_masked,
            "series": series.get(row.application.series, row.application.series),
            "level": levels.get(row.application.level, row.application.level),
            "total": row.candidate.total_score if row.candidate.total_score is not None else row.total,
            "green": row.candidate.green_channel,
            "pledged_on": pledged.get(row.application.pk),
        }
        for row in sel.ranking(procedure, candidates)
    ]
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0))
    return render_to_string(
        "review/unit_publicity_sheet.html",
        {
            "font_face_css": font_face_css(),
            "font_family": FONT_FAMILY,
            "procedure": procedure,
            "rows": rows,
            "members": sel.members(procedure),
            "quotas": sel.quota_rows(procedure, candidates),
        },
    )


@official_language
def publicity_sheet_render(*, procedure_id: int) -> UnitProcedure:
    """Render and store the 公示表; idempotent (a done sheet is left as it is)."""
    procedure = UnitProcedure.objects.select_related("unit", "tenant").get(pk=procedure_id)
    if procedure.sheet_status == UnitProcedure.SheetStatus.DONE and procedure.sheet:
        return procedure
    try:
        pdf = render_pdf(publicity_sheet_html(procedure))
    except Exception as error:  # templates, fonts or WeasyPrint: the same to the handler
        logger.exception("publicity sheet %s failed", procedure_id)
        UnitProcedure.objects.filter(pk=procedure_id).update(
            sheet_status=UnitProcedure.SheetStatus.FAILED, sheet_error=str(error)[:500]
        )
        procedure.refresh_from_db()
        return procedure
    with transaction.atomic():
        locked = UnitProcedure.objects.select_for_update().get(pk=procedure_id)
        if locked.sheet_status == UnitProcedure.SheetStatus.DONE and locked.sheet:
            return locked
        locked.sheet_sha256 = pdf.sha256
        locked.sheet.save("publicity.pdf", ContentFile(pdf.content), save=False)
        locked.sheet_status = UnitProcedure.SheetStatus.DONE
        locked.sheet_error = ""
        locked.save(update_fields=["sheet", "sheet_sha256", "sheet_status", "sheet_error"])
    return locked
