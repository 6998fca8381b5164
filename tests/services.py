"""Tests that need a real service run when it is reachable and skip with a visible reason when
not, except under REQUIRE_SERVICES=1 (CI), where an unreachable service is a failure."""

from __future__ import annotations

import os

import pytest


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def unavailable(service: str, reason: str) -> None:
    message = f"{service} 不可用：{reason}"
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 but {message}", pytrace=False)
    pytest.skip(message)


def redis_reachable(url: str) -> str | None:
    """Return None when Redis answers PING, else the reason it does not."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # any failure means "not reachable"; the reason is reported
        return str(error)
    return None
