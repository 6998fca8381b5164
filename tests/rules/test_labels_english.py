"""Issue 16: the names of the eligibility contract's codes are translated where they are shown
(``rules.labels``); the engine (``rules.engine.vocab``) keeps its Chinese names for the contract."""

from __future__ import annotations

import pytest
from django.utils import translation

from rules import labels
from rules.engine import vocab

TABLES = ["LEVELS", "SERIES", "EDUCATION", "SKILLS", "UNIT_KINDS", "GRADES", "SANCTIONS", "ABSENCES", "GENDERS"]


@pytest.mark.parametrize("name", TABLES)
def test_display_tables_keep_the_engine_codes_and_chinese_names(name):
    with translation.override("zh-hans"):
        shown = {code: str(label) for code, label in getattr(labels, name).items()}
    assert shown == getattr(vocab, name)


@pytest.mark.parametrize("name", TABLES)
def test_display_tables_read_in_english(name):
    with translation.override("en"):
        for code, label in getattr(labels, name).items():
            text = str(label)
            assert text and not any("\u4e00" <= ch <= "\u9fff" for ch in text), (code, text)


def test_a_path_and_a_value_in_english_and_in_chinese():
    document = {"checks": [{"kind": "social_insurance", "min_months": 6}]}
    with translation.override("zh-hans"):
        assert labels.describe_path(document, "checks[0].min_months") == "第1条检查“社会保险” › 须满月数"
        assert labels.show_value(["assistant", "intermediate"]) == "助理级、中级"
        assert labels.show_value("2024-09-10") == "2024年9月10日"
    with translation.override("en"):
        assert labels.describe_path(document, "checks[0].min_months") == (
            "Check 1 \u201cSocial insurance\u201d \u203a Minimum months"
        )
        assert labels.show_value(["assistant", "intermediate"]) == "Assistant level, Intermediate level"
        assert labels.show_value("2024-09-10") == "10 Sep 2024"


# --- the authoring pages of a draft, in English ---------------------------------------------------


def _chinese_outside_data(html: str, data_texts: list[str]) -> list[str]:
    """Runs of Chinese on the page that are not pieces of the rule set's own text (its data)."""
    import re

    from tests.test_english import read_text

    runs = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
    known = {run for text in data_texts for run in runs.findall(text)}
    return sorted({run for run in runs.findall(read_text(html)) if run not in known})


@pytest.mark.django_db
def test_the_authoring_pages_of_a_draft_read_in_english(client, admin, shipped):
    """Issue 16: every page a tenant admin uses to change the rules (the draft, a clause of each
    kind, the bench, the comparison, the history, the JSON editor) shows no Chinese in English
    except the rule set's own text, the tenant's name and the people's names."""
    import json

    from django.conf import settings
    from django.urls import reverse

    from rules import services
    from tests.rules.authoring_helpers import four_months_case, social_insurance_index, with_social_insurance_months

    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    draft = services.ruleset_update_draft(rule_set=draft, data=with_social_insurance_months(draft.data, 3), actor=admin)
    draft = services.ruleset_add_case(rule_set=draft, case=four_months_case(), actor=admin)
    from core.models import AuditEvent
    from rules.bench import run_bench

    # Data: the rule sets' own text, the engine's reasons (the engine speaks Chinese, the contract),
    # the audit log (stored in Chinese), names.
    bench = run_bench(draft.data, digest=draft.content_hash)
    data_texts = [json.dumps(draft.data, ensure_ascii=False), json.dumps(shipped.data, ensure_ascii=False),
                  *(json.dumps(o.as_dict(), ensure_ascii=False) for o in bench.outcomes),
                  *(json.dumps(e.detail, ensure_ascii=False) for e in AuditEvent.objects.all()),
                  admin.tenant.name, admin.organisation.name, str(admin), "简体中文"]
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    urls = [
        reverse("rules:ruleset_list"),
        reverse("rules:ruleset_detail", args=[draft.pk]),
        reverse("rules:draft_edit", args=[draft.pk]),
        reverse("rules:bench", args=[draft.pk]),
        reverse("rules:compare", args=[draft.pk]),
        reverse("rules:history", args=[draft.pk]),
        reverse("rules:json_edit", args=[shipped.pk]),
        *(reverse("rules:clause_edit", args=[draft.pk, i]) for i in range(len(draft.data["checks"]))),
    ]
    found = {}
    # A request leaves its language active in the thread: give the next tests back the default.
    with translation.override(settings.LANGUAGE_CODE):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            words = _chinese_outside_data(response.content.decode(), data_texts)
            if words:
                found[url] = words
    assert not found, "\n".join(f"{url}: {words}" for url, words in found.items())
    assert social_insurance_index(draft.data) >= 0
