"""Declaration windows: stored per tenant, plus the recurring ones a document fixes by rule.

``window_status(tenant_code=..., at=...)`` answers whether submitting, returning for revision
and reviewing are open at an instant. Deadlines are inclusive to the second: 17:00:00 is in
time, 17:00:01 is not. Where a window sets no return or review deadline the flag follows
``submit_open`` until the tenant sets one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rules.engine.vocab import TENANTS

CST = ZoneInfo("Asia/Shanghai")

class UnknownTenantError(LookupError):
    pass

@dataclass(frozen=True, slots=True)
class Window:
    name: str
    opens_at: datetime
    submit_closes_at: datetime
    return_closes_at: datetime | None = None
    review_closes_at: datetime | None = None

    @property
    def last_deadline(self) -> datetime:
        return max(d for d in (self.submit_closes_at, self.return_closes_at, self.review_closes_at) if d)

    def as_dict(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.astimezone(CST).isoformat() if value else None

        return {
            "name": self.name,
            "opens_at": iso(self.opens_at),
            "submit_closes_at": iso(self.submit_closes_at),
            "return_closes_at": iso(self.return_closes_at),
            "review_closes_at": iso(self.review_closes_at),
        }

# Zhengzhou city-level units: March, June, September and December, days 1-25
# (000_09f0e4863c323892.txt 七).
RECURRING: dict[str, dict[str, Any]] = {
    "zhengzhou": {"months": (3, 6, 9, 12), "first_day": 1, "last_day": 25, "label": "市直单位初级职称申报"},
}

def _recurring_windows(tenant_code: str, at: datetime) -> list[Window]:
    rule = RECURRING.get(tenant_code)
    if rule is None:
        return []
    local = at.astimezone(CST)
    windows = []
    # The current year's and next year's windows always include the one `at` is in or the next.
    for year in (local.year, local.year + 1):
        for month in rule["months"]:
            windows.append(
                Window(
                    name=f"{year}年{month}月{rule['label']}",
                    opens_at=datetime(year, month, rule["first_day"], 0, 0, 0, tzinfo=CST),
                    submit_closes_at=datetime(year, month, rule["last_day"], 23, 59, 59, tzinfo=CST),
                )
            )
    return windows

def _stored_windows(tenant_code: str) -> list[Window]:
    from django.db import DatabaseError

    from rules.models import DeclarationWindow

    try:
        rows = list(DeclarationWindow.objects.filter(tenant_code=tenant_code))
    except DatabaseError:
        return _shipped_windows(tenant_code)
    return [
        Window(
            name=row.name,
            opens_at=row.opens_at,
            submit_closes_at=row.submit_closes_at,
            return_closes_at=row.return_closes_at,
            review_closes_at=row.review_closes_at,
        )
        for row in rows
    ]

def _shipped_windows(tenant_code: str) -> list[Window]:
    from rules.catalog import shipped_windows

    def parse(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return [
        Window(
            name=w["name"],
            opens_at=datetime.fromisoformat(w["opens_at"]),
            submit_closes_at=datetime.fromisoformat(w["submit_closes_at"]),
            return_closes_at=parse(w.get("return_closes_at")),
            review_closes_at=parse(w.get("review_closes_at")),
        )
        for w in shipped_windows()
        if w["tenant_code"] == tenant_code
    ]

def known_tenant_codes() -> set[str]:
    codes = set(TENANTS)
    try:
        from rules.models import DeclarationWindow, RuleSet

        codes.update(DeclarationWindow.objects.order_by().values_list("tenant_code", flat=True).distinct())
        codes.update(RuleSet.objects.order_by().values_list("tenant_code", flat=True).distinct())
    except Exception:  # noqa: S110 - without a database the seeded tenants still answer
        pass
    return codes

def _within(at: datetime, start: datetime, end: datetime | None) -> bool:
    return end is not None and start <= at <= end

def window_status(tenant_code: str, at: datetime, *, windows: list[Window] | None = None) -> dict[str, Any]:
    """The contract's answer for a tenant at an instant (naive ``at`` means China Standard Time)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=CST)
    if windows is None:
        stored = _stored_windows(tenant_code)
        # A tenant with stored windows is known without asking again (one query on the hot path).
        if not stored and tenant_code not in known_tenant_codes():
            raise UnknownTenantError(tenant_code)
        windows = stored + _recurring_windows(tenant_code, at)
    # Inclusive to the second: a fraction past 17:00:00 is still 17:00:00 to the deadline.
    instant = at.replace(microsecond=0)
    current = [w for w in windows if w.opens_at <= instant <= w.last_deadline]
    window: Window | None
    if current:
        window = max(current, key=lambda w: w.opens_at)
    else:
        upcoming = [w for w in windows if w.opens_at > instant]
        window = min(upcoming, key=lambda w: w.opens_at) if upcoming else None

    submit_open = returns_open = review_open = False
    if window is not None:
        submit_open = _within(instant, window.opens_at, window.submit_closes_at)
        returns_open = (
            _within(instant, window.opens_at, window.return_closes_at) if window.return_closes_at else submit_open
        )
        review_open = (
            _within(instant, window.opens_at, window.review_closes_at) if window.review_closes_at else submit_open
        )
    return {
        "tenant": tenant_code,
        "at": at.astimezone(CST).isoformat(),
        "submit_open": submit_open,
        "returns_open": returns_open,
        "review_open": review_open,
        "window": window.as_dict() if window else None,
    }

def parse_instant(value: str) -> datetime:
    """ISO 8601; without an offset it means China Standard Time."""
    text = value.strip()
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=CST)
    return parsed
