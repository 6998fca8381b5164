"""Upload attack corpus: every file here is refused with a Chinese message naming the field, and
nothing is stored (no attachment row, no file on disk). Files are judged by ``core/uploads.py``."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from applications import services
from applications.models import ApplicationFile, Attachment
from core.uploads import check_upload, check_zip_container
from tests.applications.helpers import IN_WINDOW, jpeg_bytes, pdf_bytes
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory

pytestmark = pytest.mark.django_db


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bytes(width: int, height: int, *, extra: bytes = b"", idat: bytes | None = None) -> bytes:
    """A well-formed PNG whose IHDR declares ``width``×``height``; the pixel data may be tiny."""
    if idat is None:
        raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
        idat = zlib.compress(raw, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + extra
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def jpeg_with_size(width: int, height: int) -> bytes:
    """A small real JPEG whose SOF header is patched to declare ``width``×``height``."""
    data = bytearray(jpeg_bytes(40, 40))
    index = data.index(b"\xff\xc0")
    data[index + 5 : index + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def pdf_with(setup) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    setup(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _document_javascript(writer: PdfWriter) -> None:
    from pypdf.actions import JavaScript

    writer.add_open_action(JavaScript("app.alert(1)"))


def _open_action(writer: PdfWriter) -> None:
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )


def _launch_annotation(writer: PdfWriter) -> None:
    from pypdf.generic import ArrayObject, FloatObject

    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(100), FloatObject(100)]),
            NameObject("/A"): action,
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _hex_escaped_javascript() -> bytes:
    """``/JavaScript`` written as ``/J#61vaScript`` (a classic filter evasion)."""
    data = pdf_with(_document_javascript)
    return data.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
ZIP = zip_bytes({"payload.exe": b"MZ" + b"\x90" * 400})

CORPUS = [
    ("JPG与ZIP混合", "劳动合同.jpg", jpeg_bytes() + ZIP, "与压缩包的混合文件"),
    ("PDF后附ZIP", "劳动合同.pdf", pdf_bytes() + ZIP, "与压缩包的混合文件"),
    ("PDF与网页混合（头部）", "劳动合同.pdf", pdf_bytes().replace(b"\n", b"\n%" + HTML + b"\n", 1), "与网页的混合文件"),
    ("PDF与网页混合（尾部）", "劳动合同.pdf", pdf_bytes() + b"\n" + HTML, "与网页的混合文件"),
    ("PNG内嵌网页", "劳动合同.png", png_bytes(40, 40, extra=_chunk(b"tEXt", b"c\x00" + HTML)), "与网页的混合文件"),
    ("PNG尾部附带数据", "劳动合同.png", png_bytes(40, 40) + b"\x00" * 400, "附带了400字节的其他数据"),
    ("可执行文件冒充PDF", "劳动合同.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500, "的内容不是PDF、JPG、PNG格式"),
    ("ZIP冒充PDF", "劳动合同.pdf", ZIP, "的内容不是PDF、JPG、PNG格式"),
    ("GIF冒充PNG", "劳动合同.png", b"GIF89a" + b"\x00" * 200, "的内容不是PDF、JPG、PNG格式"),
    ("网页冒充JPG", "劳动合同.jpg", HTML, "的内容不是PDF、JPG、PNG格式"),
    ("SVG冒充PNG", "劳动合同.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>', "的内容不是"),
    ("PNG解压炸弹", "劳动合同.png", png_bytes(100_000, 100_000, idat=zlib.compress(b"\x00" * 100_000)), "百万像素"),
    ("JPG超大像素", "劳动合同.jpg", jpeg_with_size(60_000, 60_000), "百万像素"),
    ("PDF含JavaScript", "劳动合同.pdf", pdf_with(_document_javascript), "含有脚本或自动执行的动作"),
    ("PDF含OpenAction", "劳动合同.pdf", pdf_with(_open_action), "含有脚本或自动执行的动作"),
    ("PDF含Launch", "劳动合同.pdf", pdf_with(_launch_annotation), "含有脚本或自动执行的动作（Launch）"),
    ("PDF名称转义的JavaScript", "劳动合同.pdf", _hex_escaped_javascript(), "含有脚本或自动执行的动作"),
    ("PDF内嵌文件", "劳动合同.pdf", pdf_with(lambda w: w.add_attachment("a.exe", b"MZ")), "含有脚本或自动执行的动作"),
    ("路径穿越（反斜杠）", "..\\..\\windows\\劳动合同.pdf", pdf_bytes(), "含有路径字符"),
    ("隐藏文件名", ".htaccess.pdf", pdf_bytes(), "含有路径字符"),
    ("文件名含NUL", "劳动合同\x00.pdf", pdf_bytes(), "含有控制字符"),
    ("文件名含换行", "劳动合同\r\nSet-Cookie.pdf", pdf_bytes(), "含有控制字符"),
    ("文件名含反向字符", "劳动合同\u202efdp.exe.pdf", pdf_bytes(), "含有控制字符"),
    ("文件名过长", "劳" * 250 + ".pdf", pdf_bytes(), "超过上限200个字符"),
]


@pytest.fixture
def draft():
    unit = OrganisationFactory(tenant=TenantFactory(code="zhengzhou", name="郑州市"))
    applicant = ApplicantFactory(organisation=unit)
    return services.application_create(actor=applicant, series="engineering", level="assistant", at=IN_WINDOW)


def _files_on_disk() -> list[str]:
    from django.core.files.storage import default_storage

    try:
        return list(default_storage.walk("applications"))
    except FileNotFoundError:
        return []


@pytest.mark.parametrize(("case", "name", "data", "message"), CORPUS, ids=[case for case, *_ in CORPUS])
def test_it_refuses_each_attack_file_with_a_chinese_message_and_stores_nothing(draft, case, name, data, message):
    upload = SimpleUploadedFile(name, data)
    if upload.name != name:  # pragma: no cover - Django itself would have sanitised the name
        pytest.fail(f"Django changed the name {name!r} to {upload.name!r}")
    with pytest.raises(ValidationError) as caught:
        services.application_upload(actor=draft.applicant, application=draft, slot="labour_contract", upload=upload)
    text = " ".join(caught.value.messages)
    assert text.startswith("劳动合同："), text
    assert message in text, text
    assert ApplicationFile.objects.count() == 0 and Attachment.objects.count() == 0
    assert _files_on_disk() == []


def test_it_still_accepts_ordinary_files():
    for name, data in (("a.pdf", pdf_bytes(2)), ("a.jpg", jpeg_bytes()), ("a.png", png_bytes(60, 40))):
        assert check_upload(SimpleUploadedFile(name, data), field="材料").size == len(data)


def test_it_refuses_a_zip_bomb_by_its_declared_sizes_before_decompressing():
    bomb = zip_bytes({"xl/worksheets/sheet1.xml": b"\x00" * (60 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024
    with pytest.raises(ValidationError) as caught:
        check_zip_container(SimpleUploadedFile("花名册.xlsx", bomb), field="花名册")
    assert "疑似压缩炸弹" in caught.value.messages[0] and "花名册：" in caught.value.messages[0]


def test_it_refuses_a_zip_with_paths_leaving_its_directory():
    archive = zip_bytes({"../../etc/cron.d/x": b"* * * * * root sh"})
    with pytest.raises(ValidationError, match="越出目录"):
        check_zip_container(SimpleUploadedFile("花名册.xlsx", archive), field="花名册")


def test_it_accepts_an_ordinary_xlsx_container():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    check_zip_container(SimpleUploadedFile("花名册.xlsx", buffer.getvalue()), field="花名册")
