from django.urls import path

from committees import api

app_name = "committees_api"

urlpatterns = [
    path("", api.CommitteeListView.as_view(), name="committee_list"),
    path("meetings/", api.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/<int:pk>/", api.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/draw/", api.DrawView.as_view(), name="meeting_draw"),
    path("meetings/<int:pk>/close/", api.CloseView.as_view(), name="meeting_close"),
    path("meetings/<int:pk>/pledge/", api.PledgeView.as_view(), name="meeting_pledge"),
    path("expert/meetings/", api.ExpertMeetingListView.as_view(), name="expert_meetings"),
    path("items/<int:pk>/vote/", api.VoteView.as_view(), name="item_vote"),
    path("results/", api.ResultListView.as_view(), name="results"),
]
