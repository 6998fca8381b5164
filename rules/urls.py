from __future__ import annotations

from django.urls import path

from rules import authoring_views, views

app_name = "rules"

urlpatterns = [
    path("", views.ruleset_list, name="ruleset_list"),
    path("import/", authoring_views.ruleset_import, name="ruleset_import"),
    path("<int:pk>/", views.ruleset_detail, name="ruleset_detail"),
    path("<int:pk>/draft/", authoring_views.draft_start, name="draft_start"),
    path("<int:pk>/edit/", authoring_views.draft_edit, name="draft_edit"),
    path("<int:pk>/checks/new/", authoring_views.clause_new, name="clause_new"),
    path("<int:pk>/checks/<int:index>/", authoring_views.clause_edit, name="clause_edit"),
    path("<int:pk>/checks/<int:index>/delete/", authoring_views.clause_delete, name="clause_delete"),
    path("<int:pk>/json/", authoring_views.json_edit, name="json_edit"),
    path("<int:pk>/download/", authoring_views.json_download, name="json_download"),
    path("<int:pk>/documents/", authoring_views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_pk>/", authoring_views.document_download, name="document_download"),
    path("<int:pk>/documents/<int:document_pk>/remove/", authoring_views.document_detach, name="document_detach"),
    path("<int:pk>/bench/", authoring_views.bench, name="bench"),
    path("<int:pk>/bench/<int:index>/delete/", authoring_views.case_delete, name="case_delete"),
    path("<int:pk>/publish/", authoring_views.publish, name="publish"),
    path("<int:pk>/delete/", authoring_views.draft_delete, name="draft_delete"),
    path("<int:pk>/compare/", authoring_views.compare, name="compare"),
    path("<int:pk>/history/", authoring_views.history, name="history"),
    path("windows/", views.windows, name="windows"),
    path("calendar/", views.calendar, name="calendar"),
]
