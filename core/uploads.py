"""Checks for uploaded files, judged by content (magic bytes and a real parse), never by the
name or the browser's claim. Filing adds per-slot limits on top of these."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from PIL import Image

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
LABELS = {PDF: "PDF", JPEG: "JPG", PNG: "PNG"}
MAX_PIXELS = 40_000_000
MAX_NAME_LENGTH = 200
# Active content a PDF may carry: scripts, actions run on opening, launching programs, forms that
# send data away, embedded files and rich media. Scanned certificates and diplomas need none.
PDF_ACTIVE_NAMES = (
    "JavaScript",
    "JS",
    "Launch",
    "OpenAction",
    "AA",
    "EmbeddedFile",
    "EmbeddedFiles",
    "RichMedia",
    "SubmitForm",
    "ImportData",
    "GoToE",
    "XFA",
)
PDF_ACTIVE_PATTERN = re.compile(rb"/(" + b"|".join(n.encode() for n in PDF_ACTIVE_NAMES) + rb")(?=[\s/<>\[\]()%]|$)")
MARKUP_PATTERN = re.compile(rb"<\s*(html|script|svg|iframe|body|object|embed|!doctype)\b", re.IGNORECASE)
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x01\x02")


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
    name = upload.name or pgettext("an upload without a name", "文件")
    check_file_name(name, field=field)
    allowed_text = pgettext("enumeration", "、").join(LABELS[t] for t in allowed)
    if upload.size == 0:
        raise ValidationError(_("%(field)s：文件“%(name)s”是空文件。") % {"field": field, "name": name})
    if upload.size > max_bytes:
        raise ValidationError(
            _("%(field)s：文件“%(name)s”大小为%(size).1fMB，超过上限%(limit).0fMB。")
            % {"field": field, "name": name, "size": upload.size / 1048576, "limit": max_bytes / 1048576}
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    kind = sniff(data[:16])
    if kind not in allowed:
        raise ValidationError(
            _("%(field)s：文件“%(name)s”的内容不是%(allowed)s格式，只接受%(allowed)s文件。")
            % {"field": field, "name": name, "allowed": allowed_text}
        )
    _check_not_polyglot(data, kind=kind, name=name, field=field)
    if kind == PDF:
        return _check_pdf(data, name=name, field=field, max_pages=max_pages)
    return _check_image(data, kind=kind, name=name, field=field)


def check_file_name(name: str, *, field: str) -> None:
    """Refuse names that try to leave the upload directory or hide characters (the stored name never
    uses them, but they are shown and sent back in downloads)."""
    shown = name.encode("unicode_escape").decode("ascii")[:60]
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise ValidationError(
            _("%(field)s：文件名“%(name)s”含有控制字符，请改名后重新上传。")
            % {"field": field, "name": shown}
        )
    if "/" in name or "\\" in name or ".." in name or name.startswith(".") or ":" in name:
        raise ValidationError(
            _("%(field)s：文件名“%(name)s”含有路径字符（/、\\、..、:），请改名后重新上传。")
            % {"field": field, "name": name[:60]}
        )
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            _("%(field)s：文件名长度为%(length)s个字符，超过上限%(limit)s个字符。")
            % {"field": field, "length": len(name), "limit": MAX_NAME_LENGTH}
        )


def _check_not_polyglot(data: bytes, *, kind: str, name: str, field: str) -> None:
    """A file must be one thing: no ZIP archive or web page hidden in or after a PDF or image."""
    label = LABELS[kind]
    tail = data[-(65536 + 22) :]
    if any(signature in tail for signature in ZIP_SIGNATURES) or (
        kind != PDF and any(signature in data for signature in ZIP_SIGNATURES)
    ):
        raise ValidationError(
            _("%(field)s：文件“%(name)s”是%(kind)s与压缩包的混合文件，不予接受，请上传普通的%(kind)s文件。")
            % {"field": field, "name": name, "kind": label}
        )
    if kind == PDF:
        end = data.rfind(b"%%EOF")
        if MARKUP_PATTERN.search(data[:1024]) or (end >= 0 and MARKUP_PATTERN.search(data[end:])):
            raise ValidationError(
                _("%(field)s：文件“%(name)s”是PDF与网页的混合文件，不予接受，请上传普通的PDF文件。")
                % {"field": field, "name": name}
            )
        return
    if MARKUP_PATTERN.search(data):
        raise ValidationError(
            _("%(field)s：文件“%(name)s”是%(kind)s与网页的混合文件，不予接受，请上传普通的%(kind)s文件。")
            % {"field": field, "name": name, "kind": label}
        )
    trailer = _image_trailing_bytes(data, kind)
    if trailer > 16:
        raise ValidationError(
            _("%(field)s：文件“%(name)s”在%(kind)s图片结束后还附带了%(bytes)s字节的其他数据，不予接受，请重新导出图片后上传。")
            % {"field": field, "name": name, "kind": label, "bytes": trailer}
        )


def _image_trailing_bytes(data: bytes, kind: str) -> int:
    if kind == PNG:
        end = data.rfind(b"IEND")
        return 0 if end < 0 else max(0, len(data) - (end + 8))
    end = data.rfind(b"\xff\xd9")
    return 0 if end < 0 else len(data) - (end + 2)


def _pdf_active_content(data: bytes, reader) -> str | None:
    """The first kind of active content found, from the raw bytes (names decoded from #xx escapes)
    and from the parsed document (which also sees inside compressed object streams)."""
    decoded = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), data)
    found = PDF_ACTIVE_PATTERN.search(decoded)
    if found:
        return found.group(1).decode()
    root = reader.trailer.get("/Root")
    root = root.get_object() if root is not None else {}
    for key in ("/OpenAction", "/AA", "/AcroForm"):
        if key in root and (key != "/AcroForm" or "/XFA" in root[key].get_object()):
            return key.lstrip("/")
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                return key.lstrip("/")
    for page in reader.pages:
        if "/AA" in page:
            return "AA"
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if action is not None and action.get_object().get("/S") in ("/JavaScript", "/Launch", "/SubmitForm"):
                return str(action.get_object().get("/S")).lstrip("/")
    return None


def _check_pdf(data: bytes, *, name: str, field: str, max_pages: int) -> CheckedFile:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("%(field)s：文件“%(name)s”设置了密码，请上传未加密的PDF。")
                % {"field": field, "name": name}
            )
        pages = len(reader.pages)
        active = _pdf_active_content(data, reader)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise ValidationError(
            _("%(field)s：文件“%(name)s”已损坏，无法作为PDF打开。") % {"field": field, "name": name}
        ) from None
    if active:
        raise ValidationError(
            _("%(field)s：文件“%(name)s”含有脚本或自动执行的动作（%(active)s），不予接受，请另存为普通PDF或扫描件后上传。")
            % {"field": field, "name": name, "active": active}
        )
    if pages == 0:
        raise ValidationError(_("%(field)s：文件“%(name)s”没有页面。") % {"field": field, "name": name})
    if pages > max_pages:
        raise ValidationError(
            _("%(field)s：文件“%(name)s”共%(pages)s页，超过上限%(limit)s页。")
            % {"field": field, "name": name, "pages": pages, "limit": max_pages}
        )
    return CheckedFile(content_type=PDF, size=len(data), pages=pages)


def _check_image(data: bytes, *, kind: str, name: str, field: str) -> CheckedFile:
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("%(field)s：图片“%(name)s”为%(width)s×%(height)s像素，超过上限%(limit)s百万像素。")
                    % {"field": field, "name": name, "width": width, "height": height, "limit": MAX_PIXELS // 1_000_000}
                )
            image.verify()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        # Pillow refuses images far past its own limit before we can read their size.
        raise ValidationError(
            _("%(field)s：图片“%(name)s”像素数超过上限%(limit)s百万像素，请缩小后重新上传。")
            % {"field": field, "name": name, "limit": MAX_PIXELS // 1_000_000}
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("%(field)s：图片“%(name)s”已损坏或无法识别。")
            % {"field": field, "name": name}
        ) from None
    return CheckedFile(content_type=kind, size=len(data), width=width, height=height)


def check_zip_container(
    upload: UploadedFile,
    *,
    field: str,
    max_uncompressed: int = 50 * 1024 * 1024,
    max_ratio: int = 100,
    max_members: int = 2000,
) -> None:
    """An Office file (.xlsx) is a ZIP archive: refuse archive bombs by their declared sizes before
    anything decompresses them."""
    name = upload.name or pgettext("an upload without a name", "文件")
    check_file_name(name, field=field)
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(
            _("%(field)s：文件“%(name)s”已损坏，无法作为压缩格式打开。") % {"field": field, "name": name}
        ) from None
    finally:
        upload.seek(0)
    if len(members) > max_members:
        raise ValidationError(
            _("%(field)s：文件“%(name)s”内含%(count)s个文件，超过上限%(limit)s个。")
            % {"field": field, "name": name, "count": len(members), "limit": max_members}
        )
    total = sum(member.file_size for member in members)
    compressed = sum(member.compress_size for member in members) or 1
    if total > max_uncompressed or total / compressed > max_ratio:
        raise ValidationError(
            _(
                "%(field)s：文件“%(name)s”解压后为%(size).1fMB（压缩比%(ratio)s:1），"
                "超过上限%(limit).0fMB或%(max_ratio)s:1，疑似压缩炸弹，不予接受。"
            )
            % {
                "field": field, "name": name, "size": total / 1048576, "ratio": total // compressed,
                "limit": max_uncompressed / 1048576, "max_ratio": max_ratio,
            }
        )
    for member in members:
        if member.filename.startswith("/") or ".." in member.filename.split("/"):
            raise ValidationError(
                _("%(field)s：文件“%(name)s”内含越出目录的路径“%(path)s”，不予接受。")
                % {"field": field, "name": name, "path": member.filename[:60]}
            )
