from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
    MESSAGE = _("系统正在维护或数据库暂时不可用，您的操作未保存。请稍候片刻后重试。")

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

            response = JsonResponse({"detail": str(self.MESSAGE)}, status=503)
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

    MESSAGE = _("请求参数“{name}”含有不允许的空字符（\\0），请删除后重试。")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return self._refuse(request, name.replace("\x00", ""))
        return self.get_response(request)

    def _refuse(self, request, name: str):
        from django.http import HttpResponseBadRequest, JsonResponse

        message = str(self.MESSAGE).format(name=name[:40])
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class ErrorPagesMiddleware:
    """Chinese error pages where Django would answer English or nothing (core/errors.py):

    - under DEBUG, a 404 (a view's ``Http404`` or an unknown address) gets the Chinese page instead
      of Django's technical one (``ZC_TECHNICAL_404=1`` keeps the technical page for debugging);
    - a 403, 404, 405 or 429 with an empty body (``require_POST``'s ``HttpResponseNotAllowed``, a
      bare throttle) gets the page for its status, keeping the status and headers such as
      ``Allow`` and ``Retry-After``.

    Pages already rendered (the handlers', a view's own) and API paths (JSON errors) are left as
    they are. Sits inside the CSP and clickjacking middleware so the page gets their headers."""

    REWRITTEN = frozenset({403, 404, 405, 429})
    KEPT_HEADERS = ("Allow", "Retry-After", "Vary", "Cache-Control")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not self._rewrite(request, response):
            return response
        from core.errors import render_error_page

        page = render_error_page(request, response.status_code)
        for header in self.KEPT_HEADERS:
            if header in response:
                page[header] = response[header]
        for cookie in response.cookies.values():
            page.cookies[cookie.key] = cookie
        return page

    def process_exception(self, request, exception):
        from django.conf import settings
        from django.http import Http404

        if isinstance(exception, Http404) and settings.DEBUG and self._chinese_under_debug(request):
            from core.errors import render_error_page

            return render_error_page(request, 404)
        return None

    @staticmethod
    def _chinese_under_debug(request) -> bool:
        from django.conf import settings

        return not request.path.startswith("/api/") and not getattr(settings, "TECHNICAL_404", False)

    def _rewrite(self, request, response) -> bool:
        from django.conf import settings

        from core.errors import ERROR_PAGE_ATTRIBUTE

        if response.status_code not in self.REWRITTEN or request.path.startswith("/api/"):
            return False
        if getattr(response, ERROR_PAGE_ATTRIBUTE, False) or response.streaming:
            return False
        if not response.content.strip():
            return True
        # Django's technical 404 page (DEBUG): the only non-empty page here not rendered by us.
        return (
            response.status_code == 404
            and settings.DEBUG
            and self._chinese_under_debug(request)
            and response.get("Content-Type", "").startswith("text/html")
        )
