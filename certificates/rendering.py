"""PDF rendering with WeasyPrint, in a warm worker.

One ``FontConfiguration`` per process: WeasyPrint keeps every font face it loads, and a fresh
configuration per document grows memory without bound (measured.md). The CJK font ships in the
repository and is referenced by a file:// URL, so a document never depends on the fonts a
machine happens to have installed.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

FONT_FAMILY = "ZC Document Sans"
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"

# WeasyPrint logs every layout step at INFO; a worker rendering all day needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_lock = threading.Lock()
_font_config = None


def font_configuration():
    """The process's one FontConfiguration, created on first use (importing WeasyPrint is slow)."""
    global _font_config
    if _font_config is None:
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
    from weasyprint import HTML

    config = font_configuration()
    document = HTML(string=html, base_url=str(FONT_PATH.parent)).render(font_config=config)
    # A fixed identifier keeps the bytes reproducible: the same snapshot gives the same file.
    content = document.write_pdf(pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode())
    return RenderedPdf(content=content, pages=len(document.pages), sha256=hashlib.sha256(content).hexdigest())
