from __future__ import annotations

from django.urls import path

from rules import api

app_name = "rules_api"

urlpatterns = [
    path("evaluate/", api.EvaluateView.as_view(), name="evaluate"),
    path("rulesets/", api.RuleSetVersionsView.as_view(), name="versions"),
    path("rulesets/validate/", api.ValidateView.as_view(), name="validate"),
    path("rulesets/<int:pk>/", api.RuleSetVersionView.as_view(), name="version"),
    path("rulesets/<int:pk>/drafts/", api.DraftCreateView.as_view(), name="draft_create"),
    path("rulesets/<int:pk>/bench/", api.BenchView.as_view(), name="bench"),
    path("rulesets/<int:pk>/cases/", api.CaseCreateView.as_view(), name="case_create"),
    path("rulesets/<int:pk>/publish/", api.PublishView.as_view(), name="publish"),
    path("rulesets/<slug:code>/materials/", api.MaterialsView.as_view(), name="materials"),
]
