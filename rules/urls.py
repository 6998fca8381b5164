from __future__ import annotations

from django.urls import path

from rules import views

app_name = "rules"

urlpatterns = [
    path("", views.ruleset_list, name="ruleset_list"),
    path("<int:pk>/", views.ruleset_detail, name="ruleset_detail"),
    path("windows/", views.windows, name="windows"),
    path("calendar/", views.calendar, name="calendar"),
]
