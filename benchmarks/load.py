"""Load test: gunicorn with the production settings, Locust headless, figures to benchmarks/results/.

    python benchmarks/load.py                    # read + rush + burst (about 6 minutes)
    python benchmarks/load.py --runs 3           # three times, figures as medians (about 20 minutes)
    python benchmarks/load.py --scenario read    # one scenario

Needs ``DATABASE_URL`` pointing at a database filled by ``benchmarks/generate.py --scale full`` (and
``REDIS_URL`` for the cache and broker, as in production). Scenarios and targets (issue #9):

- ``read``: 20 users, reviewers paging their queues and applicants opening 我的申报, at 100,000
  applications: p95 <= 150 ms, p99 <= 400 ms;
- ``rush``: 500 virtual applicants saving drafts and submitting, think time 5-10 s: p95 <= 800 ms,
  errors < 0.1 %, then the database must show zero lost and zero duplicated submissions;
- ``burst``: logged-in applicants all pressing 提交 at once: submissions per second (>= 30).

gunicorn runs as in docker-compose.yml: sync workers (``--workers``, default 2 x cores + 1), persistent
connections with health checks (``DB_CONN_MAX_AGE=600``), ``DJANGO_PRODUCTION=1``. Only the TLS-only
settings are relaxed (``benchmarks/settings_load.py``) because the driver talks plain HTTP to 127.0.0.1,
and staff two-factor is off (``ZC_STAFF_TWO_FACTOR=0``) for the load users. The generated rush
applicants can submit once: each run takes the next 600 unused ones (``--runs 3`` needs
``generate.py --rush 1800``) and the report gives the median over the runs.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from benchmarks import benchenv  # noqa: E402

TARGETS = {
    "read": {"p95_ms": 150, "p99_ms": 400},
    "rush": {"p95_ms": 800, "error_rate_pct": 0.1},
    "burst": {"submits_per_s": 30},
}


def conditions() -> str:
    load = Path("/proc/loadavg").read_text().split()[:3]
    return f"{os.cpu_count()} cores, load average {' / '.join(load)} (1 / 5 / 15 min)"


def server_env(port: int) -> dict[str, str]:
    env = {**os.environ, **benchenv.apply()}
    env.update(
        {
            "DJANGO_PRODUCTION": "1",
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings_load",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ZC_STAFF_TWO_FACTOR": "0",
            "ZC_STATIC_ROOT": env.get("ZC_STATIC_ROOT", "/tmp/zc-bench-static"),
            "DB_CONN_MAX_AGE": env.get("DB_CONN_MAX_AGE", "600"),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


class Server:
    def __init__(self, port: int, workers: int) -> None:
        self.port, self.workers = port, workers
        self.env = server_env(port)
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            # As a deploy does: the code may carry migrations newer than the generated database.
            subprocess.run([str(BIN / "python"), "manage.py", *command, "-v", "0"], cwd=ROOT, env=self.env, check=True)
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                "--worker-class=sync",
                f"--workers={self.workers}",
                "--timeout=60",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)


def locust(host: str, scenario: str, users: int, rate: float, run_time: str, extra_env: dict) -> dict:
    prefix = Path(tempfile.mkdtemp(prefix=f"locust-{scenario}-")) / "run"
    env = {**os.environ, "BENCH_SCENARIO": scenario, **extra_env}
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "--only-summary",
            f"--users={users}",
            f"--spawn-rate={rate}",
            f"--run-time={run_time}",
            f"--host={host}",
            f"--csv={prefix}",
            "--stop-timeout=15",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    out = {}
    for row in rows:
        count = int(row["Request Count"])
        out[row["Name"]] = {
            "requests": count,
            "failures": int(row["Failure Count"]),
            "error_rate_pct": round(100 * int(row["Failure Count"]) / count, 3) if count else 0.0,
            "p50_ms": float(row["50%"] or 0),
            "p95_ms": float(row["95%"] or 0),
            "p99_ms": float(row["99%"] or 0),
            "rps": round(float(row["Requests/s"] or 0), 1),
        }
    return out


def pages_only(stats: dict) -> dict:
    """The aggregate over pages, without the login rows (password hashing is slow on purpose)."""
    return {k: v for k, v in stats.items() if k not in ("Aggregated", "login", "login form")}


def db_check(application_ids: list[int]) -> dict:
    """Lost = confirmed but not submitted in the database; duplicated = more than one revision 1."""
    import psycopg2

    ids = sorted(set(application_ids))
    with psycopg2.connect(os.environ["DATABASE_URL"]) as connection, connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.id, a.status, count(s.id)
            FROM applications_application a LEFT JOIN applications_submission s ON s.application_id = a.id
            WHERE a.id = ANY(%s) GROUP BY a.id, a.status
            """,
            [ids],
        )
        rows = cursor.fetchall()
        cursor.execute(
            """
            SELECT count(*) FROM applications_application a JOIN accounts_user u ON u.id = a.applicant_id
            WHERE u.username LIKE 'bench-rush-%%' AND a.status = 'submitted'
            AND NOT EXISTS (SELECT 1 FROM applications_submission s WHERE s.application_id = a.id)
            """
        )
        orphans = cursor.fetchone()[0]
    lost = len(ids) - sum(1 for _, status, n in rows if status == "submitted" and n >= 1)
    duplicated = sum(1 for _, _, n in rows if n > 1)
    return {
        "confirmed": len(ids),
        "confirmed_twice": len(application_ids) - len(ids),
        "lost": lost,
        "duplicated": duplicated,
        "submitted_without_submission": orphans,
    }


