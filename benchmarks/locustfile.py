"""Locust scenarios against gunicorn (started by ``benchmarks/load.py``; run that, not this file).

Scenario ``read`` (``BENCH_SCENARIO=read``): reviewers paging their queue and applicants opening
their dashboard at 100,000 applications. Scenario ``rush``: each virtual applicant logs in as its own
``bench-rush-NNNNN`` (complete draft made by ``generate.py``), opens the dashboard and the form, saves
the draft a few times and submits, thinking 5-10 s between steps. Every application that the server
confirmed as submitted is appended to ``BENCH_SUBMIT_LOG`` so ``load.py`` can check the database for
lost or duplicated submissions afterwards.

Logins are reported under their own name ("login"): Argon2id costs ~20 ms of CPU by design, so they are
measured separately from the pages.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading

from locust import HttpUser, between, task

SCENARIO = os.environ.get("BENCH_SCENARIO", "read")
PASSWORD = os.environ.get("BENCH_PASSWORD", "Zhicheng@2026")
SUBMIT_LOG = os.environ.get("BENCH_SUBMIT_LOG", "")
TENANTS = ["zhengzhou", "xuchang", "tangshan", "huzhou", "kunming-panlong"]
REVIEWER_SUFFIXES = ["city", "county", "department", "unit-handler"]
APPLICANTS_PER_TENANT = int(os.environ.get("BENCH_APPLICANTS_PER_TENANT", "20000"))
RUSH_FIRST = int(os.environ.get("BENCH_RUSH_FIRST", "1"))

_counter = itertools.count()
_log_lock = threading.Lock()
APPLICATION_LINK = re.compile(r'href="/applications/(\d+)/"')


def _next() -> int:
    return next(_counter)


class Session(HttpUser):
    abstract = True

    def login(self, username: str) -> bool:
        self.client.get("/accounts/login/", name="login form")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login {username}: HTTP {response.status_code}")
                return False
        return True

    def csrf_headers(self) -> dict[str, str]:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Content-Type": "application/json"}


class Reviewer(Session):
    """Bureau, department and unit reviewers paging their queues (tens of thousands of steps)."""

    weight = 1 if SCENARIO == "read" else 0
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        n = _next()
        self.login(f"{TENANTS[n % len(TENANTS)]}-{REVIEWER_SUFFIXES[(n // len(TENANTS)) % len(REVIEWER_SUFFIXES)]}")

    @task(4)
    def queue(self) -> None:
        self.client.get("/review/", name="reviewer queue")

    @task(1)
    def queue_done(self) -> None:
        self.client.get(f"/review/?status={random.choice(['approved', 'returned', 'rejected'])}", name="reviewer queue")


class Applicant(Session):
    """Applicants opening 我的申报 and the status of their application."""

    weight = 1 if SCENARIO == "read" else 0
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        n = _next()
        tenant = TENANTS[n % len(TENANTS)]
        self.login(f"bench-{tenant}-{random.randrange(APPLICANTS_PER_TENANT):06d}")
        self.application_id = None

    @task
    def dashboard(self) -> None:
        response = self.client.get("/applications/", name="applicant dashboard")
        match = APPLICATION_LINK.search(response.text or "")
        if match:
            self.application_id = match.group(1)


class RushApplicant(Session):
    """One applicant in the last hours of the window: save the draft a few times, then submit."""

    weight = 1 if SCENARIO == "rush" else 0
    wait_time = between(5, 10)

    def on_start(self) -> None:
        self.username = f"bench-rush-{RUSH_FIRST + _next():05d}"
        self.ready = self.login(self.username)
        self.application_id = None
        self.saves = 0
        self.submitted = False
        if self.ready:
            response = self.client.get("/applications/", name="applicant dashboard")
            match = APPLICATION_LINK.search(response.text or "")
            self.application_id = match.group(1) if match else None

    @task
    def step(self) -> None:
        if not self.ready or not self.application_id:
            return
        pk = self.application_id
        if self.submitted:
            self.client.get(f"/applications/{pk}/status/", name="status page")
            return
        if self.saves == 0:
            self.client.get(f"/applications/{pk}/", name="application form")
        if self.saves < 3:
            self.saves += 1
            statement = "本人认真履行岗位职责。" * (10 + self.saves)
            body = {"specialty": f"土木工程{self.saves}", "self_statement": statement}
            with self.client.post(
                f"/applications/{pk}/autosave/",
                data=json.dumps(body, ensure_ascii=False).encode(),
                headers=self.csrf_headers(),
                name="autosave draft",
                catch_response=True,
            ) as response:
                if response.status_code != 200 or not response.json().get("saved"):
                    response.failure(f"autosave: HTTP {response.status_code}")
            return
        with self.client.post(
            f"/applications/{pk}/submit/",
            data={"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
            name="submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and location.endswith("/status/"):
                self.submitted = True
                if SUBMIT_LOG:
                    with _log_lock, open(SUBMIT_LOG, "a", encoding="utf-8") as log:
                        log.write(f"{pk}\n")
            else:
                response.failure(f"submit: HTTP {response.status_code} -> {location}")
