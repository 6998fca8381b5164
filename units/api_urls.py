from django.urls import path
from rest_framework.routers import SimpleRouter

from units import api, tenant_api

router = SimpleRouter()
router.register("tenants", api.TenantViewSet, basename="tenant")
router.register("organisations", api.OrganisationViewSet, basename="organisation")
router.register("registrations", api.RegistrationViewSet, basename="registration")
router.register("applicants", api.ApplicantViewSet, basename="applicant")
router.register("roster-imports", api.RosterImportViewSet, basename="roster-import")

urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
    path("tenants/<slug:code>/document/", tenant_api.tenant_document, name="tenant_document"),
    path("tenants/<slug:code>/windows/", tenant_api.tenant_windows, name="tenant_windows"),
    *router.urls,
]