def burst(host: str, first: int, count: int, threads: int) -> dict:
    """Log ``count`` rush applicants in (not timed), then submit all at once from ``threads`` threads."""
    import requests

    link = re.compile(r'href="/applications/(\d+)/"')
    password = os.environ.get("BENCH_PASSWORD", "Zhicheng@2026")

    def prepare(n: int):
        session = requests.Session()
        session.get(f"{host}/accounts/login/")
        session.post(
            f"{host}/accounts/login/",
            data={
                "username": f"bench-rush-{n:05d}",
                "password": password,
                "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
            },
            allow_redirects=False,
        )
        match = link.search(session.get(f"{host}/applications/").text)
        return session, int(match.group(1)) if match else None

    with ThreadPoolExecutor(4) as pool:
        sessions = [s for s in pool.map(prepare, range(first, first + count)) if s[1]]
    ok: list[int] = []
    lock = threading.Lock()
    latencies: list[float] = []

    def submit(item) -> None:
        session, pk = item
        started = time.perf_counter()
        response = session.post(
            f"{host}/applications/{pk}/submit/",
            data={"csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
            allow_redirects=False,
        )
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed * 1000)
            if response.status_code == 302 and response.headers.get("Location", "").endswith("/status/"):
                ok.append(pk)

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(submit, sessions))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "attempted": len(sessions),
        "confirmed": len(ok),
        "seconds": round(wall, 2),
        "submits_per_s": round(len(ok) / wall, 1) if wall else 0.0,
        "p50_ms": round(latencies[len(latencies) // 2], 1) if latencies else 0.0,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1) if latencies else 0.0,
        "db": db_check(ok),
    }


def report(results: dict, args) -> str:
    lines = [
        f"# Load test, {dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"gunicorn {args.workers} sync workers, production settings, PostgreSQL + Redis on the same machine; "
        f"conditions before: {results['conditions_before']}; after: {results['conditions_after']}.",
        "",
        "| scenario | page | requests | p50 ms | p95 ms | p99 ms | rps | errors % |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scenario in ("read", "rush"):
        for name, row in sorted(results.get(scenario, {}).items()):
            lines.append(
                f"| {scenario} | {name} | {row['requests']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | "
                f"{row['p99_ms']:.0f} | {row['rps']} | {row['error_rate_pct']} |"
            )
    if "rush_db" in results:
        lines += ["", f"Rush, database afterwards: {json.dumps(results['rush_db'])}"]
    if "burst" in results:
        lines += ["", f"Burst submit: {json.dumps(results['burst'])}"]
    lines += ["", f"Targets: {json.dumps(TARGETS)}", ""]
    return "\n".join(lines)


def _rush_query(select: str, condition: str) -> int:
    import psycopg2

    with psycopg2.connect(os.environ["DATABASE_URL"]) as connection, connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select} FROM applications_application a JOIN accounts_user u ON u.id = a.applicant_id "
            f"WHERE u.username LIKE 'bench-rush-%%' AND {condition}"
        )
        return cursor.fetchone()[0] or 0


def rush_applicants_used() -> int:
    """Rush applicants are numbered from 1 and used in order: the highest number already submitted."""
    return _rush_query("max(substring(u.username from 12)::int)", "a.status <> 'draft'")


def unsubmitted_rush_applicants() -> int:
    """Drafts numbered after the last one used, that a run can still submit."""
    return _rush_query("count(*)", f"substring(u.username from 12)::int > {rush_applicants_used()}")


