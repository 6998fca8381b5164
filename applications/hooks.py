"""What later stages show on the filing pages, provided by the apps that own them.

The review chain's timeline (which level holds the file, since when, its deadline, the problems of
the last return) belongs to review; review registers it here when it starts
(``review.apps.ReviewConfig.ready``), so filing reads it without importing review (data flows down
architecture.md's list: review imports applications, never the other way)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NoTimeline:
    """The answer while no app provides a timeline (filing alone): nothing reviewed yet."""

    steps: list = field(default_factory=list)
    returns: list = field(default_factory=list)
    open_problems: list = field(default_factory=list)
    revision: int | None = None
    active: Any = None


_timeline: Callable[[Any], Any] | None = None


def provide_timeline(provider: Callable[[Any], Any]) -> None:
    global _timeline
    _timeline = provider


def timeline(application) -> Any:
    """The application's review timeline (``steps``, ``returns``, ``open_problems``, ``active``)."""
    return _timeline(application) if _timeline is not None else NoTimeline()


# Checks an app downstream adds to the city bureau's approval of a 破格 form (e.g. review's expert
# appraisal commissioned by the 职改办, 002 第三篇 一(五)4): each takes the approval and answers why it
# cannot be approved yet, or None.
_exceptional_checks: dict[str, Callable[[Any], str | None]] = {}


def provide_exceptional_check(name: str, check: Callable[[Any], str | None]) -> None:
    _exceptional_checks[name] = check


def exceptional_approval_problems(approval) -> list[str]:
    return [problem for check in _exceptional_checks.values() if (problem := check(approval))]
