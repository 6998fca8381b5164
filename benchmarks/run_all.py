"""Run every benchmark in this folder and write a short report to benchmarks/results/.

Each ``bench_*.py`` is run as its own process (``python benchmarks/bench_x.py``) and prints, as
its last line, one JSON object: ``{"benchmark": "...", "figures": [{"name": "...", "unit": "ms",
"samples": [...]}, ...]}``. Every figure is reported as min / median / max over its samples,
together with the machine it was measured on.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1048576:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    return f"{os.cpu_count()} cores ({cpu}){memory}; Python {platform.python_version()}; {database}"


def run(script: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=False
    )
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    if completed.returncode != 0 or not lines:
        return {"benchmark": script.stem, "error": (completed.stderr or completed.stdout)[-2000:]}
    return json.loads(lines[-1])


def report(results: list[dict]) -> str:
    rows = [
        f"# Benchmarks, {dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Machine: {machine()}",
        "",
        "| benchmark | figure | unit | min | median | max | runs |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        if "error" in result:
            rows.append(f"| {result['benchmark']} | FAILED | | | | | |")
            continue
        if "skipped" in result:
            rows.append(f"| {result['benchmark']} | skipped: {result['skipped']} | | | | | |")
            continue
        for figure in result["figures"]:
            samples = figure["samples"]
            rows.append(
                f"| {result['benchmark']} | {figure['name']} | {figure['unit']} | {min(samples):.3g} | "
                f"{statistics.median(samples):.3g} | {max(samples):.3g} | {len(samples)} |"
            )
    errors = [r for r in results if "error" in r]
    for result in errors:
        rows += ["", f"## {result['benchmark']} failed", "```", result["error"], "```"]
    return "\n".join(rows) + "\n"


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if not scripts:
        print("no benchmarks found", file=sys.stderr)
        return 1
    results = [run(script) for script in scripts]
    text = report(results)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / f"{dt.datetime.now():%Y%m%d-%H%M}.md").write_text(text, encoding="utf-8")
    (out / "latest.md").write_text(text, encoding="utf-8")
    print(text)
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