def medians(runs: list[dict]) -> dict:
    """Per scenario and page: the median of each figure over the runs, and the p95 range."""
    out: dict = {}
    for scenario in ("read", "rush"):
        pages = sorted({name for run in runs for name in run.get(scenario, {})})
        for name in pages:
            rows = [run[scenario][name] for run in runs if name in run.get(scenario, {})]
            out.setdefault(scenario, {})[name] = {
                **{key: statistics.median(row[key] for row in rows) for key in rows[0] if key != "requests"},
                "requests": sum(row["requests"] for row in rows),
                "p95_min_ms": min(row["p95_ms"] for row in rows),
                "p95_max_ms": max(row["p95_ms"] for row in rows),
            }
    bursts = [run["burst"]["submits_per_s"] for run in runs if "burst" in run]
    if bursts:
        out["burst"] = {"submits_per_s": statistics.median(bursts), "min": min(bursts), "max": max(bursts)}
    return out


def report_runs(runs: list[dict], args) -> str:
    summary = medians(runs)
    lines = [
        f"# Load test, {dt.datetime.now():%Y-%m-%d %H:%M}: median of {len(runs)} runs",
        "",
        f"gunicorn {args.workers} sync workers, production settings, PostgreSQL + Redis on the same machine; "
        f"conditions before the first run: {runs[0]['conditions_before']}; after the last: "
        f"{runs[-1]['conditions_after']}.",
        "",
        "| scenario | page | requests (all runs) | p50 ms | p95 ms | p95 min–max | p99 ms | rps | errors % |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for scenario in ("read", "rush"):
        for name, row in summary.get(scenario, {}).items():
            lines.append(
                f"| {scenario} | {name} | {row['requests']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | "
                f"{row['p95_min_ms']:.0f}–{row['p95_max_ms']:.0f} | {row['p99_ms']:.0f} | {row['rps']} | "
                f"{row['error_rate_pct']} |"
            )
    if "burst" in summary:
        b = summary["burst"]
        lines += ["", f"Burst submit: median {b['submits_per_s']} submits/s (min {b['min']}, max {b['max']})."]
    for index, run in enumerate(runs, 1):
        if "rush_db" in run:
            lines.append(f"Run {index}, rush database afterwards: {json.dumps(run['rush_db'])}")
        if "burst" in run:
            lines.append(f"Run {index}, burst: {json.dumps(run['burst'])}")
    lines += ["", f"Targets: {json.dumps(TARGETS)}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=["all", "read", "rush", "burst"], default="all")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")))
    parser.add_argument("--read-users", type=int, default=20)
    parser.add_argument("--read-time", default="60s")
    parser.add_argument("--rush-users", type=int, default=500)
    parser.add_argument("--rush-time", default="240s")
    parser.add_argument("--burst", type=int, default=100, help="applicants in the submit burst")
    parser.add_argument("--burst-threads", type=int, default=20)
    parser.add_argument(
        "--runs", type=int, default=1, help="repeat every scenario; each run submits its own rush applicants"
    )
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("set DATABASE_URL to the PostgreSQL database filled by benchmarks/generate.py")
    block = args.rush_users + args.burst  # rush applicants one run submits
    needed, ready = block * args.runs, unsubmitted_rush_applicants()
    if args.scenario != "read" and ready < needed:
        parser.error(f"{args.runs} runs need {needed} unsubmitted rush applicants, the database has {ready}: "
                     f"generate with --rush {needed}")
    first = 1 + rush_applicants_used()
    host = f"http://127.0.0.1:{args.port}"
    runs: list[dict] = []
    with Server(args.port, args.workers):
        for index in range(args.runs):
            start = first + index * block
            results: dict = {"conditions_before": conditions()}
            if args.scenario in ("all", "read"):
                results["read"] = locust(host, "read", args.read_users, 5, args.read_time, {})
            if args.scenario in ("all", "rush"):
                log = Path(tempfile.mkstemp(prefix="rush-submits-")[1])
                # Logins cost CPU by design (Argon2id): ramp at 5 per second, as applicants arrive over minutes.
                rush_env = {"BENCH_SUBMIT_LOG": str(log), "BENCH_RUSH_FIRST": str(start)}
                results["rush"] = locust(host, "rush", args.rush_users, 5, args.rush_time, rush_env)
                confirmed = [int(line) for line in log.read_text().split()]
                results["rush_db"] = db_check(confirmed)
            if args.scenario in ("all", "burst"):
                results["burst"] = burst(host, start + args.rush_users, args.burst, args.burst_threads)
            results["conditions_after"] = conditions()
            runs.append(results)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    results = runs[-1] if len(runs) == 1 else {"runs": runs, "median": medians(runs)}
    text = report(runs[0], args) if len(runs) == 1 else report_runs(runs, args)
    stamp = f"{dt.datetime.now():%Y%m%d-%H%M}"
    (out / f"load-{stamp}.md").write_text(text, encoding="utf-8")
    (out / "load-latest.md").write_text(text, encoding="utf-8")
    (out / f"load-{stamp}.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(text)
    return results


if __name__ == "__main__":
    main()
