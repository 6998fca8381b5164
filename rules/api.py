"""REST API: the same evaluation as the command line, for the applicant's pre-check screen."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rules.catalog import UnknownRuleSetError, get_rule_set
from rules.engine import ProfileError, evaluate, parse_profile
from rules.engine.ruleset import RuleSetData
from rules.materials import materials_checklist
from rules.permissions import may_use_tenant
from rules.serializers import (
    DecisionSerializer,
    EvaluateRequestSerializer,
    MaterialItemSerializer,
    MaterialsQuerySerializer,
)


def _rule_set_for(request: Request, code: str) -> RuleSetData:
    try:
        rule_set = get_rule_set(code)
    except UnknownRuleSetError:
        raise Http404 from None
    if not may_use_tenant(request.user, rule_set.tenant_code):
        raise Http404
    return rule_set


class EvaluateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="判断能否申报",
        description="按规则集判断申报人能否申报目标级别，返回每项检查及其依据条款；"
            "最早可申报日期见 earliest_eligible_on。",
        request=EvaluateRequestSerializer,
        responses={200: DecisionSerializer, 400: OpenApiResponse(description="申报人信息格式错误，指出字段"),
                   404: OpenApiResponse(description="规则集不存在或不属于本租户")},
        tags=["rules"],
    )
    def post(self, request: Request) -> Response:
        incoming = EvaluateRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        rule_set = _rule_set_for(request, incoming.validated_data["ruleset"])
        try:
            profile = parse_profile(incoming.validated_data["profile"])
        except ProfileError as exc:
            return Response({"profile": {exc.field: [exc.message]}}, status=status.HTTP_400_BAD_REQUEST)
        decision = evaluate(rule_set, profile, profile.as_of)
        return Response(DecisionSerializer(decision.as_dict()).data)


class MaterialsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="申报材料清单",
        parameters=[MaterialsQuerySerializer],
        responses={200: MaterialItemSerializer(many=True)},
        tags=["rules"],
    )
    def get(self, request: Request, code: str) -> Response:
        # Scope first: another tenant's rule set is 404 whatever the query says.
        rule_set = _rule_set_for(request, code)
        query = MaterialsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        items = materials_checklist(rule_set=rule_set, **query.validated_data)
        return Response(MaterialItemSerializer([i.as_dict() for i in items], many=True).data)
