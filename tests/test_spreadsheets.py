"""Excel downloads read well: a bold header row frozen in view, columns as wide as their contents,
and a Chinese file name in Content-Disposition (``filename*=UTF-8''…``, RFC 5987) with an ASCII
fallback. Each workbook is read back with openpyxl."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import attachment_disposition, column_widths, display_width
from tests.review.helpers import build_city, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return build_city()


def download(response):
    """(sheet, the file name the browser keeps, the ASCII fallback)."""
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    star = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    plain = re.search(r'filename="([^"]+)"', disposition)
    assert star and plain, disposition
    assert plain.group(1).isascii()
    return load_workbook(io.BytesIO(response.content)).active, unquote(star.group(1)), plain.group(1)


def widths(sheet, columns: str) -> list[float]:
    return [sheet.column_dimensions[letter].width for letter in columns]


def test_the_queue_export_has_a_frozen_header_sized_columns_and_a_chinese_name(client, city):
    application = submitted_application(city.applicant)
    client.force_login(city.handler)
    sheet, name, fallback = download(client.get(reverse("review:queue_export")))
    assert re.fullmatch(r"审核列表-\d{12}\.xlsx", name), name
    assert re.fullmatch(r"review-queue-\d{12}\.xlsx", fallback)
    assert sheet.title == "审核列表" and sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "申报人" and sheet["A1"].font.b
    assert sheet["C2"].value == application.unit.name
    # Every column has a width; the unit name's column is at least as wide as the name (CJK double).
    assert all(width and width >= 8 for width in widths(sheet, "ABCDEFGHIJ"))
    assert sheet.column_dimensions["C"].width >= min(60, display_width(application.unit.name))
    assert sheet.column_dimensions["H"].width >= len("2026-11-10 10:00")


def test_the_statistics_export_keeps_the_window_and_total_in_view(client, city):
    submitted_application(city.applicant)
    client.force_login(city.city_reviewer)
    sheet, name, fallback = download(client.get(reverse("review:statistics_export")))
    assert re.fullmatch(r"申报统计-\d{12}\.xlsx", name) and fallback.startswith("statistics-")
    assert sheet.freeze_panes == "A3"
    assert (sheet["A1"].value, sheet["A2"].value, sheet["B2"].value) == ("申报批次", "申报总数", 1)
    assert all(width >= 8 for width in widths(sheet, "AB"))

    sheet, name, _ = download(client.get(reverse("review:statistics_export"), {"window": "2026年第一批"}))
    assert re.fullmatch(r"申报统计-2026年第一批-\d{12}\.xlsx", name), name


def test_the_integrity_export_has_a_frozen_header_sized_columns_and_a_chinese_name(client, city):
    reason = "把关不严，未核实申报材料真实性" * 2
    client.force_login(city.city_reviewer)
    client.post(reverse("review:integrity_add"), {"subject": "unit", "unit": city.unit.pk, "period": "year",
                                                  "reason": reason})
    sheet, name, fallback = download(client.get(reverse("review:integrity_export")))
    assert re.fullmatch(r"诚信档案-\d{12}\.xlsx", name) and fallback.startswith("integrity-")
    assert sheet.freeze_panes == "A2" and sheet["E1"].value == "认定情形" and sheet["E1"].font.b
    assert sheet.column_dimensions["E"].width >= display_width(reason) or sheet.column_dimensions["E"].width == 60
    assert sheet.column_dimensions["F"].width >= len("2026-01-01")


def test_the_roster_template_has_a_frozen_header_widths_and_a_chinese_name(client, city):
    client.force_login(city.handler)
    sheet, name, fallback = download(client.get(reverse("units:roster_template")))
    assert name == "申报人员花名册模板.xlsx" and fallback == "roster-template.xlsx"
    assert sheet.freeze_panes == "A2" and sheet["B1"].value == "身份证号" and sheet["B1"].font.b
    assert all(width >= 22 for width in widths(sheet, "ABCDE"))
    assert sheet["B2"].number_format == "@"  # all 18 digits of an ID number kept


def test_widths_count_chinese_characters_double_and_stay_within_bounds():
    assert display_width("abc") == 3 and display_width("申报人") == 6 and display_width(None) == 0
    assert column_widths([["申报人", "x"], ["张三", "y" * 200]]) == [8.0, 60.0]
    assert column_widths([["郑州市第一中学附属实验学校"]]) == [28.0]


def test_the_disposition_names_the_file_in_utf8_with_an_ascii_fallback_and_no_path_characters():
    header = attachment_disposition('审核/列表"2026".xlsx', "review-queue.xlsx")
    assert header == (
        "attachment; filename=\"review-queue.xlsx\"; "
        "filename*=UTF-8''%E5%AE%A1%E6%A0%B8-%E5%88%97%E8%A1%A8-2026-.xlsx"
    )
