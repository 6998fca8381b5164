from django.urls import path

from certificates import api

app_name = "certificates_api"

urlpatterns = [
    path("applications/<int:pk>/documents/", api.document_request, name="document_request"),
    path("jobs/<int:pk>/", api.job_detail, name="job_detail"),
    path("mine/", api.my_certificates, name="my_certificates"),
    path("issued/", api.bureau_certificates, name="bureau_certificates"),
    path("issued/<int:pk>/", api.certificate_detail, name="certificate_detail"),
    path("verify/", api.verify, name="verify"),
]
