"""Which documents exist, for which applications, and what a document template is given.

Everything a person reads on a document comes from the frozen submission snapshot (never from the
live application, which may change after a return); the tenant supplies only its name for the
watermark and the heading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import select_template

from applications.materials import text_labels
from applications.models import Application, Submission
from certificates.models import DocumentJob
from certificates.selectors import review_opinions
from core.official import official_language
from rules.engine import vocab
from units.tenant_settings import setting

Kind = DocumentJob.Kind


@dataclass(frozen=True)
class DocumentKind:
    code: str
    label: str
    applies: Callable[[Any, str], bool]  # (tenant, level) -> available?


def _evaluation_form(tenant, level: str) -> bool:
    # 000 六(四): every applicant prints the 评审表 for the stamps of unit, department and bureau.
    return True


def _assessment_form(tenant, level: str) -> bool:
    # Junior titles by assessment print the 考核认定表 where the tenant lists the level (setting
    # ``assessment_form_levels``): 000 (Zhengzhou) and 003 (Kunming Panlong) list 员级 and 助理级.
    return level in setting(tenant, "assessment_form_levels")


def _dossier(tenant, level: str) -> bool:
    # A tenant that prescribes a dossier order (setting ``dossier_order``) binds one: 002 第一篇
    # 第九条(一)3, Tangshan's 12-item dossier with catalogue; tenants without an order have none.
    from certificates.dossier import has_dossier

    return has_dossier(tenant)


KINDS: dict[str, DocumentKind] = {
    Kind.EVALUATION_FORM: DocumentKind(Kind.EVALUATION_FORM, str(Kind.EVALUATION_FORM.label), _evaluation_form),
    Kind.ASSESSMENT_FORM: DocumentKind(Kind.ASSESSMENT_FORM, str(Kind.ASSESSMENT_FORM.label), _assessment_form),
    Kind.DOSSIER: DocumentKind(Kind.DOSSIER, str(Kind.DOSSIER.label), _dossier),
}

# Forms whose boxes carry the levels' opinions: a file printed before an opinion existed is stale
# once a level decides, so their jobs are keyed by the opinions' fingerprint.
OPINION_KINDS = (Kind.EVALUATION_FORM, Kind.ASSESSMENT_FORM)

OPINION_LEVELS = (
    ("unit", "用人单位意见"),
    ("department", "主管部门意见"),
    ("bureau", "人力资源和社会保障部门意见"),
)


def kinds_for(application: Application) -> list[DocumentKind]:
    tenant = application.tenant
    return [kind for kind in KINDS.values() if kind.applies(tenant, application.level)]


def evaluation_form_a3(tenant) -> bool:
    """Henan prints the 评审表 on A3 sheets folded into a booklet (double-sided); elsewhere A4
    (setting ``evaluation_form_paper``)."""
    return setting(tenant, "evaluation_form_paper") == "A3_booklet"


def _variant(kind: str, tenant) -> str | None:
    """The template variant a tenant's settings choose for ``kind`` (never its code)."""
    if kind == Kind.EVALUATION_FORM and evaluation_form_a3(tenant):
        return "a3_booklet"
    return None


def template_names(kind: str, tenant) -> list[str]:
    """The variant the tenant's settings choose first, the kind's default after it."""
    kind = str(kind)
    variant = _variant(kind, tenant)
    names = [f"certificates/documents/{kind}/{variant}.html"] if variant else []
    return [*names, f"certificates/documents/{kind}/default.html"]


def application_number(submission: Submission) -> str:
    """The number printed on every page: year of submission and the application id."""
    return f"{submission.submitted_at:%Y}{submission.application_id:07d}"


def _label(table: dict[str, str], code: Any) -> str:
    return table.get(code, code or "") if isinstance(code, str) or code is None else str(code)


