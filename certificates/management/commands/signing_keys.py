"""``manage.py signing_keys``: make sure the platform root CA and every tenant's signing key exist.

Keys are otherwise generated on first use (the first certificate a tenant issues). ``--root-pem``
prints the root certificate, which is all an outside verifier needs to trust.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from certificates import signing
from units.models import Tenant


class Command(BaseCommand):
    help = "生成平台根证书和各租户的签名密钥（已存在的保持不变）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--root-pem", action="store_true", help="只输出平台根证书（PEM）")

    def handle(self, *args, **options) -> None:
        root = signing.platform_root()
        if options["root_pem"]:
            self.stdout.write(root.certificate_pem.strip())
            return
        self.stdout.write(f"平台根证书：{root.subject}，SHA-256指纹 {root.fingerprint}")
        for tenant in Tenant.objects.order_by("code"):
            key = signing.tenant_key(tenant)
            self.stdout.write(f"{tenant.code}：{key.subject}，SHA-256指纹 {key.fingerprint}")
