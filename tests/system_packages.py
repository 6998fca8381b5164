"""Tests that need an optional system package skip with a visible reason when it is missing, and fail
under REQUIRE_SERVICES=1 (tests/services.py ``unavailable``), like those that need a service.

Installed as a pytest plugin by conftest.py.

- Pango (libpango-1.0-0, libpangoft2-1.0-0): WeasyPrint cannot render at all without it. Any test
  whose code reaches ``certificates.rendering`` for a PDF is skipped at that point (the skip is
  raised through the job and task code, which catch only ``Exception``), whichever module it is in.
- libharfbuzz-subset0 is not needed: without it WeasyPrint subsets fonts with fontTools, slower but
  with the same reproducible bytes; ``.ci/run`` runs the ``bare_machine`` tests once more with it
  hidden (scripts/bare_machine/sitecustomize.py).
- Chromium: the ``browser`` fixture in conftest.py.  zxing-cpp and pypdf are pip packages (test lock).

``bare_machine`` marks the tests that behave differently on such a machine; besides the modules that
carry the marker themselves, the modules listed in BARE_MACHINE_MODULES get it here.
"""

from __future__ import annotations

import pytest

from tests.services import unavailable

BARE_MACHINE_MODULES = ("tests/certificates/test_rendering.py",)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.split("::", 1)[0] in BARE_MACHINE_MODULES:
            item.add_marker(pytest.mark.bare_machine)


@pytest.fixture(autouse=True)
def _pdf_rendering_or_skip():
    # Its own MonkeyPatch: a test's monkeypatch.undo() must not take this away.
    from certificates import rendering

    weasyprint = rendering._weasyprint

    def weasyprint_or_skip():
        reason = rendering.unavailable_reason()
        if reason is not None:
            unavailable("PDF 生成（Pango）", reason)
        return weasyprint()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rendering, "_weasyprint", weasyprint_or_skip)
        yield
