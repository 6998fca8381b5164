"""Control of the real services for fault tests: stop/start Redis, restart PostgreSQL, start an
extra Celery worker on the test's queue. Skips visibly without services (fails under
REQUIRE_SERVICES=1), like the fixtures in tests/conftest.py."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings

from tests.services import redis_reachable, unavailable

ROOT = Path(__file__).resolve().parent.parent.parent


class RedisControl:
    def __init__(self, url: str, directory: str):
        self.url = url
        self.port = urlparse(url).port
        self.directory = directory

    def stop(self) -> None:
        import redis

        with contextlib.suppress(redis.exceptions.ConnectionError):  # shutdown closes its own connection
            redis.Redis.from_url(self.url, socket_connect_timeout=2).shutdown(nosave=True)
        self._wait(lambda: redis_reachable(self.url) is not None, "Redis did not stop")

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(self.port),
                "--dir", self.directory, "--pidfile", f"{self.directory}/redis.pid",
                "--logfile", f"{self.directory}/redis.log", "--save", "", "--appendonly", "no",
            ],
            check=True,
        )  # fmt: skip
        self._wait(lambda: redis_reachable(self.url) is None, "Redis did not start")

    @staticmethod
    def _wait(condition, message: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        raise AssertionError(message)


@pytest.fixture
def redis_control(redis_url):
    import redis

    directory = redis.Redis.from_url(redis_url).config_get("dir")["dir"]
    control = RedisControl(redis_url, directory)
    yield control
    if redis_reachable(redis_url) is not None:
        control.start()  # never leave Redis down for the next test


class PostgresControl:
    def __init__(self, data_dir: Path, pg_ctl: str):
        self.data_dir = data_dir
        self.pg_ctl = pg_ctl

    def _run(self, *args: str) -> None:
        command = [self.pg_ctl, "-D", str(self.data_dir), *args]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        self._run("-m", "fast", "-w", "-t", "60", "stop")

    def start(self) -> None:
        self._run("-l", str(self.data_dir.parent / "postgres.log"), "-w", "-t", "60", "start")


@pytest.fixture
def postgres_control(postgres):
    """Restart control of the PostgreSQL the tests use; its data directory is PGDATA_DIR/data
    (scripts/services.sh's layout; PGDATA_DIR defaults to /tmp/zc-pg as there)."""
    data_dir = Path(os.environ.get("PGDATA_DIR", "/tmp/zc-pg")) / "data"
    port = postgres.settings_dict["PORT"]
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists() or str(port) not in pid_file.read_text().splitlines()[3:4]:
        unavailable("PostgreSQL 重启控制", f"{data_dir} 不是端口 {port} 的数据目录（请设置 PGDATA_DIR）")
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not bins:
        unavailable("PostgreSQL 重启控制", "找不到 pg_ctl")
    control = PostgresControl(data_dir, str(bins[-1]))
    yield control
    if not pid_file.exists():
        control.start()


@pytest.fixture
def short_visibility(monkeypatch):
    """Workers started after this redeliver an unacknowledged message after 5 seconds (instead of
    an hour), so a killed worker's job comes back within the test."""
    monkeypatch.setenv("ZC_CELERY_VISIBILITY_TIMEOUT", "5")


def start_worker(queue: str, *, log_name: str) -> subprocess.Popen:
    """Another worker process on ``queue`` with the environment of tests/conftest.py's fixture."""
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": django_settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "ZC_PRIVATE_MEDIA_ROOT": str(django_settings.STORAGES["default"]["OPTIONS"]["location"]),
    }
    log = open(ROOT / "var" / f"celery-{queue}-{log_name}.log", "w")  # noqa: SIM115 - owned by the process
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "-c", "1", "-P", "solo",
            "-l", "info", "--without-heartbeat", "--without-gossip", "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip


@pytest.fixture
def extra_workers():
    started: list[subprocess.Popen] = []

    def start(log_name: str) -> subprocess.Popen:
        from config.celery import app

        worker = start_worker(app.conf.task_default_queue, log_name=log_name)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()


def wait_for(condition, *, timeout: float, what: str, workers=()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        for worker in workers:
            assert worker.poll() is None, f"a Celery worker exited while waiting for {what}"
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
