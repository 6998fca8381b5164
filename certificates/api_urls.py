from django.urls import path

from certificates import api, bureau_api

app_name = "certificates_api"

urlpatterns = [
    path("applications/<int:pk>/documents/", api.document_request, name="document_request"),
    path("jobs/<int:pk>/", api.job_detail, name="job_detail"),
    path("mine/", api.my_certificates, name="my_certificates"),
    path("issued/", api.bureau_certificates, name="bureau_certificates"),
    path("issued/<int:pk>/", api.certificate_detail, name="certificate_detail"),
    path("issued/<int:pk>/revoke/", bureau_api.certificate_revoke, name="certificate_revoke"),
    path("issued/<int:pk>/reissue/", bureau_api.certificate_reissue, name="certificate_reissue"),
    path("batches/", bureau_api.batches, name="batches"),
    path("batches/<int:pk>/", bureau_api.batch_detail, name="batch_detail"),
    path("fees/", bureau_api.fee_list, name="fees"),
    path("fees/<int:pk>/paid/", bureau_api.fee_paid, name="fee_paid"),
    path("verify/", api.verify, name="verify"),
]
