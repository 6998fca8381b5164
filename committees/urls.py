from django.urls import path

from committees import views

app_name = "committees"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.committee_create, name="committee_create"),
    path("<int:pk>/", views.committee_detail, name="committee_detail"),
    path("<int:pk>/experts/add/", views.expert_add, name="expert_add"),
    path("<int:pk>/experts/create/", views.expert_create, name="expert_create"),
    path("<int:pk>/experts/import/", views.expert_import, name="expert_import"),
    path("<int:pk>/experts/created/", views.experts_created, name="experts_created"),
    path("experts/template.xlsx", views.expert_import_template, name="expert_import_template"),
    path("<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("experts/<int:pk>/status/", views.expert_status, name="expert_status"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/withdraw/", views.meeting_withdraw, name="meeting_withdraw"),
    path("meetings/<int:pk>/pledge/", views.meeting_pledge, name="meeting_pledge"),
    path("meetings/<int:pk>/draw/", views.meeting_draw, name="meeting_draw"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/close/", views.meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/report/", views.meeting_report, name="meeting_report"),
    path("meetings/<int:pk>/objections/", views.objection_add, name="objection_add"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("expert/", views.my_meetings, name="my_meetings"),
    path("expert/meetings/<int:pk>/", views.expert_meeting, name="expert_meeting"),
    path("expert/items/<int:pk>/", views.item_detail, name="item_detail"),
    path("expert/items/<int:pk>/files/<int:file_pk>/", views.item_file, name="item_file"),
    path("expert/items/<int:pk>/vote/", views.item_vote, name="item_vote"),
    path("results/", views.results, name="results"),
]
