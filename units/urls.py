from django.urls import path

from units import views

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
]
