"""REST API for review: the queue and the decision, through the same selectors and service."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from core.audit import audit_read
from review import selectors, services
from review.chain import Action
from review.models import ReviewStep, ReviewTransition

NOT_FOUND = gettext_lazy("未找到该对象，或您无权访问。")


class ReviewQueueItemSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id", read_only=True)
    applicant_name = serializers.CharField(source="application.applicant.full_name", read_only=True)
    unit_name = serializers.CharField(source="application.unit.name", read_only=True)
    series = serializers.CharField(source="application.series", read_only=True)
    title_level = serializers.CharField(source="application.level", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ReviewStep
        fields = [
            "id",
            "application",
            "applicant_name",
            "unit_name",
            "series",
            "title_level",
            "level",
            "revision",
            "status",
            "status_label",
            "active_since",
            "deadline",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, step: ReviewStep) -> bool:
        return services.is_overdue(step, self.context.get("now"))


class ReviewQueueCountsSerializer(serializers.Serializer):
    active = serializers.IntegerField()
    overdue = serializers.IntegerField()
    approved = serializers.IntegerField()
    returned = serializers.IntegerField()
    rejected = serializers.IntegerField()


class ReviewQueueSerializer(serializers.Serializer):
    counts = ReviewQueueCountsSerializer()
    results = ReviewQueueItemSerializer(many=True)


class ReturnProblemSerializer(serializers.Serializer):
    target = serializers.CharField(help_text=gettext_lazy("field:<字段名> 或 slot:<材料项>"))
    message = serializers.CharField(max_length=500)


class ReviewDecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    opinion = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    problems = ReturnProblemSerializer(many=True, required=False, default=list)


class ReviewTransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewTransition
        fields = ["id", "application", "revision", "kind", "from_status", "to_status", "closes_filing", "created_at"]
        read_only_fields = fields


class QueueView(GenericAPIView):
    serializer_class = ReviewQueueSerializer
    pagination_class = None

    @extend_schema(
        summary=gettext_lazy("审核列表（本机构所在层级）"),
        parameters=[
            OpenApiParameter("status", str, enum=["active", "approved", "returned", "rejected"]),
            OpenApiParameter("series", str),
            OpenApiParameter("level", str, description=gettext_lazy("申报级别")),
            OpenApiParameter("unit", int),
            OpenApiParameter("overdue", bool),
        ],
        responses=ReviewQueueSerializer,
    )
    def get(self, request):
        if not selectors.is_reviewer(request.user):
            raise NotFound(NOT_FOUND)
        queue = selectors.review_queue(request.user, selectors.QueueFilters.from_query(request.query_params))
        audit_read(request=request, what="queue", rows=len(queue.rows))
        items = ReviewQueueItemSerializer(queue.rows, many=True, context={"now": queue.now}).data
        return Response({"counts": queue.counts, "results": items})


class DecideView(GenericAPIView):
    serializer_class = ReviewDecisionSerializer

    @extend_schema(
        summary=gettext_lazy("审核决定：通过、退回修改（逐项列明问题）或不通过"),
        request=ReviewDecisionSerializer,
        responses={201: ReviewTransitionSerializer},
    )
    def post(self, request, pk: int):
        if not selectors.is_reviewer(request.user):
            raise NotFound(NOT_FOUND)
        application = selectors.get_application_for_reviewer(request.user, pk)
        serializer = ReviewDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            transition = services.review_decide(
                actor=request.user,
                application=application,
                action=data["action"],
                opinion=data["opinion"],
                problems=[services.Problem(p["target"], p["message"]) for p in data["problems"]],
                request=request,
            )
        except DjangoPermissionDenied:
            raise NotFound(NOT_FOUND) from None
        return Response(ReviewTransitionSerializer(transition).data, status=status.HTTP_201_CREATED)
