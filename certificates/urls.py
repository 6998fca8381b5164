from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("applications/<int:pk>/documents/", views.application_documents, name="application_documents"),
    path("applications/<int:pk>/documents/request/", views.document_request, name="document_request"),
    path("jobs/<int:pk>/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", views.download, name="download"),
    # Electronic title certificates
    path("", views.certificate_list, name="certificate_list"),
    path("mine/", views.my_certificates, name="my_certificates"),
    path("batches/", views.batch_issue, name="batch_issue"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("<int:pk>/download/", views.certificate_download, name="certificate_download"),
    path("<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    # Public, no login: the QR code's target and the lookup form.
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<str:token>/", views.verify, name="verify"),
]
