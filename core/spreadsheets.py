"""Excel downloads people can read straight away: a bold header row that stays in view (frozen),
columns as wide as what they hold (CJK characters count double), and a Chinese file name that
every browser keeps (Content-Disposition with an ASCII fallback and RFC 5987 ``filename*``)."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIN_WIDTH = 8
MAX_WIDTH = 60
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")


def display_width(value: object) -> int:
    """How many Latin character widths ``value`` takes in a cell: CJK and full-width count two."""
    if value is None:
        return 0
    text = str(value)
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in longest)


def column_widths(rows: Iterable[Sequence[object]], minimum: int = MIN_WIDTH, maximum: int = MAX_WIDTH) -> list[float]:
    """One width per column, from the widest value in it (header included), with a little margin."""
    widths: list[int] = []
    for row in rows:
        for index, value in enumerate(row):
            if index >= len(widths):
                widths.append(0)
            widths[index] = max(widths[index], display_width(value))
    return [float(min(maximum, max(minimum, width + 2))) for width in widths]


def header_cells(sheet, values: Sequence[object]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        cells.append(cell)
    return cells


def table_sheet(
    workbook: Workbook,
    title: str,
    header: Sequence[object],
    rows: Sequence[Sequence[object]],
    *,
    preamble: Sequence[Sequence[object]] = (),
):
    """A write-only sheet: ``preamble`` rows (a title, a filter), then the bold header, frozen with
    everything above it, then ``rows``; columns sized to their contents."""
    sheet = workbook.create_sheet(title)
    for letter_index, width in enumerate(column_widths([header, *rows]), start=1):
        sheet.column_dimensions[get_column_letter(letter_index)].width = width
    sheet.freeze_panes = f"A{len(preamble) + 2}"
    for row in preamble:
        sheet.append(list(row))
    sheet.append(header_cells(sheet, header))
    for row in rows:
        sheet.append(list(row))
    return sheet


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def attachment_disposition(filename: str, fallback: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the real (Chinese) name as
    ``filename*=UTF-8''…`` (RFC 5987/6266), which browsers prefer."""
    safe = _UNSAFE.sub("-", filename).strip() or fallback
    ascii_fallback = _UNSAFE.sub("-", fallback).encode("ascii", "ignore").decode() or "download"
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(safe, safe='')}"


def xlsx_response(content: bytes, name: str, fallback: str, *, stamp: bool = True) -> HttpResponse:
    """The workbook as a download named ``{name}-{YYYYMMDDHHMM}.xlsx`` (Chinese), not cached."""
    suffix = f"-{timezone.localtime().strftime('%Y%m%d%H%M')}" if stamp else ""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = attachment_disposition(f"{name}{suffix}.xlsx", f"{fallback}{suffix}.xlsx")
    response["Cache-Control"] = "no-store"
    return response
