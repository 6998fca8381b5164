"""Say in one line which optional system packages this machine lacks and what that changes (`make run`).

Prints nothing when everything is there, and always exits 0: none of these stops the site from running.
Looks the libraries up the way WeasyPrint does (cffi ``dlopen`` by name), so what it says is what the
renderer will find; scripts/bare_machine/sitecustomize.py can hide them to try it out.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APT_HINT = "apt-get install"


def _loadable(*names: str) -> bool:
    try:
        import cffi
    except ImportError:
        return False
    ffi = cffi.FFI()
    for name in names:
        try:
            ffi.dlopen(name)
        except OSError:
            continue
        return True
    return False


def missing() -> list[tuple[str, str]]:
    """(Debian packages, what their absence changes), for each optional system package that is missing."""
    from certificates import rendering

    found: list[tuple[str, str]] = []
    if rendering.unavailable_reason() is not None:
        found.append(
            ("libpango-1.0-0 libpangoft2-1.0-0", "no PDFs: forms, certificates, notices and minutes cannot be made")
        )
        subset = _loadable("harfbuzz-subset", "libharfbuzz-subset.so.0")
    else:
        subset = rendering.font_subsetter() == "harfbuzz"
    if not subset:
        found.append(("libharfbuzz-subset0", "PDF fonts subset with fontTools, each render about ten times slower"))
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(chromium).exists() and not shutil.which("chromium"):
        found.append(("chromium", "browser tests skip"))
    return found


def line(found: list[tuple[str, str]]) -> str:
    if not found:
        return ""
    effects = ", ".join(f"{package} ({effect})" for package, effect in found)
    packages = " ".join(package for package, _ in found)
    return f"optional system packages missing: {effects} - {APT_HINT} {packages}"


def main() -> int:
    text = line(missing())
    if text:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
