"""Chinese error pages: what happened and where to go next, for 400, 403, 404, 405, 429 and 500.

Served by the handlers in ``config/urls.py`` (production), by ``ErrorPagesMiddleware`` under DEBUG
(where Django would show its English technical 404 page) and for the bare responses Django answers
with an empty body (405 from ``require_POST``, a 429). API paths keep their JSON errors."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

ERROR_PAGE_ATTRIBUTE = "zc_error_page"


@dataclass(frozen=True)
class ErrorPage:
    title: str
    message: str
    advice: str


PAGES: dict[int, ErrorPage] = {
    400: ErrorPage(
        _("请求有误"),
        _("您提交的内容无法识别，操作未完成。"),
        _("请返回上一页，刷新后重新填写并提交。"),
    ),
    403: ErrorPage(
        _("无权访问"),
        _("您没有权限查看或办理这项内容。"),
        _("请确认登录的是有权限的账号（申报人、单位经办人、审核人员等各用自己的账号）；如需开通权限，请联系所在单位或当地人社部门。"),
    ),
    404: ErrorPage(
        _("页面不存在"),
        _("您要访问的页面不存在，可能是网址有误，或内容已被删除、已不在您的权限范围内。"),
        _("请检查网址，或从首页的菜单重新进入。"),
    ),
    405: ErrorPage(
        _("不能直接打开此地址"),
        _("这个地址只用于提交表单（例如点击页面上的“新建”“提交”按钮），不能在浏览器中直接打开或刷新。"),
        _("请返回上一页，通过页面上的按钮办理。"),
    ),
    429: ErrorPage(
        _("操作过于频繁"),
        _("您在短时间内的操作次数过多，系统已暂时限制访问。"),
        _("请等待几分钟后再试。"),
    ),
    500: ErrorPage(
        _("系统出现错误"),
        _("系统出现错误，您的操作未完成。"),
        _("请稍后重试；如仍有问题，请联系管理员。"),
    ),
}

CSRF_MESSAGE = _("页面已过期或安全校验未通过，您的操作未完成（常见于页面打开过久、在另一窗口退出或重新登录之后）。")
CSRF_ADVICE = _("请返回上一页，刷新页面后重新提交。")


def _back_url(request: HttpRequest | None) -> str:
    """The page the person came from, when it is on this site (never an outside address)."""
    if request is None:
        return ""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and referer != request.build_absolute_uri() and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def render_error_page(
    request: HttpRequest | None,
    status: int,
    *,
    message: str | None = None,
    advice: str | None = None,
    use_database: bool = True,
) -> HttpResponse:
    """The Chinese page for ``status``. ``use_database=False`` renders without context processors
    (the 500 page: the error may be the database itself)."""
    page = PAGES[status]
    user = getattr(request, "user", None) if use_database else None
    context = {
        "status": status,
        "title": page.title,
        "message": message or page.message,
        "advice": advice or page.advice,
        "back_url": _back_url(request),
        "home_url": reverse("home"),
        "login_url": reverse("accounts:login")
        if user is None or not getattr(user, "is_authenticated", False)
        else "",
        "path": request.path if request is not None else "",
    }
    body = render_to_string("core/error.html", context, request if use_database else None)
    response = HttpResponse(body, status=status)
    setattr(response, ERROR_PAGE_ATTRIBUTE, True)
    return response
