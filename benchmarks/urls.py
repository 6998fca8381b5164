"""The product's URLs plus the bare floor views (load settings only)."""

from django.urls import path

from benchmarks.bare import views
from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench-bare/list/", views.bare_list),
    path("bench-bare/insert/", views.bare_insert),
    *product_urlpatterns,
]
