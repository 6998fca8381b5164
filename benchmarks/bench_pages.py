"""Pages against the floor, in the same run (issue 18): throughput and p95 of each page as a ratio to a
bare Django view served by the same gunicorn, driven by the same closed-loop driver.

    python benchmarks/bench_pages.py                 # 3 interleaved reps, 20 s per scenario
    python benchmarks/bench_pages.py --reps 1 --seconds 5

Needs ``DATABASE_URL`` on the database filled by ``benchmarks/generate.py --scale full`` (``make bench-data``)
and ``REDIS_URL``; without a PostgreSQL ``DATABASE_URL`` it prints one line saying so and reports nothing.

The server is ``benchmarks/load.py``'s: gunicorn, sync workers (2 x cores + 1), production settings, persistent
connections; ``benchmarks/settings_load.py`` adds the bare views (``benchmarks/bare``): a list of 20 rows of
the 100,000-row applications table by its primary key through a template, and a one-row insert.

The driver is closed-loop: ``--connections`` (20) threads, each with its own keep-alive connection and its
own logged-in session, sending the next request as soon as the last one answered (no think time). The bare
views are called with the same kind of session as the page they stand beside, so both pay the same
middleware. Each rep runs every scenario once, in the same order, so the pairs see the same machine; the
report gives, per page, the median over the reps of its requests/s, its p95, and its ratios to the bare
view of the same rep.

Submits are finite (each applicant submits once): a rep submits ``--submits`` fresh rush applicants of
``generate.py`` from 20 threads (logged in beforehand, not timed) and the database is checked afterwards for
lost and duplicated submissions, as ``load.py`` does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.load import Server, conditions, db_check, rush_applicants_used  # noqa: E402

PASSWORD = os.environ.get("BENCH_PASSWORD", "Zhicheng@2026")
TENANT = "zhengzhou"
# Same-run targets (issue 18): throughput ratio at least, p95 ratio at most.
TARGETS = {
    "read": {"rps_ratio": 0.5, "p95_ratio": 2.0},
    "submit": {"rps_ratio": 0.1},
}
APPLICATION_LINK = re.compile(r'href="/applications/(\d+)/"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One keep-alive connection with its own cookies: what one browser tab is to the server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, bytes]:
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                # gunicorn sync workers close idle keep-alive connections: reconnect once.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), data

    def login(self, username: str) -> bool:
        self.request("GET", "/accounts/login/")
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")},
        )
        return status == 302


def closed_loop(clients: list[Client], plan, seconds: float) -> dict:
    """Each client sends ``plan(client, i)`` back to back for ``seconds``; returns rps, p50, p95, errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def loop(client: Client) -> None:
        i = 0
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < stop:
            method, path, form, ok = plan(client, i)
            started = time.perf_counter()
            status, headers, body = client.request(method, path, form)
            mine.append((time.perf_counter() - started) * 1000)
            if not ok(status, headers, body):
                bad += 1
            i += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return summary(latencies, wall, errors[0])


def summary(latencies: list[float], wall: float, errors: int) -> dict:
    latencies = sorted(latencies)
    n = len(latencies)
    return {
        "requests": n,
        "errors": errors,
        "rps": round((n - errors) / wall, 1) if wall else 0.0,
        "p50_ms": round(latencies[n // 2], 1) if n else 0.0,
        "p95_ms": round(latencies[max(0, int(n * 0.95) - 1)], 1) if n else 0.0,
    }


def ok_200(status, headers, body) -> bool:
    return status == 200


def get(path: str):
    return lambda client, i: ("GET", path, None, ok_200)


def logged_in(port: int, usernames: list[str]) -> list[Client]:
    def one(username: str) -> Client:
        client = Client(port)
        if not client.login(username):
            raise RuntimeError(f"login failed for {username}")
        return client

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, usernames))


def draft_owners(count: int) -> list[tuple[str, int]]:
    """Bulk applicants of the tenant whose application is a draft: their form page is the filing form."""
    import psycopg2

    with psycopg2.connect(os.environ["DATABASE_URL"]) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.username, a.id FROM applications_application a JOIN accounts_user u ON u.id = a.applicant_id "
            "WHERE u.username LIKE %s AND a.status = 'draft' ORDER BY a.id LIMIT %s",
            [f"bench-{TENANT}-%", count],
        )
        return cursor.fetchall()


