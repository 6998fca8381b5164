"""What differs on a machine without the optional system packages (issue 16).

Without libharfbuzz-subset0 WeasyPrint subsets fonts with fontTools, which stamped each subset with
the current time, so two renders of one snapshot differed; both subsetters now give the same bytes
whenever a document is rendered again. Without Pango nothing renders, and a rendering test skips
with the reason (a failure under REQUIRE_SERVICES=1). `.ci/run` runs the ``bare_machine`` tests a
second time with libharfbuzz-subset hidden (scripts/bare_machine/sitecustomize.py); the tests of a
machine without Pango hide it themselves in a subprocess and run once, in the main suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from certificates import rendering
from tests.certificates.helpers import pdf_fonts

ROOT = Path(__file__).resolve().parent.parent
SHIM = ROOT / "scripts" / "bare_machine"
PLAIN_PAGE = (
    f"<html><head><style>{rendering.font_face_css()} body {{ font-family: '{rendering.FONT_FAMILY}'; }}</style>"
    "</head><body><h1>专业技术职务任职资格评审表</h1><p>申报人 王小明 · 工程 · 助理级 ABC 123</p></body></html>"
)


def hidden_libraries() -> set[str]:
    return {name.strip() for name in os.environ.get("ZC_HIDE_LIBRARIES", "").split(",") if name.strip()}


def render_now_and_an_hour_later(html: str, monkeypatch) -> tuple[rendering.RenderedPdf, rendering.RenderedPdf]:
    """Two renders with the wall clock an hour apart, so that any date taken from it shows."""
    first = rendering.render_pdf(html)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3600)
    second = rendering.render_pdf(html)
    monkeypatch.setattr(time, "time", real_time)
    return first, second


def only_our_font_subset_embedded(content: bytes) -> bool:
    fonts = pdf_fonts(content)
    return bool(fonts) and all(fonts.values()) and all(n.split("+")[-1].startswith("ZC-Document-Sans") for n in fonts)


@pytest.mark.bare_machine
def test_the_renderer_uses_the_font_subsetter_this_machine_has():
    subsetter = rendering.font_subsetter()
    if "harfbuzz-subset" in hidden_libraries():
        assert subsetter == "fonttools"  # the bare-machine step really takes the other path
    elif os.environ.get("REQUIRE_SERVICES") == "1":
        assert subsetter == "harfbuzz", ".ci/run installs libharfbuzz-subset0: the fast path must be in use"
    else:
        assert subsetter in {"harfbuzz", "fonttools"}


@pytest.mark.bare_machine
def test_a_page_renders_to_the_same_bytes_an_hour_later(monkeypatch):
    first, second = render_now_and_an_hour_later(PLAIN_PAGE, monkeypatch)
    assert first.content == second.content, f"{rendering.font_subsetter()} subsetting is not reproducible"
    assert only_our_font_subset_embedded(first.content)


@pytest.mark.bare_machine
@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["assessment_form", "evaluation_form"])
def test_each_form_renders_to_the_same_bytes_an_hour_later(kind, monkeypatch):
    from certificates import documents
    from tests.certificates.conftest import file_application

    application, submission = file_application("zhengzhou")
    html = documents.render_html(kind=kind, submission=submission, tenant=application.tenant)
    first, second = render_now_and_an_hour_later(html, monkeypatch)
    assert first.sha256 == second.sha256
    assert first.pages >= 2 and only_our_font_subset_embedded(first.content)


@pytest.mark.bare_machine
@pytest.mark.django_db
def test_a_certificate_with_its_qr_code_renders_to_the_same_bytes_an_hour_later(monkeypatch):
    from certificates import certificate_documents
    from tests.certificates.helpers import approved_application, certificate_for

    certificate = certificate_for(approved_application())
    html = certificate_documents.render_html(certificate, base="https://zhicheng.example.gov.cn")
    first, second = render_now_and_an_hour_later(html, monkeypatch)
    assert first.sha256 == second.sha256
    assert only_our_font_subset_embedded(first.content)


def run_with_hidden(libraries: str, command: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in {"REQUIRE_SERVICES", "PYTHONPATH"}}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SHIM), os.environ.get("PYTHONPATH", "")]))
    environment["ZC_HIDE_LIBRARIES"] = libraries
    environment.update(env)
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)


PLAIN_TEST = "tests/test_bare_machine.py::test_a_page_renders_to_the_same_bytes_an_hour_later"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", PLAIN_TEST]


def test_without_pango_a_rendering_test_skips_with_the_reason():
    result = run_with_hidden("pango", PYTEST)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "PDF 生成（Pango） 不可用" in result.stdout and "libpango-1.0-0" in result.stdout


def test_without_pango_a_rendering_test_fails_under_require_services():
    result = run_with_hidden("pango", PYTEST, REQUIRE_SERVICES="1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "REQUIRE_SERVICES=1 but PDF 生成（Pango） 不可用" in result.stdout


def test_without_pango_render_pdf_says_which_packages_are_missing():
    code = (
        "from certificates import rendering\n"
        "assert 'libpango-1.0-0' in rendering.unavailable_reason()\n"
        "try:\n    rendering.render_pdf('<p>x</p>')\n"
        "except rendering.RenderingUnavailable as error:\n    print('refused:', error)\n"
    )
    result = run_with_hidden("pango", [sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("refused: WeasyPrint cannot load Pango")
    assert "-----" not in result.stdout  # WeasyPrint's own banner is not printed


def test_make_run_says_in_one_line_what_is_missing_and_what_it_changes(tmp_path):
    script = [sys.executable, str(ROOT / "scripts" / "check_system_packages.py")]
    result = run_with_hidden("pango,harfbuzz-subset", script, CHROMIUM_PATH=str(tmp_path / "none"), PATH=str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    for package in ("libpango-1.0-0", "libharfbuzz-subset0", "chromium"):
        assert package in lines[0]
    assert "no PDFs" in lines[0] and "ten times slower" in lines[0] and "browser tests skip" in lines[0]

    result = run_with_hidden("harfbuzz-subset", script, CHROMIUM_PATH=str(tmp_path / "none"), PATH=str(tmp_path))
    assert "libpango" not in result.stdout and "libharfbuzz-subset0" in result.stdout
