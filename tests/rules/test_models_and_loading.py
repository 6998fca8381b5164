"""Rule sets are versioned data loaded by migrate; a published version never changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from rules.catalog import get_rule_set, shipped_rule_set_documents, sync_shipped_data
from rules.models import DeclarationWindow, RuleSet
from rules.services import ruleset_publish, ruleset_revise
from tests.rules.helpers import CODES, base_profile, decide

pytestmark = pytest.mark.django_db


def test_it_loads_the_six_shipped_rule_sets_on_migrate():
    assert set(RuleSet.objects.values_list("code", flat=True)) == set(CODES)
    assert RuleSet.objects.get(code="hebei-2024").tenant_code == "tangshan"
    assert RuleSet.objects.get(code="zhengzhou-2020-junior").document_number == "郑人社办〔2020〕237号"
    # Windows belong to the tenant document (tenant_apply), not to the rule sets.
    assert DeclarationWindow.objects.count() == 0


def test_it_loads_idempotently():
    sync_shipped_data()
    sync_shipped_data()
    assert RuleSet.objects.count() == len(CODES)


def test_it_refuses_to_change_a_published_version():
    published = RuleSet.objects.get(code="kunming-panlong-2024q3")
    published.data = {**published.data, "name": "改名"}
    with pytest.raises(ValidationError):
        published.save()


def test_it_revises_into_a_new_draft_and_evaluates_the_newest_published_version():
    current = RuleSet.objects.get(code="kunming-panlong-2024q3")
    data = dict(shipped_rule_set_documents()["kunming-panlong-2024q3"])
    data["checks"] = [c for c in data["checks"] if c["code"] != "insured_unit"]
    draft = ruleset_revise(rule_set=current, data=data, actor=None)
    assert (draft.version, draft.status) == (2, RuleSet.Status.DRAFT)
    profile = base_profile(employment__insured_unit_is_applying_unit=False)
    assert get_rule_set("kunming-panlong-2024q3").version == 1
    ruleset_publish(rule_set=draft, actor=None)
    assert get_rule_set("kunming-panlong-2024q3").version == 2
    assert decide("kunming-panlong-2024q3", profile).eligible is False  # the shipped file is unchanged
    from rules.engine import evaluate

    assert evaluate(get_rule_set("kunming-panlong-2024q3"), profile).eligible is True
    current.refresh_from_db()
    assert current.status == RuleSet.Status.PUBLISHED


def test_it_refuses_a_revision_with_an_unknown_check_kind():
    current = RuleSet.objects.get(code="huzhou-2020")
    data = dict(current.data)
    data["checks"] = [*data["checks"], {"code": "x", "kind": "astrology", "source": "004 一"}]
    with pytest.raises(ValidationError):
        ruleset_revise(rule_set=current, data=data, actor=None)
