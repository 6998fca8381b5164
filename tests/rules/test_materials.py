"""Materials checklists and the upload rules each slot states before the upload."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from rules.materials import check_photo, check_text, materials_checklist
from tests.rules.helpers import rule_set


def item(code: str, item_id: str, **context):
    context.setdefault("series", "engineering")
    context.setdefault("level", "intermediate")
    items = {i.id: i for i in materials_checklist(rule_set=rule_set(code), **context)}
    return items.get(item_id)


def jpeg(width: int, height: int, *, noise: int = 0) -> bytes:
    image = Image.effect_noise((width, height), noise).convert("RGB") if noise else Image.new("RGB", (width, height))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_it_asks_public_institutions_for_the_post_information_form():
    assert item("huzhou-2020", "post_information", unit_kind="public_institution") is not None
    assert item("huzhou-2020", "post_information", unit_kind="non_public") is None


def test_it_asks_for_the_exceptional_promotion_form_only_when_applying_exceptionally():
    assert item("huzhou-2020", "exceptional_promotion_form") is None
    assert item("huzhou-2020", "exceptional_promotion_form", exceptional_promotion=True).required is True


def test_it_requires_at_least_400_characters_of_achievements_in_kunming():
    slot = item("kunming-panlong-2024q3", "achievements", level="assistant")
    assert check_text(slot, "业" * 399) == ["“主要工作业绩”须不少于400字，现399字"]
    assert check_text(slot, "业" * 400) == []


def test_it_limits_the_huzhou_self_statement_to_1000_characters():
    slot = item("huzhou-2020", "self_statement")
    assert check_text(slot, "述" * 1000) == []
    assert check_text(slot, "述" * 1001)


@pytest.fixture
def photo_slot():
    return item("huzhou-2020", "photo")


def test_it_accepts_a_photo_within_every_huzhou_rule(photo_slot):
    content = jpeg(300, 400, noise=60)
    assert 30 * 1024 <= len(content) < 1024 * 1024
    assert check_photo(photo_slot, content) == []


def test_it_explains_every_photo_problem(photo_slot):
    problems = check_photo(photo_slot, jpeg(400, 300))
    assert any("KB" in p for p in problems)  # too small a file
    assert any("宽高比" in p for p in problems)  # 1.33 is outside 0.65-0.8
    png = io.BytesIO()
    Image.new("RGB", (100, 150)).save(png, "PNG")
    problems = check_photo(photo_slot, png.getvalue())
    assert any("JPG" in p for p in problems)
    assert any("像素" in p for p in problems)
