from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dashboard/", core_views.dashboard, name="dashboard"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("units/", include("units.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("rules/", include("rules.urls")),
    path("applications/", include("applications.urls")),
    path("review/", include("review.urls")),
    path("certificates/", include("certificates.urls")),
    path("committees/", include("committees.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/v1/", include("units.api_urls")),
    path("api/v1/rules/", include("rules.api_urls")),
    path("api/v1/applications/", include("applications.api_urls")),
    path("api/v1/review/", include("review.api_urls")),
    path("api/v1/certificates/", include("certificates.api_urls")),
    path("api/v1/committees/", include("committees.api_urls")),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
