from django.urls import path

from review import bureau_views, entrusted_urls, exceptional_views, procedure_urls, publicity_sheet_views, views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk-approve/", views.bulk_approve, name="bulk_approve"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/publicity-sheet/", publicity_sheet_views.publicity_sheet_dates, name="publicity_sheet_dates"),
    path(
        "exceptional/<int:pk>/appraisal/", exceptional_views.exceptional_appraisal, name="exceptional_appraisal"
    ),
    path("export.xlsx", bureau_views.queue_export, name="queue_export"),
    path("statistics/", bureau_views.statistics, name="statistics"),
    path("statistics/export.xlsx", bureau_views.statistics_export, name="statistics_export"),
    path("integrity/", bureau_views.integrity_list, name="integrity_list"),
    path("integrity/add/", bureau_views.integrity_add, name="integrity_add"),
    path("integrity/export.xlsx", bureau_views.integrity_export, name="integrity_export"),
    path("integrity/<int:pk>/lift/", bureau_views.integrity_lift, name="integrity_lift"),
    *procedure_urls.urlpatterns,
    *entrusted_urls.urlpatterns,
]
