"""Window-level documents: rosters (推荐人员名单 / 花名册) and statistics as Excel, and the
request service every window-level document (these two and the appointment notice) goes through.

A window-level document covers the applications of one declaration window (``window_name``) and one
level of the tenant. It is a ``DocumentJob`` without a submission, keyed by tenant, kind and
``subject_key`` (window, level and whether ID numbers are shown in full): asking twice gives the
same job and file, as for the per-application forms.

Sources: 002_743bb57fc6424707.txt 第一篇 第九条(三)2⑵ (Tangshan: the Excel 《唐山市高中职申报人员名单》,
附件七) and 第二篇 第九条(二)4 (《申报高、中级专业技术职务任职资格人员花名册》).
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from accounts.models import Role, User
from applications.models import Application, Submission
from certificates.models import DocumentJob
from core.audit import audit
from core.outbox import enqueue
from rules.engine import vocab
from units.tenant_settings import defaults, setting

Kind = DocumentJob.Kind

# Who may ask for window-level documents: the city bureau, whose remit is the whole tenant.
WINDOW_DOCUMENT_ROLES = (Role.CITY_REVIEWER, Role.TENANT_ADMIN)
# Who may have full ID numbers in a roster (units.permissions.can_reveal_id_number: the city bureau).
FULL_ID_ROLES = (Role.CITY_REVIEWER, Role.TENANT_ADMIN)

# Applications that count in a window's documents: submitted and not withdrawn.
COUNTED_STATUSES = (
    Application.Status.SUBMITTED,
    Application.Status.RETURNED,
    Application.Status.IN_REVIEW,
    Application.Status.APPROVED,
    Application.Status.REJECTED,
)
# The people a roster (推荐人员名单) lists: an application returned for revision (已退回修改) is
# back with its applicant, and one closed because the return was not fixed in time (已关闭) is out
# of the window: neither is recommended.
RECOMMENDED_STATUSES = (
    Application.Status.SUBMITTED,
    Application.Status.IN_REVIEW,
    Application.Status.APPROVED,
    Application.Status.REJECTED,
)
# The statistics (申报统计表) count every filing of the window, each under what it is now: in review
# (with a unit or a bureau), returned to the applicant, closed overdue, approved, rejected.
STATISTICS_STATUSES = (*COUNTED_STATUSES, Application.Status.CLOSED)
IN_REVIEW_STATUSES = (Application.Status.SUBMITTED, Application.Status.IN_REVIEW)


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[dict[str, Any]], Any]
    width: int = 14


def _basics(row: dict[str, Any]) -> dict[str, Any]:
    return ((row["snapshot"].get("record") or {}).get("basics")) or {}


def _app(row: dict[str, Any]) -> dict[str, Any]:
    return row["snapshot"].get("application") or {}


def _current_title(row: dict[str, Any]) -> str:
    titles = (row["snapshot"].get("record") or {}).get("titles") or []
    if not titles:
        return ""
    latest = max(titles, key=lambda item: item.get("obtained_on") or "")
    series = vocab.SERIES.get(latest.get("series"), "")
    return latest.get("name") or f"{series}{vocab.LEVELS.get(latest.get('level'), '')}"


COLUMN_LIBRARY: dict[str, Column] = {
    "index": Column("序号", lambda row: row["index"], 6),
    "name": Column("姓名", lambda row: row["name"], 10),
    "gender": Column("性别", lambda row: vocab.GENDERS.get(_basics(row).get("gender"), ""), 6),
    "id_number": Column("身份证号", lambda row: row["id_number"], 22),
    "unit": Column("工作单位", lambda row: (_app(row).get("unit") or {}).get("name", ""), 28),
    "series": Column("职称系列", lambda row: vocab.SERIES.get(_app(row).get("series"), ""), 14),
    "specialty": Column("专业", lambda row: _app(row).get("specialty") or "", 14),
    "level": Column("申报级别", lambda row: vocab.LEVELS.get(_app(row).get("level"), ""), 10),
    "current_title": Column("现任职称", _current_title, 18),
    "method": Column(
        "评价方式",
        lambda row: str(dict(Application.EvaluationMethod.choices).get(_app(row).get("evaluation_method"), "")),
        10,
    ),
    "exceptional": Column("破格", lambda row: "是" if _app(row).get("exceptional_promotion") else "否", 6),
    "status": Column("状态", lambda row: row["status"], 16),
}

def roster_layout(tenant) -> dict[str, Any]:
    """The roster's title and columns (setting ``roster``; the schema's default otherwise). Tangshan's
    document names 002 第一篇 第九条(三)2⑵ 附件七《唐山市高中职申报人员名单》 and 第二篇 第九条(二)4 花名册."""
    layout = setting(tenant, "roster")
    default = defaults()["roster"]
    return {
        "title": layout.get("title") or default["title"],
        "columns": tuple(layout.get("columns") or default["columns"]),
    }


def roster_title(tenant) -> str:
    """The heading: the layout's title, after the tenant's name unless the title already names it
    (推荐人员名单 → 郑州市推荐人员名单; 唐山市高中职申报人员名单 stays as it is)."""
    title = roster_layout(tenant)["title"]
    return title if title.startswith(tenant.name) else f"{tenant.name}{title}"


# --- Requests -------------------------------------------------------------------------------


def can_request_window_documents(user: User, tenant) -> bool:
    return (
        user.is_authenticated
        and user.role in WINDOW_DOCUMENT_ROLES
        and tenant is not None
        and user.tenant_id == tenant.pk
    )


def can_see_full_ids(user: User) -> bool:
    return user.is_authenticated and user.role in FULL_ID_ROLES


def window_subject_key(*, window_name: str, level: str, full_ids: bool = False) -> str:
    digest = hashlib.sha256(window_name.encode()).hexdigest()[:16]
    return f"window:{digest}:{level}:{'full' if full_ids else 'masked'}"


def windows_for(tenant) -> list[dict[str, Any]]:
    """(window, level) pairs of the tenant that have counted applications, with counts: one query."""
    from django.db.models import Count, Q

    rows = (
        Application.objects.filter(tenant=tenant, status__in=STATISTICS_STATUSES)
        .values("window_name", "level")
        .annotate(total=Count("id"), approved=Count("id", filter=Q(status=Application.Status.APPROVED)))
        .order_by("-window_name", "level")
    )
    return [{**row, "level_label": vocab.LEVELS.get(row["level"], row["level"])} for row in rows]


def window_document_request(
    *, actor: User, tenant, kind: str, window_name: str, level: str, full_ids: bool = False, request=None
) -> DocumentJob:
    """Ask for a window-level document; idempotent per (tenant, kind, window, level, full IDs).
    A failed job is queued again; the job row and the audit event are written with the request."""
    if not can_request_window_documents(actor, tenant):
        raise PermissionDenied
    if kind not in DocumentJob.WINDOW_KINDS:
        raise ValidationError({"kind": [gettext("请选择推荐人员名单、申报统计表或任职资格文件。")]})
    window_name = (window_name or "").strip()
    if len(window_name) > 120:
        raise ValidationError({"window_name": [gettext("申报批次名称不能超过120个字符。")]})
    if level not in vocab.LEVELS:
        raise ValidationError({"level": [gettext("请选择有效的申报级别。")]})
    if not Application.objects.filter(
        tenant=tenant, window_name=window_name, level=level, status__in=STATISTICS_STATUSES
    ).exists():
        raise ValidationError({"window_name": [gettext("该申报批次和级别下没有已提交的申报。")]})
    if full_ids and not can_see_full_ids(actor):
        raise PermissionDenied
    full_ids = bool(full_ids) and kind == Kind.ROSTER
    subject_key = window_subject_key(window_name=window_name, level=level, full_ids=full_ids)
    params = {"window_name": window_name, "level": level, "full_ids": full_ids}
    with transaction.atomic():
        try:
            with transaction.atomic():
                job, created = DocumentJob.objects.get_or_create(
                    kind=kind,
                    tenant=tenant,
                    submission=None,
                    subject_key=subject_key,
                    defaults={"requested_by": actor, "params": params},
                )
        except IntegrityError:
            job, created = (
                DocumentJob.objects.get(kind=kind, tenant=tenant, submission=None, subject_key=subject_key),
                False,
            )
        job = DocumentJob.objects.select_for_update().get(pk=job.pk)
        again = not created and job.status == DocumentJob.Status.FAILED
        if again:
            job.status = DocumentJob.Status.QUEUED
            job.attempts = 0
            job.error = ""
            job.save(update_fields=["status", "attempts", "error", "updated_at"])
        if created or again:
            audit(
                action="window_document_requested",
                actor=actor,
                target=job,
                request=request,
                kind=kind,
                window_name=window_name,
                level=level,
                full_ids=full_ids,
            )
            enqueue("certificates.tasks.render_document", job.pk)
    return job


# --- Data -----------------------------------------------------------------------------------


def window_rows(*, tenant, window_name: str, level: str, statuses=COUNTED_STATUSES) -> list[dict[str, Any]]:
    """One dict per application of the window and level, from its latest frozen submission, in a
    fixed order (unit, then application id). Three queries, whatever the number of rows."""
    applications = list(
        Application.objects.filter(tenant=tenant, window_name=window_name, level=level, status__in=statuses)
        .select_related("applicant", "unit")
        .order_by("unit__name", "pk")
    )
    latest: dict[int, Submission] = {}
    for submission in Submission.objects.filter(application__in=applications).order_by("application_id", "revision"):
        latest[submission.application_id] = submission
    rows = []
    for index, application in enumerate(applications, start=1):
        submission = latest.get(application.pk)
        rows.append(
            {
                "index": index,
                "application": application,
                "applicant": application.applicant,
                "name": application.applicant.full_name,
                "id_number_masked": application.applicant.id_number_masked,
                "snapshot": submission.snapshot if submission else {},
                "status": application.get_status_display(),
                "status_code": application.status,
            }
        )
    return rows


# --- Rendering ------------------------------------------------------------------------------


def _workbook_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_heading(sheet, title: str, subtitle: str, width: int) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([subtitle])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(width, 1))


def render_roster(*, tenant, window_name: str, level: str, full_ids: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    layout = roster_layout(tenant)
    columns = [COLUMN_LIBRARY[code] for code in layout["columns"]]
    rows = window_rows(tenant=tenant, window_name=window_name, level=level, statuses=RECOMMENDED_STATUSES)
    for row in rows:
        row["id_number"] = row["applicant"].reveal_id_number() if full_ids else row["id_number_masked"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    _sheet_heading(
        sheet,
        roster_title(tenant),
        f"申报批次：{window_name or '未指定'}　申报级别：{vocab.LEVELS.get(level, level)}　共{len(rows)}人",
        len(columns),
    )
    sheet.append([column.header for column in columns])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([column.value(row) for column in columns])
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    return _workbook_bytes(workbook)


def render_statistics(*, tenant, window_name: str, level: str) -> bytes:
    """申报统计表: per unit, the applications of the window and level by outcome."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rows = window_rows(tenant=tenant, window_name=window_name, level=level, statuses=STATISTICS_STATUSES)
    by_unit: dict[str, Counter] = {}
    for row in rows:
        by_unit.setdefault(row["application"].unit.name, Counter())[row["status_code"]] += 1
    columns = [
        ("审核中", IN_REVIEW_STATUSES),
        ("退回修改", (Application.Status.RETURNED,)),
        ("逾期未补正", (Application.Status.CLOSED,)),
        ("已通过", (Application.Status.APPROVED,)),
        ("未通过", (Application.Status.REJECTED,)),
    ]
    headers = ["序号", "单位", "申报人数", *(label for label, _ in columns)]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "统计"
    _sheet_heading(
        sheet,
        f"{tenant.name}职称申报统计表",
        f"申报批次：{window_name or '未指定'}　申报级别：{vocab.LEVELS.get(level, level)}",
        len(headers),
    )
    sheet.append(headers)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    totals = [0] * (1 + len(columns))
    for index, (unit, counts) in enumerate(sorted(by_unit.items()), start=1):
        values = [sum(counts.values()), *(sum(counts[status] for status in statuses) for _, statuses in columns)]
        totals = [total + value for total, value in zip(totals, values, strict=True)]
        sheet.append([index, unit, *values])
    sheet.append(["", "合计", *totals])
    sheet.column_dimensions["B"].width = 30
    return _workbook_bytes(workbook)


