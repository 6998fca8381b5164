from django.urls import path

from review import api, bureau_api, procedure_urls

app_name = "review_api"

urlpatterns = [
    path("queue/", api.QueueView.as_view(), name="queue"),
    path("applications/<int:pk>/decide/", api.DecideView.as_view(), name="decide"),
    path("queue.xlsx", bureau_api.queue_export, name="queue_export"),
    path("statistics.xlsx", bureau_api.statistics_export, name="statistics_export"),
    path("integrity/", bureau_api.integrity, name="integrity"),
    *procedure_urls.api_urlpatterns,
]
