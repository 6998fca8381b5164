from __future__ import annotations

# Every asset is served by the app itself (no CDN), and templates carry no inline script or
# style, so the policy can be strict.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The API docs page (Swagger UI) is served from the app's own static files but builds itself
# with inline script, so it alone gets a relaxed policy.
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = DOCS_CSP if request.path.startswith("/api/docs") else CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


class DatabaseUnavailableMiddleware:
    """When the database is unreachable (restarting, failing over), answer a Chinese 503 page (or
    JSON for the API) with Retry-After instead of a traceback. The request's transaction was rolled
    back, so nothing is half-written; the next request reconnects (``CONN_HEALTH_CHECKS``).

    The page is rendered without context processors: they would query the database again."""

    RETRY_AFTER_SECONDS = 15
    MESSAGE = "系统正在维护或数据库暂时不可用，您的操作未保存。请稍候片刻后重试。"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError, connections

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        import logging

        logging.getLogger(__name__).warning("database unavailable: %s", type(exception).__name__)
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            response = JsonResponse({"detail": self.MESSAGE}, status=503)
        else:
            from django.http import HttpResponse
            from django.template.loader import render_to_string

            response = HttpResponse(render_to_string("core/unavailable.html", {"message": self.MESSAGE}), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response


class RejectNulCharactersMiddleware:
    """PostgreSQL cannot store or compare a string containing NUL (0x00): a query parameter with one
    would reach the database and fail there. Refuse it up front, in one place, with a Chinese 400
    (JSON for the API) naming the parameter. Form fields and serializers refuse NUL on their own."""

    MESSAGE = "请求参数“{name}”含有不允许的空字符（\\0），请删除后重试。"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return self._refuse(request, name.replace("\x00", ""))
        return self.get_response(request)

    def _refuse(self, request, name: str):
        from django.http import HttpResponseBadRequest, JsonResponse

        message = self.MESSAGE.format(name=name[:40])
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
