"""No city in code (architecture.md §9; issue 13): what makes one tenant differ lives in its tenant
document (tenants/<code>.json), so no seeded tenant's code may appear in application code or
templates. Demo data, tests, benchmarks and the tenant documents themselves may name tenants."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDED_CODES = sorted(json.loads(p.read_text(encoding="utf-8"))["code"] for p in (ROOT / "tenants").glob("*.json"))
EXCLUDED_DIRS = {".venv", "tests", "benchmarks", "tenants", "node_modules", ".git", "var", "migrations", "docs"}
# Demo people and data are allowed to name the tenants they populate.
EXCLUDED_FILES = {"demo.py", "load_demo.py"}
SUFFIXES = {".py", ".html", ".js", ".txt", ".css"}


def application_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if any(part in EXCLUDED_DIRS for part in relative.parts[:-1]) or relative.parts[0] in EXCLUDED_DIRS:
            continue
        if path.is_file() and path.suffix in SUFFIXES and path.name not in EXCLUDED_FILES:
            files.append(path)
    return files


def test_it_ships_the_six_seeded_tenants_as_documents():
    assert SEEDED_CODES == ["bingtuan-division", "huzhou", "kunming-panlong", "tangshan", "xuchang", "zhengzhou"]


def test_it_finds_no_seeded_tenant_code_in_application_code():
    # A code as a whole word; a rule-set code that starts with one is flagged too (it is data as
    # well), while a path to the tenant's own document (tenants/<code>.json) may be cited.
    pattern = re.compile(r"(?<![\w/-])(" + "|".join(re.escape(code) for code in SEEDED_CODES) + r")(?![\w])")
    found = []
    for path in application_files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert found == [], "tenant codes in application code:\n" + "\n".join(found)


def test_it_would_catch_a_tenant_branch(tmp_path):
    pattern = re.compile(r"(?<![\w/-])(" + "|".join(re.escape(code) for code in SEEDED_CODES) + r")(?![\w])")
    assert pattern.search('if tenant.code == "tangshan":')
    assert not pattern.search('"code": "luoyang"')
