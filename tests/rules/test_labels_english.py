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
