"""Statistics per declaration window for a reviewer's remit, with bar charts drawn server-side as
inline SVG (the CSP allows no script and no inline style: every attribute is a presentation
attribute, not ``style``). Five queries whatever the number of applications."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.db.models import Count, QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from applications.models import Application
from review.selectors import applications_for_reviewer
from rules import labels

NO_WINDOW = gettext_lazy("（未记录批次）")


@dataclass
class Breakdown:
    title: str
    rows: list[tuple[str, int]]
    column: str = ""

    @property
    def total(self) -> int:
        return sum(count for _, count in self.rows)

    @property
    def chart(self) -> SafeString:
        return bar_chart(self.title, self.rows)


@dataclass
class Statistics:
    window: str
    windows: list[str]
    total: int = 0
    breakdowns: list[Breakdown] = field(default_factory=list)


def applications_in_window(user: User, window: str) -> QuerySet[Application]:
    qs = applications_for_reviewer(user)
    if window:
        qs = qs.filter(window_name="" if window == str(NO_WINDOW) else window)
    return qs


def window_names(user: User) -> list[str]:
    names = applications_for_reviewer(user).order_by("window_name").values_list("window_name", flat=True).distinct()
    return [name or str(NO_WINDOW) for name in names]


def statistics(user: User, window: str = "") -> Statistics:
    """Counts by status, unit, series and level for one window (all windows when blank)."""
    windows = window_names(user)
    if window and window not in windows:
        window = ""
    qs = applications_in_window(user, window)
    statuses = dict(Application.Status.choices)
    series = labels.SERIES
    levels = labels.LEVELS

    def grouped(column: str) -> list[tuple[object, int]]:
        return [
            (row[column], row["n"])
            for row in qs.order_by().values(column).annotate(n=Count("id")).order_by("-n", column)
        ]

    by_status = [(str(statuses.get(k, k)), n) for k, n in grouped("status")]
    by_unit = [(str(k or ""), n) for k, n in grouped("unit__name")]
    by_series = [(str(series.get(k, k)), n) for k, n in grouped("series")]
    by_level = [(str(levels.get(k, k)), n) for k, n in grouped("level")]
    return Statistics(
        window=window,
        windows=windows,
        total=sum(n for _, n in by_status),
        breakdowns=[
            Breakdown(_("按状态"), by_status, _("状态")),
            Breakdown(_("按单位"), by_unit, _("单位")),
            Breakdown(_("按职称系列"), by_series, _("职称系列")),
            Breakdown(_("按申报级别"), by_level, _("申报级别")),
        ],
    )


BAR_HEIGHT = 22
LABEL_WIDTH = 220
CHART_WIDTH = 640


def bar_chart(title: str, rows: list[tuple[str, int]]) -> SafeString:
    """A horizontal bar chart as an ``<svg>`` element; every text is escaped."""
    height = max(1, len(rows)) * (BAR_HEIGHT + 6) + 10
    peak = max((count for _, count in rows), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'width="100%" aria-label="{escape(title, {chr(34): "&quot;"})}">',
        f"<title>{escape(title)}</title>",
    ]
    if not rows:
        parts.append(f'<text x="10" y="{BAR_HEIGHT}" font-size="14" fill="#555">{escape(_("暂无数据"))}</text>')
    for index, (label, count) in enumerate(rows):
        y = 5 + index * (BAR_HEIGHT + 6)
        width = max(2, round(room * count / peak))
        short = label if len(label) <= 16 else label[:15] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" font-size="13" text-anchor="end" fill="#222">'
            f"{escape(short)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="#2f6db5">'
            f"<title>{escape(label)}{_('：')}{count}</title></rect>"
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 16}" font-size="13" fill="#222">{count}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped text only
