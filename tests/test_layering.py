"""The house's layering (architecture.md "data only flows down"; issue 13 "the house"): filing does
not import review, review does not render documents (the documents app does), and no services
module imports its own app's tasks (tasks call services; services enqueue by name through
core.outbox.enqueue)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "units", "rules", "applications", "review", "committees", "certificates", "notifications")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def python_files(app: str) -> list[Path]:
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def test_it_keeps_filing_free_of_review():
    offenders = [
        str(p.relative_to(ROOT))
        for p in python_files("applications")
        if any(m == "review" or m.startswith("review.") for m in imported_modules(p))
    ]
    assert offenders == []


def test_it_leaves_rendering_to_the_documents_app():
    offenders = [
        str(p.relative_to(ROOT))
        for p in python_files("review")
        if any(m.startswith("certificates.rendering") for m in imported_modules(p))
    ]
    assert offenders == []


def test_it_has_no_services_module_importing_its_tasks():
    offenders = []
    for app in APPS:
        services = ROOT / app / "services.py"
        if services.exists() and any(m.startswith(f"{app}.tasks") for m in imported_modules(services)):
            offenders.append(app)
    assert offenders == []


def test_it_keeps_rules_free_of_the_other_apps():
    others = [app for app in APPS if app != "rules"]
    offenders = [
        f"{p.relative_to(ROOT)}: {m}"
        for p in python_files("rules")
        for m in imported_modules(p)
        if m.split(".")[0] in others
    ]
    assert offenders == []
