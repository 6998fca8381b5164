"""REST API of a tenant's document (tenant contract): read it, apply a changed one, and its
declaration windows on their own. Every write goes through ``tenant_apply`` (validated whole, one
transaction, a new version and an audit row when something changed)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.schemas import DocumentError
from units.selectors import get_tenant_for_configuration
from units.tenant_documents import tenant_apply, tenant_export


def _apply(request: Request, document: Any, note: str) -> dict[str, Any]:
    try:
        result = tenant_apply(document=document, actor=request.user, note=note, request=request)
    except DocumentError as error:
        raise ValidationError({error.path: [error.message]}) from None
    return result.as_dict()


@extend_schema(
    summary="租户文档：读取（GET，同 tenant_export）；应用修改后的文档（PUT，同 tenant_apply）",
    request=OpenApiTypes.OBJECT,
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET", "PUT"])
def tenant_document(request: Request, code: str) -> Response:
    tenant = get_tenant_for_configuration(request.user, code)
    if request.method == "GET":
        return Response(tenant_export(tenant=tenant))
    if not isinstance(request.data, dict) or request.data.get("code") != tenant.code:
        raise ValidationError({"code": [gettext("文档的 code 须为“%(code)s”。") % {"code": tenant.code}]})
    return Response(_apply(request, request.data, "接口：应用租户文档"))


@extend_schema(
    summary="申报批次：读取（GET）；整体替换（PUT，一个批次列表，格式同租户文档 windows）",
    request=OpenApiTypes.OBJECT,
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET", "PUT"])
def tenant_windows(request: Request, code: str) -> Response:
    tenant = get_tenant_for_configuration(request.user, code)
    document = tenant_export(tenant=tenant)
    if request.method == "GET":
        return Response(document["windows"])
    windows = request.data.get("windows") if isinstance(request.data, dict) else request.data
    if not isinstance(windows, list):
        raise ValidationError({"windows": [gettext("应为申报批次的列表。")]})
    document["windows"] = windows
    return Response(_apply(request, document, "接口：修改申报批次"))
