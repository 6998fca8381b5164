"""Checks for uploaded files, judged by content (magic bytes and a real parse), never by the
name or the browser's claim. Filing adds per-slot limits on top of these."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
LABELS = {PDF: "PDF", JPEG: "JPG", PNG: "PNG"}
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    pages: int | None = None
    width: int | None = None
    height: int | None = None


def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def check_upload(
    upload: UploadedFile,
    *,
    field: str,
    allowed: tuple[str, ...] = (PDF, JPEG, PNG),
    max_bytes: int = 10 * 1024 * 1024,
    max_pages: int = 50,
) -> CheckedFile:
    name = upload.name or "文件"
    allowed_text = "、".join(LABELS[t] for t in allowed)
    if upload.size == 0:
        raise ValidationError(f"{field}：文件“{name}”是空文件。")
    if upload.size > max_bytes:
        raise ValidationError(
            f"{field}：文件“{name}”大小为{upload.size / 1048576:.1f}MB，超过上限{max_bytes / 1048576:.0f}MB。"
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    kind = sniff(data[:16])
    if kind not in allowed:
        raise ValidationError(f"{field}：文件“{name}”的内容不是{allowed_text}格式，只接受{allowed_text}文件。")
    if kind == PDF:
        return _check_pdf(data, name=name, field=field, max_pages=max_pages)
    return _check_image(data, kind=kind, name=name, field=field)


def _check_pdf(data: bytes, *, name: str, field: str, max_pages: int) -> CheckedFile:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(f"{field}：文件“{name}”设置了密码，请上传未加密的PDF。")
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise ValidationError(f"{field}：文件“{name}”已损坏，无法作为PDF打开。") from None
    if pages == 0:
        raise ValidationError(f"{field}：文件“{name}”没有页面。")
    if pages > max_pages:
        raise ValidationError(f"{field}：文件“{name}”共{pages}页，超过上限{max_pages}页。")
    return CheckedFile(content_type=PDF, size=len(data), pages=pages)


def _check_image(data: bytes, *, kind: str, name: str, field: str) -> CheckedFile:
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    f"{field}：图片“{name}”为{width}×{height}像素，超过上限{MAX_PIXELS // 1_000_000}百万像素。"
                )
            image.verify()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        # Pillow refuses images far past its own limit before we can read their size.
        raise ValidationError(
            f"{field}：图片“{name}”像素数超过上限{MAX_PIXELS // 1_000_000}百万像素，请缩小后重新上传。"
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(f"{field}：图片“{name}”已损坏或无法识别。") from None
    return CheckedFile(content_type=kind, size=len(data), width=width, height=height)
