from django.urls import path

from certificates import document_views, views

app_name = "certificates"

urlpatterns = [
    path("applications/<int:pk>/documents/", views.application_documents, name="application_documents"),
    path("applications/<int:pk>/documents/request/", views.document_request, name="document_request"),
    path("jobs/<int:pk>/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", views.download, name="download"),
    # Window-level documents: rosters, statistics, appointment notices
    path("windows/", document_views.window_documents, name="window_documents"),
    path("windows/request/", document_views.window_document_request, name="window_document_request"),
    path("window-jobs/<int:pk>/", document_views.window_job, name="window_job"),
    path("window-jobs/<int:pk>/status/", document_views.window_job_status, name="window_job_status"),
    path("window-jobs/<int:pk>/download/", document_views.window_job_download, name="window_job_download"),
    # Electronic title certificates
    path("", views.certificate_list, name="certificate_list"),
    path("mine/", views.my_certificates, name="my_certificates"),
    path("batches/", views.batch_issue, name="batch_issue"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("<int:pk>/download/", views.certificate_download, name="certificate_download"),
    path("<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("<int:pk>/reissue/", views.certificate_reissue, name="certificate_reissue"),
    path("fees/", views.fee_list, name="fee_list"),
    path("fees/record/", views.fee_record, name="fee_record"),
    path("fees/<int:pk>/paid/", views.fee_paid, name="fee_paid"),
    # Public, no login: the QR code's target and the lookup form.
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/file/", views.verify_upload, name="verify_upload"),
    path("verify/<str:token>/", views.verify, name="verify"),
]
