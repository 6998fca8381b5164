"""Excel exports of the bureau lists: the review queue with its filters, the statistics of a
window, and the integrity records. ID numbers only masked; every export is audited as a
personal-data download. Synchronous and bounded: beyond EXPORT_LIMIT rows the user is asked to
narrow the filters (a clear message, nothing half-written). Sheets have a frozen bold header and
columns sized to their contents (core/spreadsheets.py)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook

from accounts.models import User
from core.audit import audit
from core.spreadsheets import XLSX as XLSX  # the views and tests name it from here
from core.spreadsheets import column_widths, header_cells, table_sheet, workbook_bytes
from review import bureau
from review.models import ReviewStep
from review.selectors import QueueFilters, steps_held_by
from review.statistics import statistics

EXPORT_LIMIT = 5000
# The headers and texts of a file are in the language of the page it was downloaded from.
QUEUE_HEADER = [gettext_noop("申报人"), gettext_noop("身份证号"), gettext_noop("单位"), gettext_noop("职称系列")]
QUEUE_HEADER += [gettext_noop("申报级别"), gettext_noop("审核层级"), gettext_noop("审核状态"), gettext_noop("送达时间")]
QUEUE_HEADER += [gettext_noop("审核截止"), gettext_noop("超期")]
INTEGRITY_HEADER = [gettext_noop("类别"), gettext_noop("姓名"), gettext_noop("身份证号"), gettext_noop("单位")]
INTEGRITY_HEADER += [gettext_noop("认定情形"), gettext_noop("开始日期"), gettext_noop("截止日期")]
# Download names (Chinese) and the ASCII fallbacks for clients that ignore filename*.
FILE_NAMES = {
    "queue": ("审核列表", "review-queue"),
    "statistics": ("申报统计", "statistics"),
    "integrity": ("诚信档案", "integrity"),
}


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _bounded(qs: QuerySet, what: str) -> list:
    rows = list(qs[: EXPORT_LIMIT + 1])
    if len(rows) > EXPORT_LIMIT:
        raise ValidationError(
            _("%(what)s超过%(limit)s条，无法一次导出，请先用筛选条件缩小范围后再导出。")
            % {"what": _(what), "limit": EXPORT_LIMIT}
        )
    return rows


def _save(workbook: Workbook) -> bytes:
    return workbook_bytes(workbook)


def queue_rows(user: User, filters: QueueFilters, at: datetime | None = None) -> QuerySet[ReviewStep]:
    """The same rows as the queue page with the same filters, unpaged."""
    now = at or timezone.now()
    held = steps_held_by(user).exclude(status=ReviewStep.Status.WAITING).filter(status=filters.status)
    if filters.series:
        held = held.filter(application__series=filters.series)
    if filters.level:
        held = held.filter(application__level=filters.level)
    if filters.unit:
        held = held.filter(application__unit_id=filters.unit)
    if filters.overdue:
        held = held.filter(deadline__lt=now)
    return held.select_related("application__applicant", "application__unit", "organisation").order_by(
        "active_since", "id"
    )


def export_queue(*, actor: User, filters: QueueFilters, request=None) -> bytes:
    now = timezone.now()
    rows = _bounded(queue_rows(actor, filters, now), gettext_noop("审核列表"))
    table = []
    for step in rows:
        application = step.application
        overdue = step.status == ReviewStep.Status.ACTIVE and step.deadline is not None and step.deadline < now
        table.append(
            [
                application.applicant.full_name,
                application.applicant.id_number_masked,
                application.unit.name,
                application.get_series_display(),
                application.get_level_display(),
                step.get_level_display(),
                step.get_status_display(),
                _local(step.active_since),
                _local(step.deadline),
                _("已超期") if overdue else "",
            ]
        )
    workbook = Workbook(write_only=True)
    table_sheet(workbook, _("审核列表"), [_(text) for text in QUEUE_HEADER], table)
    audit(action="personal_data_export", actor=actor, request=request, export="review_queue", rows=len(rows),
          filters=asdict(filters))
    return _save(workbook)


def export_statistics(*, actor: User, window: str, request=None) -> bytes:
    stats = statistics(actor, window)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("统计"))
    count_header = _("数量")
    summary = [[_("申报批次"), stats.window or _("全部批次")], [_("申报总数"), stats.total]]
    body: list[list] = []
    for breakdown in stats.breakdowns:
        body.append([])
        body.append([breakdown.title, count_header])
        body.extend([label, count] for label, count in breakdown.rows)
    for letter, width in zip("AB", column_widths([*summary, *body]), strict=False):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"  # the window and the total stay in view
    for label, value in summary:
        sheet.append([*header_cells(sheet, [label]), value])
    for row in body:
        sheet.append(header_cells(sheet, row) if row and row[1] == count_header else row)
    audit(action="personal_data_export", actor=actor, request=request, export="statistics", window=stats.window)
    return _save(workbook)


def export_integrity(*, actor: User, request=None) -> bytes:
    rows = _bounded(bureau.findings_for(actor), gettext_noop("诚信记录"))
    table = []
    for finding in rows:
        person = finding.person
        unit = finding.unit if finding.unit_id else (person.organisation if person else None)
        table.append(
            [
                _("个人") if person else _("单位"),
                person.full_name if person else "",
                person.id_number_masked if person else "",
                unit.name if unit else "",
                finding.reason,
                finding.starts_on.isoformat(),
                finding.ends_on.isoformat(),
            ]
        )
    workbook = Workbook(write_only=True)
    table_sheet(workbook, _("诚信记录"), [_(text) for text in INTEGRITY_HEADER], table)
    audit(action="personal_data_export", actor=actor, request=request, export="integrity", rows=len(rows))
    return _save(workbook)
