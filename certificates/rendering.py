"""PDF rendering with WeasyPrint, in a warm worker.

One ``FontConfiguration`` per process: WeasyPrint keeps every font face it loads, and a fresh
configuration per document grows memory without bound (measured.md). The CJK font ships in the
repository and is referenced by a file:// URL, so a document never depends on the fonts a
machine happens to have installed.

The same snapshot gives the same bytes on either of WeasyPrint's font subsetters: HarfBuzz-Subset
(``libharfbuzz-subset0``, fast) copies the font's ``head`` table as it is, and fontTools (the
fallback when that library is missing, several times slower) would stamp the subset's
``head.modified`` with the current second; the subsets made here keep the shipped font's own date
(``_reproducible_fonttools_subsets``). The PDF's identifier is derived from the HTML, and WeasyPrint
writes no creation date unless the document's own metadata carries one.

WeasyPrint needs Pango (``libpango-1.0-0``, ``libpangoft2-1.0-0``) at all: without it
``render_pdf`` raises ``RenderingUnavailable`` saying so, and ``unavailable_reason()`` tells it
beforehand (``scripts/check_system_packages.py``; the test suite skips rendering tests with it).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

FONT_FAMILY = "ZC Document Sans"
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"

# WeasyPrint logs every layout step at INFO; a worker rendering all day needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_lock = threading.Lock()
_font_config = None
_weasyprint_module = None
_unavailable: str | None = None


class RenderingUnavailable(RuntimeError):
    """WeasyPrint cannot load the system libraries it needs (Pango): no PDF can be made here."""


def _load_weasyprint():
    """Import WeasyPrint once; remember why it cannot be imported, if it cannot."""
    global _weasyprint_module, _unavailable
    if _weasyprint_module is not None or _unavailable is not None:
        return _weasyprint_module
    with _lock:
        if _weasyprint_module is None and _unavailable is None:
            try:
                # WeasyPrint prints a banner to stdout when a library is missing, and warns that
                # HarfBuzz-Subset will be required some day; the reason below says it once.
                with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    import weasyprint
            except OSError as error:
                _unavailable = f"WeasyPrint cannot load Pango ({error}); install libpango-1.0-0 and libpangoft2-1.0-0"
            else:
                _reproducible_fonttools_subsets()
                _weasyprint_module = weasyprint
    return _weasyprint_module


def unavailable_reason() -> str | None:
    """None when PDFs can be rendered in this process, else why not (a missing system library)."""
    _load_weasyprint()
    return _unavailable


def _weasyprint():
    """The WeasyPrint module, or RenderingUnavailable (the test suite turns that into a visible skip)."""
    module = _load_weasyprint()
    if module is None:
        raise RenderingUnavailable(_unavailable)
    return module


def font_subsetter() -> str:
    """Which subsetter WeasyPrint uses here: "harfbuzz" (libharfbuzz-subset0 >= 4.1) or "fonttools"."""
    _weasyprint()
    from weasyprint.text import ffi

    if ffi.harfbuzz_subset and ffi.harfbuzz.hb_version_atleast(4, 1, 0):  # the test in weasyprint/pdf/fonts.py
        return "harfbuzz"
    return "fonttools"


def _reproducible_fonttools_subsets() -> None:
    """Make the fontTools subsetter keep the source font's ``head.modified``.

    WeasyPrint's fallback subsetter opens the font with fontTools' ``TTFont`` and saves the subset,
    and ``TTFont`` recalculates ``head.modified`` to the current time on save by default: two renders
    of one snapshot a second apart then differ in the embedded font (the date and two checksums).
    ``recalcTimestamp=False`` keeps the date the shipped font file carries, as HarfBuzz-Subset does.
    """
    from fontTools.ttLib import TTFont
    from weasyprint.pdf import fonts

    if getattr(fonts, "TTFont", None) is not TTFont:
        return  # already done, or a WeasyPrint that no longer works this way (the tests would tell)

    class ReproducibleTTFont(TTFont):
        def __init__(self, *args, recalcTimestamp=False, **kwargs):
            super().__init__(*args, recalcTimestamp=recalcTimestamp, **kwargs)

    fonts.TTFont = ReproducibleTTFont


def font_configuration():
    """The process's one FontConfiguration, created on first use (importing WeasyPrint is slow)."""
    global _font_config
    if _font_config is None:
        _weasyprint()
        with _lock:
            if _font_config is None:
                from weasyprint.text.fonts import FontConfiguration

                _font_config = FontConfiguration()
    return _font_config


def font_face_css() -> str:
    return f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{FONT_PATH.as_uri()}"); }}'


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int
    sha256: str


def render_pdf(html: str) -> RenderedPdf:
    HTML = _weasyprint().HTML

    config = font_configuration()
    document = HTML(string=html, base_url=str(FONT_PATH.parent)).render(font_config=config)
    # A fixed identifier keeps the bytes reproducible: the same snapshot gives the same file.
    content = document.write_pdf(pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode())
    return RenderedPdf(content=content, pages=len(document.pages), sha256=hashlib.sha256(content).hexdigest())
