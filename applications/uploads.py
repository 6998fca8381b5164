"""Per-slot upload limits, built on ``core.uploads`` (which judges files by content).

Each slot states its rules before the upload (``SlotRules.describe``) and the same rules are
checked at once on upload, with a Chinese message that names the file and the limit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import JpegImagePlugin, PngImagePlugin

from core.uploads import JPEG, LABELS, PDF, PNG, CheckedFile, check_upload, sniff

EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}
FORMAT_NAMES = {"PDF": PDF, "JPEG": JPEG, "JPG": JPEG, "PNG": PNG}
MB = 1024 * 1024


@dataclass(frozen=True)
class SlotRules:
    allowed: tuple[str, ...] = (PDF, JPEG, PNG)
    max_bytes: int = 10 * MB
    min_bytes: int = 0
    max_pages: int = 50
    max_pixels: int = 25_000_000
    min_width: int = 0
    min_height: int = 0
    ratio_min: float | None = None
    ratio_max: float | None = None

    def describe(self) -> str:
        formats = "、".join(LABELS[t] for t in self.allowed)
        parts = [
            f"格式：{formats}",
            f"大小：{_size(self.min_bytes) + '～' if self.min_bytes else '不超过'}{_size(self.max_bytes)}",
        ]
        if PDF in self.allowed:
            parts.append(f"PDF不超过{self.max_pages}页")
        if self.min_width or self.min_height:
            parts.append(f"不小于{self.min_width}×{self.min_height}像素（宽×高）")
        else:
            parts.append(f"图片不超过{self.max_pixels // 1_000_000}百万像素")
        if self.ratio_min is not None and self.ratio_max is not None:
            parts.append(f"宽高比{self.ratio_min}～{self.ratio_max}")
        return "；".join(parts)

    @classmethod
    def from_material(cls, material: dict) -> SlotRules:
        allowed = tuple(FORMAT_NAMES[f.upper()] for f in material.get("formats", ())) or cls.allowed
        return cls(
            allowed=allowed,
            # The documents say "大于30K且小于1M": both bounds are exclusive.
            max_bytes=int(material["max_bytes"]) - 1 if material.get("max_bytes") else cls.max_bytes,
            min_bytes=int(material["min_bytes"]) + 1 if material.get("min_bytes") else 0,
            min_width=int(material.get("min_width") or 0),
            min_height=int(material.get("min_height") or 0),
            ratio_min=material.get("ratio_min"),
            ratio_max=material.get("ratio_max"),
        )


DEFAULT_RULES = SlotRules()


def _size(value: int) -> str:
    if value >= 1000 * 1024:
        return f"{round(value / MB, 1):g}MB"
    if value >= 1024:
        return f"{round(value / 1024):d}KB"
    return f"{value}字节"


def _declared_size(upload: UploadedFile, kind: str) -> tuple[int, int] | None:
    """Width and height as the image's header declares them, read by Pillow's JPEG/PNG classes without
    decoding anything - and without ``Image.open``'s own decompression-bomb refusal, so that a huge image
    is refused with its real size. ``None`` when the header cannot be read (``check_upload`` says why)."""
    opener = {JPEG: JpegImagePlugin.JpegImageFile, PNG: PngImagePlugin.PngImageFile}[kind]
    upload.seek(0)
    try:
        with opener(upload) as image:
            return image.size
    except (OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)


def check_slot_upload(upload: UploadedFile, *, label: str, rules: SlotRules = DEFAULT_RULES) -> tuple[CheckedFile, str]:
    """Check one file against a slot's rules; return what was found and the file's sha256."""
    name = upload.name or "文件"
    formats = "、".join(LABELS[t] for t in rules.allowed)
    if upload.size and upload.size <= rules.max_bytes:
        upload.seek(0)
        head = upload.read(64 * 1024)
        upload.seek(0)
        kind = sniff(head[:16])
        extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if kind in rules.allowed and extension not in EXTENSIONS[kind]:
            raise ValidationError(
                f"{label}：文件“{name}”的扩展名与内容不符（内容是{LABELS[kind]}），请上传扩展名正确的{formats}文件。"
            )
        if kind in (JPEG, PNG) and kind in rules.allowed:
            size = _declared_size(upload, kind)
            if size is not None and size[0] * size[1] > rules.max_pixels:
                raise ValidationError(
                    f"{label}：图片“{name}”为{size[0]}×{size[1]}像素，超过上限{rules.max_pixels // 1_000_000}百万像素。"
                )
    checked = check_upload(
        upload, field=label, allowed=rules.allowed, max_bytes=rules.max_bytes, max_pages=rules.max_pages
    )
    if rules.min_bytes and checked.size < rules.min_bytes:
        raise ValidationError(
            f"{label}：文件“{name}”大小为{_size(checked.size)}，小于下限{_size(rules.min_bytes)}，请上传更清晰的文件。"
        )
    if checked.width is not None and checked.height is not None:
        if checked.width < rules.min_width or checked.height < rules.min_height:
            raise ValidationError(
                f"{label}：图片“{name}”为{checked.width}×{checked.height}像素，"
                f"须不小于{rules.min_width}×{rules.min_height}像素（宽×高）。"
            )
        ratio = checked.width / checked.height
        if (
            rules.ratio_min is not None
            and rules.ratio_max is not None
            and not (rules.ratio_min <= ratio <= rules.ratio_max)
        ):
            raise ValidationError(
                f"{label}：图片“{name}”宽高比为{ratio:.2f}，须在{rules.ratio_min}～{rules.ratio_max}之间。"
            )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return checked, digest.hexdigest()
