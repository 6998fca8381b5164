"""python manage.py tenant_apply FILE   (FILE may be '-' for stdin; ../shared/spec/tenant-contract.md)"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from core.schemas import DocumentError
from rules.management.contract import BadInputError, ContractCommand
from units.tenant_documents import tenant_apply


def read_document(name: str) -> Any:
    """The JSON document in FILE or on stdin; a syntax error is said as ``$: …`` with its place."""
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInputError(f"FILE: 无法读取文件 {name!r}：{exc.strerror}") from None
    except UnicodeDecodeError:
        raise BadInputError("$: 文件不是 UTF-8 编码的文本") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInputError(f"$: 不是有效的JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）") from None


class Command(ContractCommand):
    help = "校验并应用租户文档：新建租户，或就地更新已有租户（重复应用同一文档不作任何更改）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FILE", help="租户文档（JSON）；'-' 表示从标准输入读取")

    def run(self, **options: Any) -> dict[str, Any]:
        document = read_document(options["file"])
        try:
            result = tenant_apply(document=document, note="tenant_apply 命令")
        except DocumentError as exc:
            raise BadInputError(str(exc)) from None
        return result.as_dict()
