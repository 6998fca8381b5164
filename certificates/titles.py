"""What a title certificate certifies: the title's name (资格名称), the specialty, the body that
reviewed or assessed it and the day it was conferred.

A certificate names the title itself — 二级教师, not “中小学教师助理级”: the names of each series'
levels are data (``certificates/titles.json``, after the national series standards); a series or
level without a name of its own reads as the fallback pattern there (e.g. 群众文化系列中级).

The reviewing body is the committee for an application reviewed by one (评审), the tenant's
authority for one assessed (考核认定). The day of the qualification is the day the last level of the
chain approved the application.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.utils import timezone

from core.dates import chinese_date
from rules.engine import vocab

TITLES = Path(__file__).resolve().parent / "titles.json"


@lru_cache(maxsize=1)
def _table() -> dict:
    return json.loads(TITLES.read_text(encoding="utf-8"))


def title_name(series: str, level: str) -> str:
    """二级教师 for (school_teacher, assistant); the fallback pattern for a pair without a name."""
    table = _table()
    name = table["series"].get(series, {}).get(level)
    if name:
        return name
    return table["fallback"].format(series=vocab.SERIES.get(series, series), level=vocab.LEVELS.get(level, level))


def composite_title(series: str, level: str) -> str:
    """The series and level run together (中小学教师助理级): what a certificate must not say."""
    return f"{vocab.SERIES.get(series, series)}{vocab.LEVELS.get(level, level)}"


@dataclass(frozen=True)
class CertificateFacts:
    title: str
    specialty: str
    body_label: str
    body: str
    qualified_on: date | None

    @property
    def qualified_on_text(self) -> str:
        return chinese_date(self.qualified_on)


def _committee_name(application) -> str:
    """The committee that reviewed the application: the one chosen when filing, else the one whose
    meeting passed it."""
    if application.committee_id:
        return application.committee.name
    from django.apps import apps

    if not apps.is_installed("committees"):
        return ""
    AgendaItem = apps.get_model("committees", "AgendaItem")
    item = (
        AgendaItem.objects.filter(application=application, outcome="passed")
        .select_related("meeting__committee")
        .order_by("-meeting__starts_at", "-id")
        .first()
    )
    return item.meeting.committee.name if item else ""


def _qualified_on(application) -> date | None:
    """The day the last level approved the application (China time)."""
    from review.models import ReviewStep

    decided = (
        ReviewStep.objects.filter(application=application, status=ReviewStep.Status.APPROVED, decided_at__isnull=False)
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )
    return timezone.localtime(decided).date() if decided else None


def _specialty(application) -> str:
    submission = application.submissions.order_by("-revision").only("snapshot").first()
    frozen = ((submission.snapshot or {}).get("application") or {}).get("specialty") if submission else None
    return frozen or application.specialty or ""


def certificate_facts(certificate) -> CertificateFacts:
    """What the certificate's PDF and its verification page state."""
    application = certificate.application
    tenant = certificate.tenant
    authority = tenant.authority_name or tenant.name
    if application.evaluation_method == application.EvaluationMethod.COMMITTEE_REVIEW:
        label, body = "评审机构", _committee_name(application) or authority
    else:
        label, body = "认定机构", authority
    title = certificate.title
    if not title or title == composite_title(application.series, certificate.level):
        title = title_name(application.series, certificate.level)
    return CertificateFacts(
        title=title,
        specialty=_specialty(application),
        body_label=label,
        body=body,
        qualified_on=_qualified_on(application),
    )
