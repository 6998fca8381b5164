from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("applications/<int:pk>/documents/", views.application_documents, name="application_documents"),
    path("applications/<int:pk>/documents/request/", views.document_request, name="document_request"),
    path("jobs/<int:pk>/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", views.download, name="download"),
]