def render_spreadsheet_job(job: DocumentJob):
    from certificates.documents import RenderedFile

    params = job.params or {}
    if job.kind == Kind.ROSTER:
        content = render_roster(
            tenant=job.tenant,
            window_name=params.get("window_name", ""),
            level=params.get("level", ""),
            full_ids=bool(params.get("full_ids")),
        )
    else:
        content = render_statistics(
            tenant=job.tenant, window_name=params.get("window_name", ""), level=params.get("level", "")
        )
    return RenderedFile(content=content, pages=None, sha256=hashlib.sha256(content).hexdigest())


# --- Reads ----------------------------------------------------------------------------------


def window_jobs_for_user(user: User):
    """Window-level jobs of the user's tenant, for the city bureau only; nobody else sees any."""
    if not user.is_authenticated or user.role not in WINDOW_DOCUMENT_ROLES or not user.tenant_id:
        return DocumentJob.objects.none()
    return DocumentJob.objects.filter(
        tenant_id=user.tenant_id, submission__isnull=True, kind__in=DocumentJob.WINDOW_KINDS
    ).select_related("tenant")


def get_window_job_for_user(user: User, pk: int) -> DocumentJob:
    from django.shortcuts import get_object_or_404

    job = get_object_or_404(window_jobs_for_user(user), pk=pk)
    if (job.params or {}).get("full_ids") and not can_see_full_ids(user):
        from django.http import Http404

        raise Http404
    return job


def window_document_downloaded(*, actor: User, job: DocumentJob, request=None) -> None:
    audit(
        action="window_document_downloaded",
        actor=actor,
        target=job,
        request=request,
        kind=job.kind,
        sha256=job.sha256,
        full_ids=bool((job.params or {}).get("full_ids")),
    )


def window_document_filename(job: DocumentJob) -> str:
    params = job.params or {}
    extension = "xlsx" if job.is_spreadsheet else "pdf"
    level = vocab.LEVELS.get(params.get("level", ""), "")
    return f"{job.get_kind_display()}-{params.get('window_name') or '未指定批次'}-{level}.{extension}"
