"""Materials checklists as data: what an applicant uploads or writes, per rule set, series,
level and unit kind, with the limits each slot states before the upload (ux.md)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from rules.engine.ruleset import RuleSetData


@dataclass(frozen=True, slots=True)
class MaterialItem:
    id: str
    kind: str  # attachment, text, photo, form
    name: str
    required: bool
    source: str
    note: str = ""
    uploaded_by: str = "applicant"
    rules: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "name": self.name, "required": self.required,
                "source": self.source, "note": self.note, "uploaded_by": self.uploaded_by, "rules": self.rules}


_ITEM_KEYS = {"id", "kind", "name", "required", "source", "note", "uploaded_by", "when"}


def _applies(when: dict[str, Any], *, series: str, level: str, unit_kind: str | None, has_title: bool,
             exceptional_promotion: bool, out_of_province_branch: bool = False) -> bool:
    if "series" in when and series not in when["series"]:
        return False
    if "levels" in when and level not in when["levels"]:
        return False
    if "unit_kinds" in when and unit_kind not in when["unit_kinds"]:
        return False
    if "has_title" in when and bool(when["has_title"]) != has_title:
        return False
    if "out_of_province_branch" in when and bool(when["out_of_province_branch"]) != out_of_province_branch:
        return False
    return not ("exceptional_promotion" in when and bool(when["exceptional_promotion"]) != exceptional_promotion)


def materials_checklist(
    *,
    rule_set: RuleSetData,
    series: str,
    level: str,
    unit_kind: str | None = None,
    has_title: bool = False,
    exceptional_promotion: bool = False,
    out_of_province_branch: bool = False,
) -> list[MaterialItem]:
    """The materials this applicant needs under ``rule_set``, in the document's order.

    ``out_of_province_branch``: the applicant's unit is a branch of an out-of-province company
    (003 三(一)2: the parent company's recommendation report)."""
    items = []
    for raw in rule_set.materials:
        if not _applies(raw.get("when") or {}, series=series, level=level, unit_kind=unit_kind,
                        has_title=has_title, exceptional_promotion=exceptional_promotion,
                        out_of_province_branch=out_of_province_branch):
            continue
        items.append(MaterialItem(
            id=raw["id"], kind=raw["kind"], name=raw["name"], required=bool(raw.get("required", False)),
            source=raw["source"], note=raw.get("note", ""), uploaded_by=raw.get("uploaded_by", "applicant"),
            rules={k: v for k, v in raw.items() if k not in _ITEM_KEYS},
        ))
    return items


def check_text(item: MaterialItem, text: str) -> list[str]:
    """Problems with a text field, in Chinese; characters are counted without whitespace."""
    length = len("".join(text.split()))
    problems = []
    if (minimum := item.rules.get("min_chars")) and length < minimum:
        problems.append(gettext("“%(name)s”须不少于%(limit)s字，现%(n)s字") % {
            "name": item.name, "limit": minimum, "n": length})
    if (maximum := item.rules.get("max_chars")) and length > maximum:
        problems.append(gettext("“%(name)s”限%(limit)s字以内，现%(n)s字") % {
            "name": item.name, "limit": maximum, "n": length})
    return problems


def check_photo(item: MaterialItem, content: bytes) -> list[str]:
    """Problems with an uploaded photo: format, file size, pixels and width/height ratio."""
    from PIL import Image, UnidentifiedImageError

    rules = item.rules
    problems = []
    size = len(content)
    if (low := rules.get("min_bytes")) and size < low:
        problems.append(gettext("照片文件须大于%(limit)sKB，现%(size).1fKB") % {
            "limit": low // 1024, "size": size / 1024})
    if (high := rules.get("max_bytes")) and size >= high:
        problems.append(gettext("照片文件须小于%(limit)sMB，现%(size).2fMB") % {
            "limit": high // 1024 // 1024, "size": size / 1024 / 1024})
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError):
        return [*problems, gettext("无法识别的图片文件，须为JPG或JPEG格式")]
    if (formats := rules.get("formats")) and image_format not in formats:
        problems.append(gettext("照片须为JPG或JPEG格式，现为%(format)s") % {"format": image_format})
    if width < rules.get("min_width", 0) or height < rules.get("min_height", 0):
        problems.append(gettext("照片须不小于%(min_width)s×%(min_height)s像素（宽×高），现%(width)s×%(height)s") % {
            "min_width": rules.get("min_width"), "min_height": rules.get("min_height"),
            "width": width, "height": height})
    ratio = width / height if height else 0
    if "ratio_min" in rules and not rules["ratio_min"] <= ratio <= rules["ratio_max"]:
        problems.append(gettext("照片宽高比须在%(low)s至%(high)s之间，现%(ratio).3f") % {
            "low": rules["ratio_min"], "high": rules["ratio_max"], "ratio": ratio})
    return problems
