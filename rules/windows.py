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
    # Empty: every series / level.
    series: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()

    def covers(self, series: str | None, level: str | None) -> bool:
        return (not series or not self.series or series in self.series) and (
            not level or not self.levels or level in self.levels
        )

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

def _recurring(name: str, rule: dict[str, Any], at: datetime, **scope: Any) -> list[Window]:
    """A recurring window's instances around ``at``: each listed month, ``first_day`` 00:00:00 to
    ``last_day`` 23:59:59 China time (e.g. Zhengzhou's city-level units, 000_09f0e4863c323892.txt 七).
    The current year's and next year's always include the one ``at`` is in or the next."""
    local = at.astimezone(CST)
    return [
        Window(
            name=f"{year}年{month}月{name}",
            opens_at=datetime(year, month, rule["first_day"], 0, 0, 0, tzinfo=CST),
            submit_closes_at=datetime(year, month, rule["last_day"], 23, 59, 59, tzinfo=CST),
            **scope,
        )
        for year in (local.year, local.year + 1)
        for month in sorted(rule["months"])
    ]


def windows_from_rows(rows: list[dict[str, Any]], at: datetime) -> list[Window]:
    """Windows from stored rows or document entries (timed, or ``recurrence``/``recurring``)."""

    def instant(value: Any) -> datetime | None:
        return datetime.fromisoformat(value) if isinstance(value, str) else value

    windows: list[Window] = []
    for row in rows:
        scope = {"series": tuple(row.get("series") or ()), "levels": tuple(row.get("levels") or ())}
        rule = row.get("recurrence") or row.get("recurring")
        if rule:
            windows += _recurring(row["name"], rule, at, **scope)
        else:
            windows.append(
                Window(
                    name=row["name"],
                    opens_at=instant(row["opens_at"]),
                    submit_closes_at=instant(row["submit_closes_at"]),
                    return_closes_at=instant(row.get("return_closes_at")),
                    review_closes_at=instant(row.get("review_closes_at")),
                    **scope,
                )
            )
    return windows


WINDOW_FIELDS = (
    "name", "recurrence", "opens_at", "submit_closes_at", "return_closes_at", "review_closes_at", "series", "levels",
)


def _stored_windows(tenant_code: str, at: datetime) -> list[Window] | None:
    """The tenant's windows in the database; None when there is no database to ask."""
    from django.db import DatabaseError

    from rules.models import DeclarationWindow

    try:
        rows = list(DeclarationWindow.objects.filter(tenant_code=tenant_code).values(*WINDOW_FIELDS))
    except DatabaseError:
        return None
    return windows_from_rows(rows, at)


def _shipped_windows(tenant_code: str, at: datetime) -> list[Window]:
    from rules.catalog import shipped_windows

    return windows_from_rows([w for w in shipped_windows() if w["tenant_code"] == tenant_code], at)


def _tenant_applied(tenant_code: str) -> bool:
    from django.apps import apps

    if not apps.is_installed("units"):
        return False
    # Read by name: rules imports no other app, the tenant table is only asked whether the code is there.
    return apps.get_model("units", "Tenant").objects.filter(code=tenant_code).exists()


def known_tenant_codes() -> set[str]:
    """Tenants the platform knows: applied tenants, and any code with windows or rule sets."""
    from rules.catalog import shipped_tenant_codes

    codes = set(shipped_tenant_codes())
    try:
        from django.apps import apps

        from rules.models import DeclarationWindow, RuleSet

        codes.update(DeclarationWindow.objects.order_by().values_list("tenant_code", flat=True).distinct())
        codes.update(RuleSet.objects.order_by().values_list("tenant_code", flat=True).distinct())
        if apps.is_installed("units"):
            # Read by name: rules imports no other app, the tenant table is only asked for its codes.
            codes.update(apps.get_model("units", "Tenant").objects.values_list("code", flat=True))
    except Exception:  # noqa: S110 - without a database the shipped tenants still answer
        pass
    return codes


def _within(at: datetime, start: datetime, end: datetime | None) -> bool:
    return end is not None and start <= at <= end

def window_status(
    tenant_code: str,
    at: datetime,
    *,
    windows: list[Window] | None = None,
    series: str | None = None,
    level: str | None = None,
) -> dict[str, Any]:
    """The contract's answer for a tenant at an instant (naive ``at`` means China Standard Time).

    With ``series`` / ``level``, windows that cover only other series or levels are left out."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=CST)
    if windows is None:
        stored = _stored_windows(tenant_code, at)
        if stored is None:
            stored = _shipped_windows(tenant_code, at)
        elif not stored and not _tenant_applied(tenant_code):
            # A tenant with stored windows, or an applied tenant, is known without asking again; a
            # seeded tenant not applied to this database yet answers from its shipped document.
            from rules.catalog import shipped_tenant_codes

            if tenant_code in shipped_tenant_codes():
                stored = _shipped_windows(tenant_code, at)
            elif tenant_code not in known_tenant_codes():
                raise UnknownTenantError(tenant_code)
        windows = stored
    windows = [w for w in windows if w.covers(series, level)]
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


def roster_deadlines(tenant_code: str) -> dict[str, datetime | None]:
    """Window name → when units must have filed their 推荐人员名单 (附件3) for it (003 三(一)3),
    None for a window without such a cut-off. The tenant's windows (its document), the shipped
    document while the tenant is not applied — as ``window_status`` reads them."""
    from django.db import DatabaseError

    from rules.models import DeclarationWindow

    try:
        rows = dict(DeclarationWindow.objects.filter(tenant_code=tenant_code).values_list("name", "roster_closes_at"))
    except DatabaseError:
        rows = {}
    if rows or _tenant_applied(tenant_code):
        return rows
    from rules.catalog import shipped_windows

    return {
        window["name"]: datetime.fromisoformat(window["roster_closes_at"]) if window.get("roster_closes_at") else None
        for window in shipped_windows()
        if window["tenant_code"] == tenant_code
    }


def roster_deadline(tenant_code: str, window_name: str) -> datetime | None:
    """When units must have filed their 推荐人员名单 for the window named ``window_name``, or None."""
    if not window_name:
        return None
    return roster_deadlines(tenant_code).get(window_name)
