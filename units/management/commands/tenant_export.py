"""python manage.py tenant_export CODE   (prints the tenant's current document)"""

from __future__ import annotations

from typing import Any

from rules.management.contract import BadInputError, ContractCommand
from units.models import Tenant
from units.tenant_documents import tenant_export


class Command(ContractCommand):
    help = "输出租户的当前文档（可由 tenant_apply 再次应用；工作人员不含密码）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", metavar="CODE", help="租户代码")

    def run(self, **options: Any) -> dict[str, Any]:
        tenant = Tenant.objects.filter(code=options["code"]).first()
        if tenant is None:
            raise BadInputError(f"CODE: unknown tenant {options['code']!r}（未知租户）")
        return tenant_export(tenant=tenant)
