"""Render and sign 200 certificates in one warm process, as the Celery worker does in a batch.

    .venv/bin/python benchmarks/bench_certificates.py [--count 200]

Each certificate goes through the real path: the HTML with its QR code, WeasyPrint with the shared
FontConfiguration, then the PAdES signature with the tenant's key (decrypted once per process).
The rows live in a throw-away in-memory SQLite database, migrated at start, so nothing touches
the project's data. Targets: under 1 s per certificate; worker memory under 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = ""  # the settings' embedded default; NAME is switched to memory below

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
settings.DATABASES["default"]["NAME"] = ":memory:"

from django.core.management import call_command  # noqa: E402

TARGET_MS = 1000.0
TARGET_MB = 500.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    from django.db import connection

    assert connection.settings_dict["NAME"] == ":memory:", "the benchmark must not touch the project's database"
    call_command("migrate", verbosity=0, interactive=False)

    from certificates import certificate_documents, rendering, signing
    from certificates.models import Certificate
    from units.models import Tenant

    tenant = Tenant.objects.create(
        code="zhengzhou",
        name="郑州市",
        province="河南省",
        authority_name="郑州市人力资源和社会保障局",
        region_code="410100",
    )
    signing.tenant_key(tenant)  # key generation is a one-off, not part of a certificate's cost
    timings: list[float] = []
    rss: list[float] = []
    for n in range(1, args.count + 1):
        certificate = Certificate(
            pk=n,
            tenant=tenant,
            year=2026,
            level="assistant",
            serial=n,
            number=f"4101002026200{n:03d}",
            holder_name=f"王{'小明文静'[n % 4]}{'一二三四五六七八九十'[n % 10]}",
            holder_id_masked="410***********0026",
            title="工程技术助理工程师",
            issuer=tenant.authority_name,
            issued_on=dt.date(2026, 11, 23),
            token=secrets.token_urlsafe(24),
        )
        start = time.perf_counter()
        html = certificate_documents.render_html(certificate, base="https://zc.example.cn")
        pdf = rendering.render_pdf(html)
        signed = signing.sign_pdf(tenant=tenant, pdf_bytes=pdf.content, reason=f"职称证书 {certificate.number}")
        timings.append(round((time.perf_counter() - start) * 1000, 1))
        assert len(signed) > len(pdf.content)
        rss.append(round(peak_rss_mb(), 1))
    check_start = time.perf_counter()
    assert signing.check_pdf(signed).ok
    check_ms = round((time.perf_counter() - check_start) * 1000, 1)
    ordered = sorted(timings)
    median = ordered[len(ordered) // 2]
    print(f"certificate (render + sign): first {timings[0]} ms, median {median} ms, max {ordered[-1]} ms")
    print(f"signature check of one file: {check_ms} ms")
    print(f"peak RSS: after first {rss[0]} MB, at end {rss[-1]} MB")
    verdict = "OK" if median < TARGET_MS and rss[-1] < TARGET_MB else "MISSED"
    print(f"targets (< {TARGET_MS:.0f} ms per certificate, < {TARGET_MB:.0f} MB): {verdict}")
    print(
        json.dumps(
            {
                "benchmark": "certificates",
                "figures": [
                    {"name": "certificate render + PAdES sign", "unit": "ms", "samples": timings},
                    {"name": "signature check", "unit": "ms", "samples": [check_ms]},
                    {"name": "peak RSS", "unit": "MB", "samples": rss},
                ],
            },
            ensure_ascii=False,
        )
    )
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
