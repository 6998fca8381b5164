from __future__ import annotations

from django.urls import path

from rules import api

app_name = "rules_api"

urlpatterns = [
    path("evaluate/", api.EvaluateView.as_view(), name="evaluate"),
    path("rulesets/<slug:code>/materials/", api.MaterialsView.as_view(), name="materials"),
]
