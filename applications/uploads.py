"""Per-slot upload limits, built on ``core.uploads`` (which judges files by content).

Each slot states its rules before the upload (``SlotRules.describe``) and the same rules are
checked at once on upload, with a Chinese message that names the file and the limit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
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
        formats = _format_names(self.allowed)
        if self.min_bytes:
            size = _("大小：%(min)s～%(max)s") % {"min": _size(self.min_bytes), "max": _size(self.max_bytes)}
        else:
            size = _("大小：不超过%(max)s") % {"max": _size(self.max_bytes)}
        parts = [_("格式：%(formats)s") % {"formats": formats}, size]
        if PDF in self.allowed:
            parts.append(_("PDF不超过%(pages)s页") % {"pages": self.max_pages})
        if self.min_width or self.min_height:
            parts.append(
                _("不小于%(width)s×%(height)s像素（宽×高）") % {"width": self.min_width, "height": self.min_height}
            )
        else:
            parts.append(_("图片不超过%(mp)s百万像素") % {"mp": self.max_pixels // 1_000_000})
        if self.ratio_min is not None and self.ratio_max is not None:
            parts.append(_("宽高比%(min)s～%(max)s") % {"min": self.ratio_min, "max": self.ratio_max})
        # Translators: the separator between the rules of one upload slot.
        return _("；").join(parts)

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
    return _("%(count)s字节") % {"count": value}


def _format_names(allowed) -> str:
    # Translators: the separator between file format names.
    return _("、").join(str(LABELS[t]) for t in allowed)


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
    name = upload.name or _("文件")
    formats = _format_names(rules.allowed)
    if upload.size and upload.size <= rules.max_bytes:
        upload.seek(0)
        head = upload.read(64 * 1024)
        upload.seek(0)
        kind = sniff(head[:16])
        extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if kind in rules.allowed and extension not in EXTENSIONS[kind]:
            raise ValidationError(
                _("%(label)s：文件“%(name)s”的扩展名与内容不符（内容是%(kind)s），请上传扩展名正确的%(formats)s文件。")
                % {"label": label, "name": name, "kind": LABELS[kind], "formats": formats}
            )
        if kind in (JPEG, PNG) and kind in rules.allowed:
            size = _declared_size(upload, kind)
            if size is not None and size[0] * size[1] > rules.max_pixels:
                raise ValidationError(
                    _("%(label)s：图片“%(name)s”为%(width)s×%(height)s像素，超过上限%(mp)s百万像素。")
                    % {
                        "label": label,
                        "name": name,
                        "width": size[0],
                        "height": size[1],
                        "mp": rules.max_pixels // 1_000_000,
                    }
                )
    checked = check_upload(
        upload, field=label, allowed=rules.allowed, max_bytes=rules.max_bytes, max_pages=rules.max_pages
    )
    if rules.min_bytes and checked.size < rules.min_bytes:
        raise ValidationError(
            _("%(label)s：文件“%(name)s”大小为%(size)s，小于下限%(min)s，请上传更清晰的文件。")
            % {"label": label, "name": name, "size": _size(checked.size), "min": _size(rules.min_bytes)}
        )
    if checked.width is not None and checked.height is not None:
        if checked.width < rules.min_width or checked.height < rules.min_height:
            raise ValidationError(
                _(
                    "%(label)s：图片“%(name)s”为%(width)s×%(height)s像素，须不小于%(min_width)s×%(min_height)s像素（宽×高）。"
                )
                % {
                    "label": label,
                    "name": name,
                    "width": checked.width,
                    "height": checked.height,
                    "min_width": rules.min_width,
                    "min_height": rules.min_height,
                }
            )
        ratio = checked.width / checked.height
        if (
            rules.ratio_min is not None
            and rules.ratio_max is not None
            and not (rules.ratio_min <= ratio <= rules.ratio_max)
        ):
            raise ValidationError(
                _("%(label)s：图片“%(name)s”宽高比为%(ratio).2f，须在%(min)s～%(max)s之间。")
                % {"label": label, "name": name, "ratio": ratio, "min": rules.ratio_min, "max": rules.ratio_max}
            )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return checked, digest.hexdigest()