def submitters(port: int, first: int, count: int) -> list[tuple[Client, int, str]]:
    """``count`` rush applicants from number ``first``, logged in, with their application id and form token."""

    def one(n: int):
        client = Client(port)
        client.login(f"bench-rush-{n:05d}")
        _, _, body = client.request("GET", "/applications/")
        match = APPLICATION_LINK.search(body.decode("utf-8", "replace"))
        pk = int(match.group(1)) if match else 0
        _, _, body = client.request("GET", f"/applications/{pk}/")
        token = CSRF_INPUT.search(body.decode("utf-8", "replace"))
        return client, pk, token.group(1) if token else client.cookies.get("csrftoken", "")

    with ThreadPoolExecutor(4) as pool:
        return [item for item in pool.map(one, range(first, first + count)) if item[1]]


def finite(items: list, connections: int, send, rounds: int = 1) -> tuple[dict, list]:
    """Send every item ``rounds`` times from ``connections`` threads, each thread owning its items (so one
    connection is never used by two threads); returns the summary and the items confirmed."""
    latencies: list[float] = []
    confirmed: list = []
    errors = [0]
    lock = threading.Lock()
    buckets = [items[k::connections] for k in range(connections)]

    def loop(bucket: list) -> None:
        mine, good_ones, bad = [], [], 0
        for _ in range(rounds):
            for item in bucket:
                started = time.perf_counter()
                good = send(item)
                mine.append((time.perf_counter() - started) * 1000)
                if good:
                    good_ones.append(item)
                else:
                    bad += 1
        with lock:
            latencies.extend(mine)
            confirmed.extend(good_ones)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(bucket,)) for bucket in buckets if bucket]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(latencies, time.perf_counter() - started, errors[0]), confirmed


def rep(port: int, args, first_rush: int) -> dict:
    """One rep: every scenario once, each read page right after its bare list."""
    out: dict = {"conditions": conditions()}
    levels = [("city", "城市人社局"), ("county", "县区人社局"), ("department", "主管部门"), ("unit-handler", "单位")]
    bare = get("/bench-bare/list/")
    for suffix, label in levels:
        clients = logged_in(port, [f"{TENANT}-{suffix}"] * args.connections)
        closed_loop(clients, bare, 1)  # warm every worker's connection and caches
        out[f"bare list ({label}会话)"] = closed_loop(clients, bare, args.seconds)
        closed_loop(clients, get("/review/"), 1)
        out[f"reviewer queue: {label}"] = closed_loop(clients, get("/review/"), args.seconds)
    owners = draft_owners(args.connections)
    clients = logged_in(port, [username for username, _ in owners])
    closed_loop(clients, bare, 1)
    out["bare list (申报人会话)"] = closed_loop(clients, bare, args.seconds)
    closed_loop(clients, get("/applications/"), 1)
    out["applicant dashboard"] = closed_loop(clients, get("/applications/"), args.seconds)
    forms = {id(client): pk for client, (_, pk) in zip(clients, owners, strict=True)}

    def form_page(client, i):
        return ("GET", f"/applications/{forms[id(client)]}/", None, ok_200)

    closed_loop(clients, form_page, 1)
    out["application form"] = closed_loop(clients, form_page, args.seconds)

    # Writes: a bare insert and a submit, each by 20 logged-in applicants.
    items = submitters(port, first_rush, args.submits)

    def insert(item) -> bool:
        client, pk, token = item
        status, _, _ = client.request(
            "POST", "/bench-bare/insert/", {"csrfmiddlewaretoken": token, "payload": f"application {pk}"}
        )
        return status == 302

    # The bare insert runs for as long as the submits, from the same sessions, several times each.
    out["bare insert"], _ = finite(items, args.connections, insert, rounds=args.insert_rounds)

    def submit(item) -> bool:
        client, pk, token = item
        status, headers, _ = client.request("POST", f"/applications/{pk}/submit/", {"csrfmiddlewaretoken": token})
        return status == 302 and headers.get("Location", "").endswith("/status/")

    out["submit"], confirmed = finite(items, args.connections, submit)
    out["submit_db"] = db_check([pk for _, pk, _ in confirmed])
    return out


PAIRS = [
    ("reviewer queue: 城市人社局", "bare list (城市人社局会话)", "read"),
    ("reviewer queue: 县区人社局", "bare list (县区人社局会话)", "read"),
    ("reviewer queue: 主管部门", "bare list (主管部门会话)", "read"),
    ("reviewer queue: 单位", "bare list (单位会话)", "read"),
    ("applicant dashboard", "bare list (申报人会话)", "read"),
    ("application form", "bare list (申报人会话)", "read"),
    ("submit", "bare insert", "submit"),
]


