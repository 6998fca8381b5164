"""Fixtures of the rule-set authoring specifications (tests/rules/test_authoring_*.py)."""

from __future__ import annotations

import pytest

from rules.models import RuleSet
from tests.rules.authoring_helpers import CODE, make_admin


@pytest.fixture
def admin():
    """The tenant admin of Kunming Panlong (a module may define its own ``admin``)."""
    return make_admin()


@pytest.fixture
def shipped() -> RuleSet:
    """Version 1 of Kunming Panlong's rule set, loaded from the shipped file at migrate."""
    return RuleSet.objects.get(code=CODE, version=1)
