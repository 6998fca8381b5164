from django.urls import path

from units import tenant_views, views

app_name = "units"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("registrations/", views.registrations, name="registrations"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration_detail"),
    path(
        "organisations/<int:pk>/documents/<int:document_pk>/", views.registration_document, name="registration_document"
    ),
    path("my-unit/", views.my_unit, name="my_unit"),
    path("people/", views.people, name="people"),
    path("people/add/", views.person_add, name="person_add"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("people/<int:pk>/reset-password/", views.person_reset_password, name="person_reset_password"),
    path("people/<int:pk>/green-channel/", views.person_green_channel, name="person_green_channel"),
    path("people/import/", views.roster_import, name="roster_import"),
    path("people/import/template.xlsx", views.roster_template, name="roster_template"),
    path("people/import/<int:pk>/", views.roster_import_status, name="roster_import_status"),
    # Tenant configuration: every change through tenant_apply (units/tenant_views.py).
    path("tenants/", tenant_views.tenant_list, name="tenant_list"),
    path("tenants/new/", tenant_views.tenant_create, name="tenant_create"),
    path("tenants/<slug:code>/", tenant_views.tenant_home, name="tenant_home"),
    path("tenants/<slug:code>/upload/", tenant_views.tenant_upload, name="tenant_upload"),
    path("tenants/<slug:code>/versions/", tenant_views.tenant_version_list, name="tenant_versions"),
    path("tenants/<slug:code>/versions/<int:number>/", tenant_views.tenant_version_detail, name="tenant_version"),
    path(
        "tenants/<slug:code>/versions/<int:number>/download/",
        tenant_views.tenant_version_download,
        name="tenant_version_download",
    ),
    path("tenants/<slug:code>/settings/", tenant_views.tenant_settings, name="tenant_settings"),
    path("tenants/<slug:code>/districts/", tenant_views.tenant_districts, name="tenant_districts"),
    path("tenants/<slug:code>/organisations/", tenant_views.tenant_organisations, name="tenant_organisations"),
    path(
        "tenants/<slug:code>/organisations/<int:pk>/",
        tenant_views.tenant_organisation_edit,
        name="tenant_organisation_edit",
    ),
    path(
        "tenants/<slug:code>/organisations/import/",
        tenant_views.tenant_organisations_import,
        name="tenant_organisations_import",
    ),
    path(
        "tenants/<slug:code>/organisations/import/template.xlsx",
        tenant_views.tenant_organisations_template,
        name="tenant_organisations_template",
    ),
    path("tenants/<slug:code>/staff/", tenant_views.tenant_staff, name="tenant_staff"),
    path("tenants/<slug:code>/staff/<int:pk>/", tenant_views.tenant_staff_edit, name="tenant_staff_edit"),
    path("tenants/<slug:code>/chain/", tenant_views.tenant_chain, name="tenant_chain"),
    path("tenants/<slug:code>/windows/", tenant_views.tenant_windows, name="tenant_windows"),
    path("tenants/<slug:code>/windows/<int:pk>/", tenant_views.tenant_window_edit, name="tenant_window_edit"),
    path(
        "tenants/<slug:code>/windows/<int:pk>/delete/", tenant_views.tenant_window_delete, name="tenant_window_delete"
    ),
    path("tenants/<slug:code>/rulesets/", tenant_views.tenant_rulesets, name="tenant_rulesets"),
]
