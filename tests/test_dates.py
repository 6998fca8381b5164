"""Dates as people read them (issue 17): local time, no zero-padded month or day, no ISO string."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.dates import chinese_date, chinese_datetime


def test_it_writes_a_day_without_padding():
    assert chinese_date(date(2027, 3, 5)) == "2027年3月5日"
    assert chinese_date(None) == ""


def test_it_writes_a_moment_in_local_time():
    late_utc = datetime(2026, 12, 3, 16, 30, tzinfo=UTC)  # 00:30 on 4 December in Beijing
    assert chinese_datetime(late_utc) == "2026年12月4日 00:30"
    assert chinese_datetime(late_utc, year=False) == "12月4日 00:30"
    assert chinese_date(late_utc) == "2026年12月4日"
