"""REST API of the unit's recommendation procedure: the same scoped getters and services as the
pages (review/procedure.py); outside the unit's remit is 404, refusals are 400 with Chinese text."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from review import procedure as svc
from review import procedure_selectors as sel
from review.models import Objection, UnitProcedure

NOT_FOUND = gettext_lazy("未找到该对象，或您无权访问。")


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=40)
    position = serializers.CharField(max_length=60)


class RankedSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(source="candidate.pk")
    application = serializers.IntegerField(source="candidate.application_id")
    applicant_name = serializers.CharField(source="candidate.application.applicant.full_name")
    id_number_masked = serializers.CharField(source="candidate.application.applicant.id_number_masked")
    title_level = serializers.CharField(source="candidate.application.level")
    rank = serializers.IntegerField(allow_null=True)
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    scored_by = serializers.IntegerField()
    green_channel = serializers.BooleanField(source="candidate.green_channel")
    excluded = serializers.BooleanField(source="candidate.excluded")
    recommended = serializers.BooleanField(source="candidate.recommended")


class QuotaSerializer(serializers.Serializer):
    level = serializers.CharField()
    vacant = serializers.IntegerField()
    used = serializers.IntegerField()
    left = serializers.IntegerField()


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "candidate", "lodged_by_name", "content", "lodged_at", "finding", "upheld", "resolved_at"]
        read_only_fields = fields


class ProcedureSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="preparing / publicity / closed / recommended")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    sheet_status = serializers.CharField(read_only=True, help_text="'' / queued / done / failed")

    class Meta:
        model = UnitProcedure
        fields = [
            "id", "title", "status", "status_label", "publicity_working_days", "publicity_starts_on",
            "publicity_ends_on",
            "publicity_closed_at", "recommended_at", "sheet_status", "created_at",
        ]
        read_only_fields = fields


class ProcedureDetailSerializer(serializers.Serializer):
    procedure = ProcedureSerializer()
    members = MemberSerializer(many=True)
    ranking = RankedSerializer(many=True)
    quotas = QuotaSerializer(many=True)
    objections = ObjectionSerializer(many=True)


class CreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)


class IdsSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class ScoresSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    scores = serializers.DictField(child=serializers.CharField(), help_text=gettext_lazy("候选人id → 得分（0–100）"))


class QuotaInputSerializer(serializers.Serializer):
    level = serializers.CharField()
    vacant_posts = serializers.IntegerField(min_value=0, max_value=999)


class PublicityInputSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    working_days = serializers.IntegerField(required=False, allow_null=True, default=None)


class ObjectionInputSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    name = serializers.CharField(allow_blank=True, max_length=40)
    phone = serializers.CharField(allow_blank=True, required=False, default="", max_length=20)
    content = serializers.CharField(max_length=2000)


class ResolveSerializer(serializers.Serializer):
    finding = serializers.CharField(max_length=2000)
    upheld = serializers.BooleanField()


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.CharField(max_length=500)


def _unit_user(request) -> None:
    if not sel.can_run_procedure(request.user):
        raise NotFound(NOT_FOUND)


def _call(action: Callable[[], object]):
    try:
        return action()
    except DjangoPermissionDenied:
        raise NotFound(NOT_FOUND) from None


def _detail(procedure: UnitProcedure) -> dict:
    candidates = sel.candidates_with_scores(procedure)
    return ProcedureDetailSerializer(
        {
            "procedure": procedure,
            "members": sel.members(procedure),
            "ranking": sel.ranking(procedure, candidates),
            "quotas": sel.quota_rows(procedure, candidates),
            "objections": sel.objections(procedure),
        }
    ).data


class ProceduresView(GenericAPIView):
    serializer_class = CreateSerializer
    pagination_class = None

    @extend_schema(summary=_("本单位的评审推荐工作"), responses=ProcedureSerializer(many=True))
    def get(self, request):
        _unit_user(request)
        rows = sel.procedures_for_user(request.user).order_by("-id")[:100]
        return Response(ProcedureSerializer(rows, many=True).data)

    @extend_schema(summary=_("新建评审推荐工作"), request=CreateSerializer, responses={201: ProcedureSerializer})
    def post(self, request):
        _unit_user(request)
        data = self._valid(request)
        procedure = _call(lambda: svc.procedure_create(actor=request.user, title=data["title"], request=request))
        return Response(ProcedureSerializer(procedure).data, status=status.HTTP_201_CREATED)

    def _valid(self, request) -> dict:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ProcedureView(GenericAPIView):
    serializer_class = ProcedureDetailSerializer

    @extend_schema(summary=_("评审推荐工作详情：评议组、综合排序、岗位数额、异议"), responses=ProcedureDetailSerializer)
    def get(self, request, pk: int):
        _unit_user(request)
        return Response(_detail(sel.get_procedure_for_user(request.user, pk)))


class _ProcedureAction(GenericAPIView):
    """POST one operation on one procedure; answers with the procedure's detail."""

    def run(self, request, procedure: UnitProcedure, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, pk: int):
        _unit_user(request)
        procedure = sel.get_procedure_for_user(request.user, pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _call(lambda: self.run(request, procedure, serializer.validated_data))
        procedure.refresh_from_db()
        return Response(_detail(procedure), status=status.HTTP_200_OK)


def _action(summary: str, request_serializer, runner):
    class View(_ProcedureAction):
        serializer_class = request_serializer

        @extend_schema(summary=summary, request=request_serializer, responses=ProcedureDetailSerializer)
        def post(self, request, pk: int):
            return super().post(request, pk)

        def run(self, request, procedure, data):
            runner(request, procedure, data)

    View.__name__ = View.__qualname__ = f"{runner.__name__.title().replace('_', '')}View"
    return View


def _members(request, procedure, data):
    svc.group_member_add(actor=request.user, procedure=procedure, name=data["name"], position=data["position"],
                         request=request)


def _candidates(request, procedure, data):
    svc.candidates_add(actor=request.user, procedure=procedure, application_ids=data["ids"], request=request)


def _scores(request, procedure, data):
    scores = {int(k): v for k, v in data["scores"].items() if str(k).isdigit()}
    svc.scores_record(actor=request.user, procedure=procedure, member_id=data["member"], scores=scores,
                      request=request)


def _quota(request, procedure, data):
    svc.quota_set(actor=request.user, procedure=procedure, level=data["level"], vacant_posts=data["vacant_posts"],
                  request=request)


def _publicity(request, procedure, data):
    svc.publicity_start(actor=request.user, procedure=procedure, starts_on=data["starts_on"],
                        working_days=data["working_days"], request=request)


def _objections(request, procedure, data):
    svc.objection_lodge(actor=request.user, procedure=procedure, candidate_id=data["candidate"], name=data["name"],
                        phone=data["phone"], content=data["content"], request=request)


def _close(request, procedure, data):
    svc.publicity_close(actor=request.user, procedure=procedure, request=request)


def _recommend(request, procedure, data):
    svc.procedure_recommend(actor=request.user, procedure=procedure, candidate_ids=data["ids"], request=request)


class EmptySerializer(serializers.Serializer):
    pass


MembersView = _action(gettext_lazy("添加评议组成员"), MemberSerializer, _members)
CandidatesView = _action(gettext_lazy("列入推荐候选人（申报id）"), IdsSerializer, _candidates)
ScoresView = _action(gettext_lazy("一名评议组成员的量化赋分"), ScoresSerializer, _scores)
QuotaView = _action(gettext_lazy("事业单位某级别的空余岗位数"), QuotaInputSerializer, _quota)
PublicityView = _action(gettext_lazy("开始公示（按工作日计）并生成公示表"), PublicityInputSerializer, _publicity)
ObjectionsView = _action(gettext_lazy("登记公示期间的实名异议"), ObjectionInputSerializer, _objections)
CloseView = _action(gettext_lazy("结束公示（期满且异议均已处理）"), EmptySerializer, _close)
RecommendView = _action(gettext_lazy("推荐上报所选候选人（单位审核通过）"), IdsSerializer, _recommend)


class ObjectionResolveView(GenericAPIView):
    serializer_class = ResolveSerializer

    @extend_schema(summary=_("记录异议的调查核实结论"), request=ResolveSerializer, responses=ObjectionSerializer)
    def post(self, request, pk: int):
        _unit_user(request)
        objection = sel.get_objection_for_user(request.user, pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        row = _call(lambda: svc.objection_resolve(actor=request.user, objection=objection, finding=data["finding"],
                                                  upheld=data["upheld"], request=request))
        return Response(ObjectionSerializer(row).data)


class DispatchApproveView(GenericAPIView):
    serializer_class = OpinionSerializer

    @extend_schema(summary=_("劳务派遣公司审核同意派遣人员的申报"), request=OpinionSerializer, responses={201: None})
    def post(self, request, pk: int):
        _unit_user(request)
        application = sel.get_dispatch_application_for_user(request.user, pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        approval = _call(lambda: svc.dispatch_approve(actor=request.user, application=application,
                                                      opinion=serializer.validated_data["opinion"], request=request))
        return Response({"application": application.pk, "approved_at": approval.approved_at},
                        status=status.HTTP_201_CREATED)