def _date(value: str | None) -> str:
    if not value:
        return ""
    year, month, day = value[:10].split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def context_for(*, kind: str, submission: Submission, tenant_name: str) -> dict[str, Any]:
    """The template context: labels resolved, dates in Chinese, the ID number already masked."""
    snapshot = submission.snapshot
    app = snapshot["application"]
    record = snapshot.get("record") or {}
    basics = record.get("basics") or {}
    opinions = {item["level"]: item for item in review_opinions(submission)}
    return {
        "kind": KINDS[kind],
        "tenant_name": tenant_name,
        "number": application_number(submission),
        "revision": submission.revision,
        "submitted_on": _date(snapshot.get("submitted_at")),
        "applicant": app["applicant"],
        "gender": _label(vocab.GENDERS, basics.get("gender")),
        "birth_date": _date(basics.get("birth_date")),
        "unit_name": app["unit"]["name"],
        "series": _label(vocab.SERIES, app["series"]),
        "specialty": app.get("specialty") or "",
        "level": _label(vocab.LEVELS, app["level"]),
        "method": str(dict(Application.EvaluationMethod.choices).get(app["evaluation_method"], "")),
        "exceptional_promotion": app.get("exceptional_promotion"),
        "window_name": app.get("window_name") or "",
        "self_statement": app.get("self_statement") or "",
        "main_achievements": app.get("main_achievements") or "",
        "education": [
            {
                "level": _label(vocab.EDUCATION, row["level"]),
                "school": row["school"],
                "major": row["major"],
                "graduated_on": _date(row["graduated_on"]),
                "full_time": "全日制" if row.get("full_time") else "非全日制",
            }
            for row in record.get("education", [])
        ],
        "work": [
            {
                "period": f"{_date(row['start'])}—{_date(row['end']) or '至今'}",
                "employer": row["employer"],
                "post": row["post"],
            }
            for row in record.get("work", [])
        ],
        "titles": [
            {
                "title": row.get("name")
                or f"{_label(vocab.SERIES, row['series'])}{_label(vocab.LEVELS, row['level'])}",
                "obtained_on": _date(row["obtained_on"]),
            }
            for row in record.get("titles", [])
        ],
        "assessments": [
            {"year": row["year"], "grade": _label(vocab.GRADES, row["grade"])} for row in record.get("assessments", [])
        ],
        "continuing_education": record.get("continuing_education", []),
        "achievements": [
            {**row, "achieved_on": _date(row.get("achieved_on"))} for row in snapshot.get("achievements", [])
        ],
        "text_labels": text_labels(submission.application),
        "opinions": [{"code": code, "title": title, "opinion": opinions.get(code)} for code, title in OPINION_LEVELS],
    }


def render_html(*, kind: str, submission: Submission, tenant) -> str:
    from certificates.rendering import font_face_css

    template = select_template(template_names(kind, tenant))
    context = context_for(kind=kind, submission=submission, tenant_name=tenant.name)
    context["font_face"] = font_face_css()
    # The tenant's own name and instructions of its 考核认定表 (setting ``assessment_form``; Bingtuan's
    # 《专业技术职务任职资格考核认定申报表》, 002 第三篇 二、4(1)).
    context["form"] = setting(tenant, "assessment_form") or {}
    return template.render(context)


def opinion_fingerprint(submission: Submission) -> str:
    """A short digest of the opinions printed on the forms; "" while there is none (so a form
    printed before any decision keeps the key it always had)."""
    import hashlib
    import json

    opinions = review_opinions(submission)
    if not opinions:
        return ""
    canonical = json.dumps(opinions, ensure_ascii=False, sort_keys=True, default=str)
    return "opinions:" + hashlib.sha256(canonical.encode()).hexdigest()[:24]


def subject_key_for(kind: str, submission: Submission) -> str:
    """What, beyond the submission, a document of ``kind`` is rendered from."""
    return opinion_fingerprint(submission) if kind in OPINION_KINDS else ""


@dataclass(frozen=True)
class RenderedFile:
    content: bytes
    pages: int | None
    sha256: str


@official_language
def render_job(job: DocumentJob) -> RenderedFile:
    """The file of one job, whatever its kind: forms from templates, the dossier by merging the
    snapshot's files, window-level documents from the window's applications."""
    if job.kind in DocumentJob.SPREADSHEET_KINDS:
        from certificates.rosters import render_spreadsheet_job

        return render_spreadsheet_job(job)
    if job.kind == Kind.APPOINTMENT_NOTICE:
        from certificates.notices import render_notice_job

        return render_notice_job(job)
    application = job.application
    if job.kind == Kind.DOSSIER:
        from certificates.dossier import render_dossier

        dossier = render_dossier(submission=job.submission, tenant=application.tenant)
        return RenderedFile(content=dossier.content, pages=dossier.pages, sha256=dossier.sha256)
    from certificates.rendering import render_pdf

    tenant = application.tenant
    html = render_html(kind=job.kind, submission=job.submission, tenant=tenant)
    pdf = render_pdf(html)
    return RenderedFile(content=pdf.content, pages=pdf.pages, sha256=pdf.sha256)
