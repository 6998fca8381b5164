"""Production settings for a load run on one machine over plain HTTP to 127.0.0.1.

Everything comes from ``config.settings`` with ``DJANGO_PRODUCTION=1`` (DEBUG off, persistent
connections with health checks, Redis cache, manifest static files); only what needs TLS is relaxed,
because the load driver talks to gunicorn directly instead of through the TLS proxy.
"""

from __future__ import annotations

from config.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# The bare floor views (benchmarks/bare), measured in the same server as the pages (issue 18).
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.bare"]  # noqa: F405
ROOT_URLCONF = "benchmarks.urls"