def ratios(reps: list[dict]) -> list[dict]:
    rows = []
    for page, base, kind in PAIRS:
        rps = [r[page]["rps"] for r in reps]
        p95 = [r[page]["p95_ms"] for r in reps]
        rps_ratio = [r[page]["rps"] / r[base]["rps"] if r[base]["rps"] else 0.0 for r in reps]
        p95_ratio = [r[page]["p95_ms"] / r[base]["p95_ms"] if r[base]["p95_ms"] else 0.0 for r in reps]
        target = TARGETS[kind]
        row = {
            "page": page,
            "bare": base,
            "rps": statistics.median(rps),
            "p95_ms": statistics.median(p95),
            "bare_rps": statistics.median(r[base]["rps"] for r in reps),
            "bare_p95_ms": statistics.median(r[base]["p95_ms"] for r in reps),
            "rps_ratio": round(statistics.median(rps_ratio), 3),
            "p95_ratio": round(statistics.median(p95_ratio), 2),
            "rps_ratio_min": round(min(rps_ratio), 3),
            "rps_ratio_max": round(max(rps_ratio), 3),
            "errors": sum(r[page]["errors"] for r in reps),
        }
        row["met"] = row["rps_ratio"] >= target["rps_ratio"] and (
            "p95_ratio" not in target or row["p95_ratio"] <= target["p95_ratio"]
        )
        rows.append(row)
    return rows


def report(reps: list[dict], rows: list[dict], args) -> str:
    lines = [
        f"# Pages against the floor, {dt.datetime.now():%Y-%m-%d %H:%M}: median of {len(reps)} interleaved reps",
        "",
        f"gunicorn {args.workers} sync workers, production settings, PostgreSQL + Redis on this machine; "
        f"{args.connections} closed-loop connections, {args.seconds:g} s per read scenario, {args.submits} submits "
        f"per rep. Conditions at the first rep: {reps[0]['conditions']}; at the last: {reps[-1]['conditions']}.",
        "",
        "| page | requests/s | p95 ms | bare requests/s | bare p95 ms | throughput × bare (min–max) | p95 × bare "
        "| target | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        kind = "submit" if row["page"] == "submit" else "read"
        target = TARGETS[kind]
        wanted = f"≥ {target['rps_ratio']}×" + (f", p95 ≤ {target['p95_ratio']}×" if "p95_ratio" in target else "")
        lines.append(
            f"| {row['page']} | {row['rps']:.1f} | {row['p95_ms']:.0f} | {row['bare_rps']:.1f} | "
            f"{row['bare_p95_ms']:.0f} | {row['rps_ratio']:.2f} "
            f"({row['rps_ratio_min']:.2f}–{row['rps_ratio_max']:.2f}) | "
            f"{row['p95_ratio']:.2f} | {wanted} | {'yes' if row['met'] else 'no'} |"
        )
    lines.append("")
    for index, r in enumerate(reps, 1):
        lines.append(f"Rep {index}, submits in the database afterwards: {json.dumps(r['submit_db'])}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--submits", type=int, default=200, help="rush applicants one rep submits")
    parser.add_argument("--insert-rounds", type=int, default=3, help="bare inserts per submitting session")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8766")))
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench_pages: skipped - needs DATABASE_URL on PostgreSQL filled by `make bench-data` (and REDIS_URL)")
        print(json.dumps({"benchmark": "pages", "skipped": "needs DATABASE_URL on PostgreSQL (make bench-data)"}))
        return 0
    first = 1 + rush_applicants_used()
    reps = []
    with Server(args.port, args.workers):
        for index in range(args.reps):
            reps.append(rep(args.port, args, first + index * args.submits))
            print(f"rep {index + 1} of {args.reps} done", file=sys.stderr)
    rows = ratios(reps)
    text = report(reps, rows, args)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    stamp = f"{dt.datetime.now():%Y%m%d-%H%M}"
    (out / f"pages-{stamp}.md").write_text(text, encoding="utf-8")
    (out / "pages-latest.md").write_text(text, encoding="utf-8")
    (out / f"pages-{stamp}.json").write_text(json.dumps({"reps": reps, "rows": rows}, ensure_ascii=False, indent=1))
    print(text)
    figures = []
    for row, page in ((row, row["page"]) for row in rows):
        samples = [r[page]["rps"] / r[row["bare"]]["rps"] for r in reps if r[row["bare"]]["rps"]]
        figures.append({"name": f"{page}: throughput × bare", "unit": "×", "samples": [round(s, 3) for s in samples]})
        figures.append({"name": f"{page}: p95", "unit": "ms", "samples": [r[page]["p95_ms"] for r in reps]})
    print(json.dumps({"benchmark": "pages", "figures": figures}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
