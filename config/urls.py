from __future__ import annotations

from importlib.util import find_spec

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dashboard/", core_views.dashboard, name="dashboard"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("units/", include("units.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include("units.api_urls")),
]

# Apps add their pages and API here as they land.
for app in ("rules", "applications", "review", "certificates"):
    if find_spec(f"{app}.urls") is not None:
        urlpatterns.append(path(f"{app}/", include(f"{app}.urls")))
    if find_spec(f"{app}.api_urls") is not None:
        urlpatterns.append(path(f"api/v1/{app}/", include(f"{app}.api_urls")))
