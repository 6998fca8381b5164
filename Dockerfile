# syntax=docker/dockerfile:1
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LANG=C.UTF-8

# WeasyPrint runtime (Pango/HarfBuzz) + a CJK font for PDF certificates.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The runtime lock alone (hashed): no test runner, browser driver, load tester or linter in the image.
COPY requirements/runtime.txt requirements/runtime.txt
RUN pip install --require-hashes --no-deps -r requirements/runtime.txt \
    && pip check

COPY . .

# collectstatic (-> /app/var/static, served by WhiteNoise) needs importable production settings;
# these values exist only at build time.
RUN DJANGO_PRODUCTION=1 \
    DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-0123456789 \
    DJANGO_ALLOWED_HOSTS=localhost \
    FIELD_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1rZXktYnVpbGQtb25seS0= \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    REDIS_URL=redis://127.0.0.1:6379/0 \
    python manage.py collectstatic --noinput -v 0 \
    && rm -f /tmp/build.sqlite3

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /app/media /app/var \
    && chown -R app:app /app/media /app/var

USER app
ENV ZC_PRIVATE_MEDIA_ROOT=/app/media
EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind=0.0.0.0:8000", "--worker-class=sync", "--workers=3", "--timeout=60", "--access-logfile=-"]
