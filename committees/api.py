"""REST API for committees, through the same scoped getters and services as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from committees import permissions, selectors, services
from committees.models import AgendaItem, Committee, Meeting, Vote

NOT_FOUND = gettext_lazy("未找到该对象，或您无权访问。")


class CommitteeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Committee
        fields = ["id", "name", "series", "levels", "self_review_unit", "filing_number", "is_active"]
        read_only_fields = fields


class AgendaItemSerializer(serializers.ModelSerializer):
    applicant_name = serializers.CharField(source="application.applicant.full_name", read_only=True)
    unit_name = serializers.CharField(source="application.unit.name", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "order", "application", "applicant_name", "unit_name", "outcome", "outcome_label",
                  "present", "agree", "disagree", "abstain"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="planned / drawn / closed / reported / withdrawn")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "committee", "committee_name", "title", "location", "starts_at", "ends_at", "expert_count",
                  "status", "status_label", "plan_filed_at", "drawn_at", "draw_seed", "closed_at", "report_due_on",
                  "reported_at", "publicity_ends_on", "item_count"]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    items = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "items"]
        read_only_fields = fields

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_items(self, meeting: Meeting) -> list[dict]:
        items = meeting.items.select_related("application__applicant", "application__unit").order_by("order")
        data = AgendaItemSerializer(items, many=True).data
        if meeting.status not in (Meeting.Status.CLOSED, Meeting.Status.REPORTED):
            # Tallies do not exist until the meeting closes.
            for row in data:
                for key in ("present", "agree", "disagree", "abstain"):
                    row[key] = None
        return data


class PlanSerializer(serializers.Serializer):
    committee = serializers.IntegerField()
    title = serializers.CharField(max_length=120)
    location = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    expert_count = serializers.IntegerField(min_value=3, max_value=50)
    applications = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class DrawSerializer(serializers.Serializer):
    seed = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    discussion = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ConfidentialityPledgeSerializer(serializers.Serializer):
    typed_name = serializers.CharField(max_length=60)
    agreed = serializers.BooleanField()


class ConfidentialityPledgeResultSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(source="meeting_id")
    signed_at = serializers.DateTimeField()


class VoteSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=Vote.Choice.choices)


class VoteResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vote
        fields = ["item", "choice", "cast_at"]
        read_only_fields = fields


class CommitteeListView(GenericAPIView):
    serializer_class = CommitteeSerializer
    pagination_class = None

    @extend_schema(summary="本市评审委员会及其评审范围（系列、级别）", responses=CommitteeSerializer(many=True))
    def get(self, request):
        if not permissions.is_secretary(request.user) and not permissions.is_results_reader(request.user):
            raise NotFound(NOT_FOUND)
        return Response(CommitteeSerializer(selectors.committees_for(request.user).order_by("id"), many=True).data)


class MeetingListView(GenericAPIView):
    serializer_class = MeetingSerializer

    @extend_schema(summary="评审会议列表（评委会秘书）", responses=MeetingSerializer(many=True))
    def get(self, request):
        if not permissions.is_secretary(request.user):
            raise NotFound(NOT_FOUND)
        page = self.paginate_queryset(selectors.meetings_for_secretary(request.user).order_by("-starts_at", "-id"))
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)

    @extend_schema(summary="报备评审工作方案（会前至少5个工作日）", request=PlanSerializer,
                   responses={201: MeetingSerializer})
    def post(self, request):
        serializer = PlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            committee = selectors.get_committee_for_secretary(request.user, data["committee"])
            meeting = services.meeting_plan_file(
                actor=request.user, committee=committee, title=data["title"], location=data["location"],
                starts_at=data["starts_at"], ends_at=data["ends_at"], expert_count=data["expert_count"],
                application_ids=data["applications"], request=request,
            )
        except (Http404, DjangoPermissionDenied):
            raise NotFound(NOT_FOUND) from None
        meeting = selectors.get_meeting_for_secretary(request.user, meeting.pk)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingDetailView(GenericAPIView):
    serializer_class = MeetingDetailSerializer

    @extend_schema(summary="评审会议详情与议程（会议结束后含表决统计）", responses=MeetingDetailSerializer)
    def get(self, request, pk: int):
        try:
            meeting = selectors.get_meeting_for_secretary(request.user, pk)
        except Http404:
            raise NotFound(NOT_FOUND) from None
        return Response(MeetingDetailSerializer(meeting).data)


class _MeetingAction(GenericAPIView):
    def _run(self, request, pk: int, call):
        try:
            meeting = selectors.get_meeting_for_secretary(request.user, pk)
            call(meeting)
        except (Http404, DjangoPermissionDenied):
            raise NotFound(NOT_FOUND) from None
        meeting = selectors.get_meeting_for_secretary(request.user, pk)
        return Response(MeetingDetailSerializer(meeting).data)


class DrawView(_MeetingAction):
    serializer_class = DrawSerializer

    @extend_schema(summary="随机抽取评审专家（排除回避人员，记录随机种子）", request=DrawSerializer,
                   responses=MeetingDetailSerializer)
    def post(self, request, pk: int):
        serializer = DrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        seed = serializer.validated_data["seed"]
        return self._run(request, pk, lambda m: services.meeting_draw_experts(
            actor=request.user, meeting=m, seed=seed, request=request))


class CloseView(_MeetingAction):
    serializer_class = CloseSerializer

    @extend_schema(summary="结束会议：统计表决结果并计入审核链", request=CloseSerializer,
                   responses=MeetingDetailSerializer)
    def post(self, request, pk: int):
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        discussion = serializer.validated_data["discussion"]
        return self._run(request, pk, lambda m: services.meeting_close(
            actor=request.user, meeting=m, discussion=discussion, request=request))


class ExpertMeetingListView(GenericAPIView):
    serializer_class = MeetingSerializer

    @extend_schema(summary="我的评审会议（评审专家）", responses=MeetingSerializer(many=True))
    def get(self, request):
        if not permissions.is_expert(request.user):
            raise NotFound(NOT_FOUND)
        page = self.paginate_queryset(selectors.meetings_for_expert(request.user).order_by("-starts_at", "-id"))
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)


class VoteView(GenericAPIView):
    serializer_class = VoteSerializer

    @extend_schema(summary="专家表决：同意、不同意或弃权（会议结束前可修改）", request=VoteSerializer,
                   responses={201: VoteResultSerializer})
    def post(self, request, pk: int):
        try:
            item = selectors.get_item_for_expert(request.user, pk)
        except Http404:
            raise NotFound(NOT_FOUND) from None
        serializer = VoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            vote = services.vote_cast(actor=request.user, item=item, choice=serializer.validated_data["choice"],
                                      request=request)
        except DjangoPermissionDenied:
            raise NotFound(NOT_FOUND) from None
        return Response(VoteResultSerializer(vote).data, status=status.HTTP_201_CREATED)


class PledgeView(GenericAPIView):
    serializer_class = ConfidentialityPledgeSerializer

    @extend_schema(summary="签署本次评审会议的保密承诺书（专家查看材料、秘书抽取专家前）",
                   request=ConfidentialityPledgeSerializer, responses={201: ConfidentialityPledgeResultSerializer})
    def post(self, request, pk: int):
        try:
            if permissions.is_secretary(request.user):
                meeting = selectors.get_meeting_for_secretary(request.user, pk)
            else:
                meeting = selectors.get_meeting_for_expert(request.user, pk)
        except Http404:
            raise NotFound(NOT_FOUND) from None
        serializer = ConfidentialityPledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            pledge = services.pledge_sign(actor=request.user, meeting=meeting, request=request,
                                          **serializer.validated_data)
        except DjangoPermissionDenied:
            raise NotFound(NOT_FOUND) from None
        return Response(ConfidentialityPledgeResultSerializer(pledge).data, status=status.HTTP_201_CREATED)


class ResultListView(GenericAPIView):
    serializer_class = MeetingSerializer

    @extend_schema(summary="已报送的评审结果（人社部门）", responses=MeetingSerializer(many=True))
    def get(self, request):
        if not permissions.is_results_reader(request.user):
            raise NotFound(NOT_FOUND)
        page = self.paginate_queryset(selectors.results_for(request.user).order_by("-reported_at", "-id"))
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)
