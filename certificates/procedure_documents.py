"""The unit procedure's own documents, rendered from the procedure's data as PDFs (002_743bb57fc6424707.txt
第一篇 第九条): the 量化赋分表 bound into each file (第九条(一)3⑶), the 情况一览表 (附件二, 第九条(一)2) and
the 审查情况报告表 (附件四, 第九条(三)2⑴) filed with the files.

Which of them a tenant's units print is its document's setting ``unit_procedure_steps.documents``; the
titles carry the tenant's name. They are rendered on request (a page or two, from rows the unit
itself keeps), not queued like the 公示表, whose file is frozen when the publicity starts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from applications.models import LEVEL_CHOICES, SERIES_CHOICES
from certificates.rendering import FONT_FAMILY, RenderedPdf, font_face_css, render_pdf
from core.official import official_language
from review import procedure as svc
from review import procedure_selectors as sel
from review.models import UnitProcedure


@dataclass(frozen=True)
class ProcedureDocument:
    code: str
    label: str  # as listed on the page
    title_pattern: str  # the title on the document; {tenant} is the tenant's name
    source: str

    def title(self, procedure: UnitProcedure) -> str:
        return self.title_pattern.format(tenant=procedure.tenant.name)


DOCUMENTS: dict[str, ProcedureDocument] = {
    document.code: document
    for document in (
        ProcedureDocument("scoring_sheet", "量化赋分表", "专业技术职务任职资格申报推荐量化赋分表",
                          "002 第一篇 第九条(一)3⑶"),
        ProcedureDocument("summary_sheet", "情况一览表", "{tenant}申报评审专业技术职务任职资格情况一览表",
                          "002 第一篇 第九条(一)2（附件二）"),
        ProcedureDocument("review_report", "审查情况报告表", "{tenant}高中级专业技术职务任职资格审查情况报告表",
                          "002 第一篇 第九条(三)2⑴（附件四）"),
    )
}


def documents_for(procedure: UnitProcedure) -> list[ProcedureDocument]:
    """The documents the tenant's document lists for its units' procedures, in its order."""
    return [DOCUMENTS[code] for code in svc.local_steps(procedure.tenant).get("documents", []) if code in DOCUMENTS]


def _rows(procedure: UnitProcedure) -> tuple[list[dict], list]:
    candidates = sel.candidates_with_scores(procedure)
    members = sel.members(procedure)
    series, levels = dict(SERIES_CHOICES), dict(LEVEL_CHOICES)
    rows = []
    for row in sel.ranking(procedure, candidates):
        application = row.application
        by_member = {score.member_id: score.score for score in row.candidate.scores.all()}
        rows.append({
            "rank": row.candidate.rank or row.rank,
            "name": application.applicant.full_name,
            "id_masked": application.applicant.id_number_masked,
            "series": series.get(application.series, application.series),
            "level": levels.get(application.level, application.level),
            "specialty": application.specialty,
            "scores": [by_member.get(member.pk) for member in members],
            "total": row.candidate.total_score if row.candidate.total_score is not None else row.total,
            "candidate": row.candidate,
        })
    return rows, members


def document_html(procedure: UnitProcedure, code: str) -> str:
    document = DOCUMENTS[code]
    rows, members = _rows(procedure)
    objections = sel.objections(procedure)
    by_level: dict[str, list[int]] = {}
    for row in rows:
        counts = by_level.setdefault(row["level"], [0, 0])
        counts[0] += 1
        counts[1] += 1 if row["candidate"].recommended else 0
    return render_to_string(
        f"certificates/documents/procedure/{code}.html",
        {
            "font_face_css": font_face_css(),
            "font_family": FONT_FAMILY,
            "title": document.title(procedure),
            "procedure": procedure,
            "rows": rows,
            "members": members,
            "steps": svc.local_steps(procedure.tenant),
            "recommended": [row for row in rows if row["candidate"].recommended],
            "by_level": sorted(by_level.items()),
            "objection_count": len(objections),
            "upheld_count": sum(1 for o in objections if o.upheld),
        },
    )


@official_language
def document_pdf(procedure: UnitProcedure, code: str) -> RenderedPdf:
    return render_pdf(document_html(procedure, code))
