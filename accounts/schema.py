"""The API token in the OpenAPI schema (drf-spectacular finds this extension when it is imported)."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.tokens.TokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "zc_…",
            "description": gettext(
                "程序调用：在“接口令牌”页面创建令牌（名称、权限范围、有效期），请求头带 "
                "`Authorization: Bearer <令牌>`。令牌以创建者身份办理，受权限范围限制，每次调用记入审计日志。"
            ),
        }
