from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.services import redis_reachable, unavailable

pytest_plugins = ["tests.id_leak_guard", "tests.system_packages"]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _chinese_first():
    """Each test starts in the project's language and leaves it so: a request in English (the test
    client runs LocaleMiddleware in this thread) would otherwise leave English active for the next test."""
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": "/nonexistent-private/"},
        },
    }
    from config.celery import app

    app.conf.task_always_eager = True
    # Cached values are keyed by row ids; on SQLite ids repeat from test to test, so an in-process
    # cache is emptied for each test. (On PostgreSQL ids never repeat, and Redis also holds the broker.)
    from django.core.cache import cache

    if "locmem" in settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()
    # The rule-set index behind citations is built from whatever the previous test's transaction saw
    # (rolled back since, so no signal said so): each test starts from the database as it is.
    from core import citations

    citations.forget()
    yield


@pytest.fixture
def no_quarterly_window(db):
    """Today outside Zhengzhou's quarterly window (March, June, September and December, days 1-25,
    a recurring window of tenants/zhengzhou.json loaded at migrate), whatever day the suite runs on;
    tests of a closed window use it, and the stored windows they create are all that is open."""
    from rules.models import DeclarationWindow

    DeclarationWindow.objects.filter(recurrence__isnull=False).delete()


@pytest.fixture
def postgres(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        unavailable("PostgreSQL", "DATABASE_URL 未指向 PostgreSQL，测试运行在 SQLite 上")
    return connection


@pytest.fixture
def redis_url():
    url = django_settings.REDIS_URL
    if not url:
        unavailable("Redis", "未设置 REDIS_URL")
    reason = redis_reachable(url)
    if reason:
        unavailable("Redis", reason)
    return url


@pytest.fixture
def celery_worker_process(transactional_db, redis_url):
    """A real `celery worker` process on the test database and the test Redis."""
    from django.db import connection

    if connection.vendor != "postgresql":
        unavailable("Celery worker", "真实工作进程需要与测试共享的 PostgreSQL 数据库")
    from config.celery import app

    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "ZC_PRIVATE_MEDIA_ROOT": str(django_settings.STORAGES["default"]["OPTIONS"]["location"]),
    }
    log = open(ROOT / "var" / f"celery-{queue}.log", "w")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "-c",
            "1",
            "-P",
            "solo",
            "-l",
            "info",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        yield worker
    finally:
        app.conf.task_default_queue = django_settings.CELERY_TASK_DEFAULT_QUEUE
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        unavailable("Chromium", f"找不到 {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        unavailable("Playwright", str(error))
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
