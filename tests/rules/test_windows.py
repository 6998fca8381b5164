"""Declaration windows: inclusive deadlines, recurring Zhengzhou windows, the seeded Kunming window."""

from __future__ import annotations

from datetime import datetime

import pytest

from rules.models import DeclarationWindow
from rules.windows import CST, UnknownTenantError, parse_instant, window_status

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return parse_instant(text)


@pytest.mark.parametrize(("instant", "submit", "returns", "review"), [
    ("2024-09-01T08:59:59+08:00", False, False, False),
    ("2024-09-01T09:00:00+08:00", True, True, True),
    ("2024-09-20T17:00:00+08:00", True, True, True),
    ("2024-09-20T17:00:01+08:00", False, True, True),
    ("2024-09-27T17:00:00+08:00", False, True, True),
    ("2024-09-27T17:00:01+08:00", False, False, True),
    ("2024-09-30T17:00:00+08:00", False, False, True),
])
def test_it_keeps_each_kunming_deadline_inclusive_to_the_second(instant, submit, returns, review):
    status = window_status("kunming-panlong", at(instant))
    assert (status["submit_open"], status["returns_open"], status["review_open"]) == (submit, returns, review)
    assert status["window"]["name"] == "2024年第三期（9月）初级职称考核认定"


def test_it_reads_an_instant_without_offset_as_china_standard_time():
    assert window_status("kunming-panlong", at("2024-09-20T17:00:00"))["submit_open"] is True
    # 09:00:01 UTC is 17:00:01 in Beijing: too late.
    assert window_status("kunming-panlong", at("2024-09-20T09:00:01Z"))["submit_open"] is False


def test_it_reports_no_window_after_the_last_known_one_closes():
    status = window_status("kunming-panlong", at("2024-09-30T17:00:01+08:00"))
    assert status["window"] is None
    assert status["submit_open"] is False


@pytest.mark.parametrize(("instant", "open_", "name"), [
    ("2024-03-01T00:00:00", True, "2024年3月市直单位初级职称申报"),
    ("2024-03-25T23:59:59", True, "2024年3月市直单位初级职称申报"),
    ("2024-03-26T00:00:00", False, "2024年6月市直单位初级职称申报"),
    ("2024-12-26T10:00:00", False, "2025年3月市直单位初级职称申报"),
    ("2031-06-10T10:00:00", True, "2031年6月市直单位初级职称申报"),
])
def test_it_computes_the_recurring_zhengzhou_windows_for_any_date(instant, open_, name):
    status = window_status("zhengzhou", at(instant))
    assert status["submit_open"] is open_
    # No return or review deadline in the document: both follow submit_open.
    assert status["returns_open"] is open_ and status["review_open"] is open_
    assert status["window"]["name"] == name
    assert status["window"]["return_closes_at"] is None


def test_it_uses_a_window_the_tenant_stored():
    DeclarationWindow.objects.create(
        tenant_code="huzhou", name="2024年度职称申报",
        opens_at=datetime(2024, 8, 1, 9, tzinfo=CST), submit_closes_at=datetime(2024, 8, 31, 17, tzinfo=CST),
    )
    assert window_status("huzhou", at("2024-08-31T17:00:00"))["submit_open"] is True
    assert window_status("huzhou", at("2024-07-01T00:00:00"))["window"]["name"] == "2024年度职称申报"


def test_it_refuses_an_unknown_tenant():
    with pytest.raises(UnknownTenantError):
        window_status("atlantis", at("2024-01-01T00:00:00"))
