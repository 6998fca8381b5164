from django.urls import path

from certificates import api

app_name = "certificates_api"

urlpatterns = [
    path("applications/<int:pk>/documents/", api.document_request, name="document_request"),
    path("jobs/<int:pk>/", api.job_detail, name="job_detail"),
]
