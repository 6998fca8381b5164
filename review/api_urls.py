from django.urls import path

from review import api, procedure_urls

app_name = "review_api"

urlpatterns = [
    path("queue/", api.QueueView.as_view(), name="queue"),
    path("applications/<int:pk>/decide/", api.DecideView.as_view(), name="decide"),
    *procedure_urls.api_urlpatterns,
]
