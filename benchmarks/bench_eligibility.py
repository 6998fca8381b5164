"""Evaluate one profile repeatedly; the target is under 5 ms on average with rule sets cached.

    .venv/bin/python benchmarks/bench_eligibility.py [--rounds 7] [--iterations 500]

Prints the median of the rounds' averages per rule set, then one JSON line for run_all.py.
No database is needed: the rule sets come from the shipped files, parsed once and cached,
exactly as the commands use them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from rules.catalog import compile_rule_set, shipped_rule_set_documents  # noqa: E402
from rules.engine import evaluate, parse_profile  # noqa: E402

TARGET_MS = 5.0

PROFILE = {
    "as_of": "2024-03-15",
    "target": {"series": "engineering", "level": "assistant"},
    "person": {"birth_date": "1995-03-02", "gender": "M", "civil_servant": False, "retired": False,
               "retirement_extended": False},
    "employment": {"unit_kind": "non_public", "months_in_region": 14, "has_contract": True,
                   "social_insurance_months_in_region": 14, "insured_unit_is_applying_unit": True,
                   "current_post_since": "2022-07-01"},
    "professional_work_since": "2022-07-01",
    "education": [{"level": "junior_college", "graduated_on": "2022-06-30", "full_time": True,
                   "major_related": True, "degree_certificate": True}],
    "skills": [], "titles": [],
    "assessments": [{"year": y, "grade": "qualified"} for y in range(2015, 2030)],
    "continuing_education_hours": {str(y): 90 for y in range(2015, 2030)},
    "sanctions": [], "absences": [],
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--iterations", type=int, default=500)
    args = parser.parse_args()
    worst = 0.0
    figures = []
    for code, document in shipped_rule_set_documents().items():
        rule_set = compile_rule_set(document)
        averages = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            for _ in range(args.iterations):
                # Parsing is part of every request, so it is timed too.
                evaluate(rule_set, parse_profile(PROFILE))
            averages.append((time.perf_counter() - start) * 1000 / args.iterations)
        median = statistics.median(averages)
        figures.append({"name": f"evaluate {code}", "unit": "ms", "samples": [round(a, 4) for a in averages]})
        worst = max(worst, median)
        print(f"{code:28s} median of {args.rounds} rounds: {median:.3f} ms per evaluation")
    verdict = "OK" if worst < TARGET_MS else "TOO SLOW"
    print(f"worst median {worst:.3f} ms (target < {TARGET_MS} ms): {verdict}")
    # Last line: the machine-readable form benchmarks/run_all.py collects.
    print(json.dumps({"benchmark": "eligibility", "figures": figures}, ensure_ascii=False))
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
