"""The environment shared by ``generate.py`` and ``load.py``: bench-only keys (never used anywhere
else), so rows encrypted by the generator decrypt in the gunicorn the load driver starts."""

from __future__ import annotations

import os

BENCH_ENV = {
    "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-0f3a9c1e5b7d2f4a6c8e0b1d3f5a7c9e",
    # Fernet key for the bench database only (base64 of 32 bytes).
    "FIELD_ENCRYPTION_KEYS": "YmVuY2gtb25seS1maWVsZC1rZXktMzItYnl0ZXMhISE=",
    "ID_HASH_KEY": "bench-only-id-hash-key",
    "ZC_PRIVATE_MEDIA_ROOT": "/tmp/zc-bench-media",
}


def apply() -> dict[str, str]:
    """Set the bench values that the caller's environment does not already set."""
    for key, value in BENCH_ENV.items():
        os.environ.setdefault(key, value)
    return {key: os.environ[key] for key in BENCH_ENV}
