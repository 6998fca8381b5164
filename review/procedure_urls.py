"""Routes of the unit's recommendation procedure, included in ``review.urls`` (namespace review)."""

from django.urls import path

from review import procedure_api as api
from review import procedure_views as views

urlpatterns = [
    path("unit/procedures/", views.procedures, name="unit_procedures"),
    path("unit/procedures/<int:pk>/group/", views.group, name="unit_group"),
    path("unit/procedures/<int:pk>/scores/", views.scores, name="unit_scores"),
    path("unit/procedures/<int:pk>/quota/", views.quota, name="unit_quota"),
    path("unit/procedures/<int:pk>/publicity/", views.publicity, name="unit_publicity"),
    path("unit/procedures/<int:pk>/publicity/close/", views.publicity_close, name="unit_publicity_close"),
    path("unit/procedures/<int:pk>/publicity/sheet.pdf", views.sheet_download, name="unit_sheet"),
    path("unit/procedures/<int:pk>/objections/", views.objection_lodge, name="unit_objection_lodge"),
    path("unit/objections/<int:pk>/resolve/", views.objection_resolve, name="unit_objection_resolve"),
    path("unit/procedures/<int:pk>/recommend/", views.recommend, name="unit_recommend"),
    path("unit/procedures/<int:pk>/documents/<slug:code>.pdf", views.document_download, name="unit_document"),
    path("unit/dispatch/", views.dispatch, name="unit_dispatch"),
    path("unit/dispatch/<int:pk>/approve/", views.dispatch_approve, name="unit_dispatch_approve"),
]

# Included in review.api_urls (namespace review_api).
api_urlpatterns = [
    path("unit-procedures/", api.ProceduresView.as_view(), name="unit_procedures"),
    path("unit-procedures/<int:pk>/", api.ProcedureView.as_view(), name="unit_procedure"),
    path("unit-procedures/<int:pk>/members/", api.MembersView.as_view(), name="unit_members"),
    path("unit-procedures/<int:pk>/candidates/", api.CandidatesView.as_view(), name="unit_candidates"),
    path("unit-procedures/<int:pk>/scores/", api.ScoresView.as_view(), name="unit_scores"),
    path("unit-procedures/<int:pk>/quota/", api.QuotaView.as_view(), name="unit_quota"),
    path("unit-procedures/<int:pk>/publicity/", api.PublicityView.as_view(), name="unit_publicity"),
    path("unit-procedures/<int:pk>/objections/", api.ObjectionsView.as_view(), name="unit_objections"),
    path("unit-procedures/<int:pk>/close/", api.CloseView.as_view(), name="unit_close"),
    path("unit-procedures/<int:pk>/recommend/", api.RecommendView.as_view(), name="unit_recommend"),
    path("unit-objections/<int:pk>/resolve/", api.ObjectionResolveView.as_view(), name="unit_objection_resolve"),
    path("unit-dispatch/<int:pk>/approve/", api.DispatchApproveView.as_view(), name="unit_dispatch_approve"),
]
