"""The pure eligibility engine: rule-set data in, decision with citations out."""

from __future__ import annotations

from rules.engine.core import Decision, evaluate
from rules.engine.profile import Profile, ProfileError, parse_profile
from rules.engine.ruleset import RuleSetData, RuleSetError, build_rule_set

__all__ = [
    "Decision",
    "Profile",
    "ProfileError",
    "RuleSetData",
    "RuleSetError",
    "build_rule_set",
    "evaluate",
    "parse_profile",
]
