from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy


def platform(request):
    return {"platform_name": settings.PLATFORM_NAME}


REVIEWERS = ("department_reviewer", "county_reviewer", "city_reviewer", "tenant_admin", "platform_admin")

# The main navigation per role, as data: (url name, label, the roles that see it). Read top to bottom.
# The labels carry a "navigation" context, so the menu's (mostly plural) English never overrides an
# app's field label of the same Chinese word (core's catalogue comes first among the apps').
NAVIGATION = (
    ("committees:home", pgettext_lazy("navigation", "评审委员会"), ("committee_secretary",)),
    ("committees:results", pgettext_lazy("navigation", "评审结果"), ("committee_secretary",)),
    ("committees:my_meetings", pgettext_lazy("navigation", "我的评审会议"), ("expert",)),
    ("applications:index", pgettext_lazy("navigation", "我的申报"), ("applicant",)),
    ("applications:record", pgettext_lazy("navigation", "个人档案"), ("applicant",)),
    ("certificates:my_certificates", pgettext_lazy("navigation", "我的证书"), ("applicant",)),
    ("units:people", pgettext_lazy("navigation", "申报人员"), ("unit_handler", "unit_head")),
    ("applications:unit_achievements", pgettext_lazy("navigation", "业绩审核"), ("unit_handler", "unit_head")),
    ("review:queue", pgettext_lazy("navigation", "申报审核"), ("unit_handler", "unit_head", *REVIEWERS[:-1])),
    ("units:my_unit", pgettext_lazy("navigation", "本单位"), ("unit_handler", "unit_head")),
    ("applications:unit_roster", pgettext_lazy("navigation", "推荐人员名单报送"), ("unit_handler", "unit_head")),
    ("review:appeals",
     pgettext_lazy("navigation", "申诉复查"),
     ("department_reviewer", "city_reviewer", "tenant_admin")),
    ("review:integrity_list",
     pgettext_lazy("navigation", "诚信档案"),
     ("county_reviewer", "city_reviewer", "tenant_admin")),
    ("units:registrations", pgettext_lazy("navigation", "单位注册审核"), REVIEWERS),
    ("units:people", pgettext_lazy("navigation", "人员"), REVIEWERS),
    ("rules:ruleset_list", pgettext_lazy("navigation", "申报条件"), REVIEWERS),
    ("rules:windows", pgettext_lazy("navigation", "申报批次"), REVIEWERS),
    ("certificates:certificate_list", pgettext_lazy("navigation", "证书"), ("city_reviewer", "tenant_admin")),
    ("certificates:window_documents", pgettext_lazy("navigation", "名单与统计"), ("city_reviewer", "tenant_admin")),
    # The tenant admin keeps the committees' expert pools with the secretary (committees.permissions).
    ("committees:home", pgettext_lazy("navigation", "评审委员会"), ("tenant_admin",)),
    ("committees:results", pgettext_lazy("navigation", "评审结果"), ("city_reviewer", "tenant_admin")),
    ("units:tenant_home", pgettext_lazy("navigation", "地区配置"), ("tenant_admin",)),
    ("units:tenant_list", pgettext_lazy("navigation", "租户管理"), ("platform_admin",)),
    ("accounts:two_factor_staff", pgettext_lazy("navigation", "二次验证"), ("tenant_admin", "platform_admin")),
    ("accounts:service_accounts", pgettext_lazy("navigation", "服务账号"), ("tenant_admin",)),
)


@lru_cache(maxsize=512)
def _links(role: str, tenant_code: str | None, language: str | None) -> tuple[tuple[str, str], ...]:
    """The role's links, reversed and translated once per process for each role, tenant and
    language (issue 18: the navigation was some forty role comparisons and url reversals a page).
    Nothing personal is kept: the tenant's code is the only tenant-specific part (地区配置)."""
    links = [(reverse("dashboard"), str(pgettext_lazy("navigation", "首页")))]
    for name, label, roles in NAVIGATION:
        if role not in roles:
            continue
        if name == "units:tenant_home":
            if not tenant_code:
                continue
            links.append((reverse(name, args=[tenant_code]), str(label)))
        else:
            links.append((reverse(name), str(label)))
    return tuple(links)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    tenant_code = user.tenant.code if user.role == "tenant_admin" and user.tenant_id else None
    return {"navigation": _links(user.role, tenant_code, get_language())}
