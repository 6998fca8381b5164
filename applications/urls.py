from django.urls import path

from applications import views

app_name = "applications"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.application_new, name="new"),
    path("can-i-apply/", views.can_i_apply, name="can_i_apply"),
    path("record/", views.record, name="record"),
    path("record/add/", views.record_entry_add, name="record_entry_add"),
    path("record/<slug:kind>/<int:pk>/edit/", views.record_entry_edit, name="record_entry_edit"),
    path("record/<slug:kind>/<int:pk>/delete/", views.record_entry_delete, name="record_entry_delete"),
    path("achievements/add/", views.achievement_add, name="achievement_add"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/autosave/", views.autosave, name="autosave"),
    path("<int:pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/files/<int:file_pk>/remove/", views.file_remove, name="file_remove"),
    path("<int:pk>/reuse-scan/", views.reuse_scan, name="reuse_scan"),
    path("<int:pk>/precheck/", views.precheck, name="precheck"),
    path("<int:pk>/pledge/", views.pledge, name="pledge"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/revisions/", views.revisions, name="revisions"),
    path("files/<int:pk>/", views.download, name="download"),
    path("unit/achievements/", views.unit_achievements, name="unit_achievements"),
    path("unit/achievements/<int:pk>/decide/", views.unit_achievement_decide, name="unit_achievement_decide"),
    path("unit/<int:pk>/materials/", views.unit_materials, name="unit_materials"),
    path("unit/roster/", views.unit_roster, name="unit_roster"),
    path("unit/<int:pk>/materials/<int:file_pk>/remove/", views.unit_material_remove, name="unit_material_remove"),
    path("exceptional/", views.exceptional_queue, name="exceptional_queue"),
    path("exceptional/<int:pk>/decide/", views.exceptional_decide, name="exceptional_decide"),
]
