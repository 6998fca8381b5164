"""evaluate(rule_set, profile, as_of) -> Decision. Plain Python: no ORM, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rules.engine.checks import CHECK_KINDS, CheckResult, Context, applies
from rules.engine.profile import Profile, parse_profile
from rules.engine.ruleset import RuleSetData

# Checks are not all monotone in time (an absence turns into an exclusion after a year, a new
# year asks for a new assessment), so the earliest date is confirmed by evaluating again on
# the candidate; a few rounds settle every shipped rule set.
_MAX_ROUNDS = 6


@dataclass(frozen=True, slots=True)
class Decision:
    ruleset: str
    eligible: bool
    level: str | None
    earliest_eligible_on: date | None
    checks: tuple[CheckResult, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset,
            "eligible": self.eligible,
            "level": self.level,
            "earliest_eligible_on": self.earliest_eligible_on.isoformat() if self.earliest_eligible_on else None,
            "checks": [c.as_dict() for c in self.checks],
        }


def _run(rule_set: RuleSetData, profile: Profile, as_of: date) -> tuple[bool, tuple[CheckResult, ...]]:
    ctx = Context(profile=profile, as_of=as_of)
    results = tuple(CHECK_KINDS[spec.kind](spec, ctx) for spec in rule_set.checks if applies(spec, profile))
    # ``None`` is a judgement left to reviewers or the committee: it does not stop filing.
    return all(r.passed is not False for r in results), results


def _earliest(rule_set: RuleSetData, profile: Profile, results: tuple[CheckResult, ...], as_of: date) -> date | None:
    current = as_of
    for _ in range(_MAX_ROUNDS):
        failing = [r for r in results if r.passed is False]
        if not failing or any(r.satisfied_on is None for r in failing):
            return None
        candidate = max(r.satisfied_on for r in failing if r.satisfied_on is not None)
        if candidate <= current:
            return None
        eligible, results = _run(rule_set, profile, candidate)
        if eligible:
            return candidate
        current = candidate
    return None


def evaluate(rule_set: RuleSetData, profile: Profile | dict[str, Any], as_of: date | None = None) -> Decision:
    """Whether ``profile`` may apply for its target level under ``rule_set`` on ``as_of``.

    ``as_of`` defaults to the profile's own date; month counts in the profile (months in the
    region, social-insurance months) are taken as continuing from the profile's date.
    """
    if not isinstance(profile, Profile):
        profile = parse_profile(profile)
    day = as_of or profile.as_of
    eligible, results = _run(rule_set, profile, day)
    return Decision(
        ruleset=rule_set.code,
        eligible=eligible,
        level=profile.target.level if eligible else None,
        earliest_eligible_on=None if eligible else _earliest(rule_set, profile, results, day),
        checks=results,
    )
