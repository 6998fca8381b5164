"""What a new version of a rule set does to one person.

New applications take the version in force when they are created, and a submitted application
keeps the version it was checked against at submission (``applications.services``). A draft
started under an older version is checked again under the version in force whenever it is opened;
:func:`version_change_for_profile` says in plain words what changed for that person, for the
applicant's page to show (``applications/views.py`` ``application_detail`` calls it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from rules.catalog import compile_rule_set
from rules.engine import Decision, ProfileError, evaluate, parse_profile
from rules.labels import cn_date
from rules.models import RuleSet
from rules.presentation import KIND_TITLES


@dataclass(frozen=True, slots=True)
class VersionChange:
    code: str
    name: str
    document_number: str
    from_version: int
    to_version: int
    before: Decision
    after: Decision
    lines: tuple[str, ...]

    @property
    def headline(self) -> str:
        if self.before.eligible and not self.after.eligible:
            if self.after.earliest_eligible_on:
                return gettext("按新规则，您暂不符合申报条件，最早可于%(date)s申报。") % {
                    "date": cn_date(self.after.earliest_eligible_on)}
            return gettext("按新规则，您暂不符合申报条件。")
        if self.after.eligible and not self.before.eligible:
            return gettext("按新规则，您现在符合申报条件。")
        if self.after.eligible:
            return gettext("按新规则，您仍符合申报条件。")
        return gettext("按新规则，您仍不符合申报条件。")

    @property
    def affects_eligibility(self) -> bool:
        return self.before.eligible != self.after.eligible

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "document_number": self.document_number,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "eligible_before": self.before.eligible,
            "eligible_after": self.after.eligible,
            "headline": self.headline,
            "lines": list(self.lines),
        }


def _titles(row: RuleSet) -> dict[str, str]:
    return {c.get("code") or c.get("kind", ""): str(KIND_TITLES.get(c.get("kind", ""), "")) for c in row.data["checks"]}


def compare_for_profile(old: RuleSet, new: RuleSet, profile: dict[str, Any]) -> VersionChange | None:
    """``profile`` judged under ``old`` and under ``new``: the checks whose result or reason
    changed, each in plain words with the clause it now rests on."""
    try:
        parsed = parse_profile(profile)
    except ProfileError:
        return None
    before = evaluate(compile_rule_set(old.data, old.content_hash), parsed, parsed.as_of)
    after = evaluate(compile_rule_set(new.data, new.content_hash), parsed, parsed.as_of)
    titles = {**_titles(old), **_titles(new)}
    previous = {c.code: c for c in before.checks}
    current = {c.code: c for c in after.checks}
    lines: list[str] = []
    for code, result in current.items():
        title = titles.get(code) or code
        was = previous.get(code)
        if was is None:
            lines.append(gettext("新增条件“%(title)s”：%(message)s（依据：%(source)s）") % {
                "title": title, "message": result.message, "source": result.source})
        elif was.passed != result.passed or was.message != result.message:
            lines.append(gettext("%(title)s：原为“%(before)s”，现为“%(after)s”（依据：%(source)s）") % {
                "title": title, "before": was.message, "after": result.message, "source": result.source})
    for code, was in previous.items():
        if code not in current:
            lines.append(gettext("不再要求“%(title)s”（原为：%(before)s）") % {
                "title": titles.get(code) or code, "before": was.message})
    return VersionChange(
        code=new.code,
        name=new.name,
        document_number=new.document_number,
        from_version=old.version,
        to_version=new.version,
        before=before,
        after=after,
        lines=tuple(lines),
    )


def version_change_for_profile(
    *,
    code: str,
    from_version: int | None,
    profile: dict[str, Any] | Callable[[], dict[str, Any]],
    to_version: int | None = None,
) -> VersionChange | None:
    """The change for this person when the version in force (or ``to_version``) is not
    ``from_version``; ``None`` when they are the same or either is unknown. ``profile`` may be a
    function, called only when the versions differ (building it reads the personal record)."""
    if not code or from_version is None:
        return None
    newer = RuleSet.objects.filter(code=code)
    newer = newer.filter(version=to_version) if to_version else newer.filter(status=RuleSet.Status.PUBLISHED)
    # One small query when nothing changed, which is every time but the first days of a version.
    newest = newer.order_by("-version").values_list("pk", "version").first()
    if newest is None or newest[1] == from_version:
        return None
    rows = {row.version: row for row in RuleSet.objects.filter(code=code, version__in=(from_version, newest[1]))}
    old, new = rows.get(from_version), rows.get(newest[1])
    if old is None or new is None:
        return None
    return compare_for_profile(old, new, profile() if callable(profile) else profile)
