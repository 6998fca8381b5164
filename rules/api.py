"""REST API: the same evaluation as the command line, for the applicant's pre-check screen; and for a
tenant admin's programs, the rule-set versions: list, draft from a version or a file, validate, run
the bench, publish (refused with the failing cases). Same services and scoping as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rules import services
from rules.catalog import UnknownRuleSetError, get_rule_set
from rules.engine import ProfileError, evaluate, parse_profile
from rules.engine.ruleset import RuleSetData
from rules.labels import describe_path
from rules.materials import materials_checklist
from rules.models import RuleSet
from rules.permissions import can_edit_rulesets, can_view_rulesets, may_use_tenant
from rules.selectors import get_ruleset_for_user, rulesets_for_user
from rules.serializers import (
    BenchResultSerializer,
    CaseRequestSerializer,
    DecisionSerializer,
    DocumentErrorSerializer,
    DraftRequestSerializer,
    EvaluateRequestSerializer,
    MaterialItemSerializer,
    MaterialsQuerySerializer,
    PublishRefusedSerializer,
    RuleSetDocumentRequestSerializer,
    RuleSetDocumentSerializer,
    RuleSetVersionSerializer,
    ValidationResultSerializer,
)
from rules.validation import RuleSetDocumentError, parse_rule_set_text, validate_rule_set_document


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
        summary=_("判断能否申报"),
        description=_("按规则集判断申报人能否申报目标级别，返回每项检查及其依据条款；"
            "最早可申报日期见 earliest_eligible_on。"),
        request=EvaluateRequestSerializer,
        responses={200: DecisionSerializer, 400: OpenApiResponse(description=_("申报人信息格式错误，指出字段")),
                   404: OpenApiResponse(description=_("规则集不存在或不属于本租户"))},
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
        summary=_("申报材料清单"),
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


# --- Authoring: versions, drafts, validation, the bench, publishing ------------------------------

def _version(row: RuleSet, in_force_pk: int | None, with_document: bool = False) -> dict:
    out = {
        "id": row.pk,
        "code": row.code,
        "version": row.version,
        "status": row.status,
        "in_force": row.pk == in_force_pk,
        "name": row.name,
        "document_number": row.document_number,
        "effective_from": row.effective_from,
        "effective_to": row.effective_to,
        "published_at": row.published_at,
    }
    if with_document:
        out["document"] = row.data
    return out


def _in_force_pk(code: str) -> int | None:
    return (
        RuleSet.objects.filter(code=code, status=RuleSet.Status.PUBLISHED)
        .order_by("-version").values_list("pk", flat=True).first()
    )


def _refusal(path: str, message: str, document) -> Response:
    return Response(
        {"valid": False, "path": path, "message": message, "where": describe_path(document, path)},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _editor(request: Request, pk: int) -> RuleSet:
    rule_set = get_ruleset_for_user(request.user, pk)
    if not can_edit_rulesets(request.user):
        raise PermissionDenied
    return rule_set


class RuleSetVersionsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary=_("规则集版本列表"),
        description=_("本地区规则集的全部版本（草稿和已发布），新版本在前；in_force 标出现行版本。可用 code 筛选。"),
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, description=_("只列出该规则集代码的版本"))],
        responses={200: RuleSetVersionSerializer(many=True), 403: OpenApiResponse(description=_("无权查看规则集"))},
        tags=["rules"],
    )
    def get(self, request: Request) -> Response:
        if not can_view_rulesets(request.user):
            raise PermissionDenied
        rows = rulesets_for_user(request.user).order_by("code", "-version")
        code = request.query_params.get("code")
        if code:
            rows = rows.filter(code=code)
        rows = list(rows.only("pk", "code", "version", "status", "name", "document_number", "effective_from",
                              "effective_to", "published_at", "tenant_code"))
        in_force: dict[str, int] = {}
        for row in rows:
            if row.status == RuleSet.Status.PUBLISHED:
                in_force.setdefault(row.code, row.pk)
        return Response(RuleSetVersionSerializer([_version(r, in_force.get(r.code)) for r in rows], many=True).data)


class RuleSetVersionView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary=_("规则集版本（含文档）"),
        responses={200: RuleSetDocumentSerializer, 404: OpenApiResponse(description=_("不存在或不属于本地区"))},
        tags=["rules"],
    )
    def get(self, request: Request, pk: int) -> Response:
        row = get_ruleset_for_user(request.user, pk)
        return Response(RuleSetDocumentSerializer(_version(row, _in_force_pk(row.code), True)).data)

    @extend_schema(
        summary=_("修改草稿"),
        description=_("以 document 替换草稿的文档，与页面同样校验；出错时返回第一个问题的 JSON 路径。"
            "已发布的版本不可修改。"),
        request=RuleSetDocumentRequestSerializer,
        responses={200: RuleSetDocumentSerializer, 400: DocumentErrorSerializer,
                   404: OpenApiResponse(description=_("不存在或不属于本地区"))},
        tags=["rules"],
    )
    def put(self, request: Request, pk: int) -> Response:
        row = _editor(request, pk)
        incoming = RuleSetDocumentRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        document = incoming.validated_data["document"]
        try:
            row = services.ruleset_update_draft(rule_set=row, data=document, actor=request.user, request=request,
                                                note="通过接口修改")
        except services.DocumentRefused as error:
            return _refusal(error.path, error.reason, document)
        except ValidationError as error:
            return Response({"detail": "；".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(RuleSetDocumentSerializer(_version(row, _in_force_pk(row.code), True)).data)


class DraftCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary=_("以某个版本为基础新建草稿（或导入文件）"),
        description=_("不带 document / file 时复制该版本；带上时以文件内容为草稿，代码和所属地区须与该版本一致。"
            "同一规则集同时只能有一份草稿。"),
        request={"application/json": DraftRequestSerializer, "multipart/form-data": DraftRequestSerializer},
        responses={201: RuleSetDocumentSerializer, 400: DocumentErrorSerializer,
                   404: OpenApiResponse(description=_("不存在或不属于本地区"))},
        tags=["rules"],
    )
    def post(self, request: Request, pk: int) -> Response:
        base = _editor(request, pk)
        data = None
        if "file" in request.FILES:
            try:
                data = parse_rule_set_text(request.FILES["file"].read().decode("utf-8-sig"))
            except (RuleSetDocumentError, UnicodeDecodeError) as error:
                message = getattr(error, "message", gettext("文件不是 UTF-8 编码"))
                return _refusal("$", message, None)
        elif "document" in request.data:
            data = request.data["document"]
        try:
            draft = services.ruleset_start_draft(rule_set=base, actor=request.user, data=data, request=request)
        except services.DocumentRefused as error:
            return _refusal(error.path, error.reason, data)
        except ValidationError as error:
            return Response({"detail": "；".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(RuleSetDocumentSerializer(_version(draft, _in_force_pk(draft.code), True)).data,
                        status=status.HTTP_201_CREATED)


class ValidateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary=_("校验规则集文档"),
        description=_("与 ruleset_validate 命令和页面相同的校验（JSON Schema、规则引擎、文档规则）；不保存任何内容。"),
        request=RuleSetDocumentRequestSerializer,
        responses={200: ValidationResultSerializer, 400: DocumentErrorSerializer},
        tags=["rules"],
    )
    def post(self, request: Request) -> Response:
        if not can_view_rulesets(request.user):
            raise PermissionDenied
        incoming = RuleSetDocumentRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        document = incoming.validated_data["document"]
        try:
            validate_rule_set_document(document)
        except RuleSetDocumentError as error:
            return _refusal(error.path, error.message, document)
        return Response({"valid": True, "checks": len(document["checks"]), "cases": len(document.get("cases") or [])})


class BenchView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary=_("运行测试用例"),
        description=_("按该版本的测试用例逐个判断，返回每个用例是否通过、不一致之处和不一致的检查。不保存任何内容。"),
        request=None,
        responses={200: BenchResultSerializer, 404: OpenApiResponse(description=_("不存在或不属于本地区"))},
        tags=["rules"],
    )
    def post(self, request: Request, pk: int) -> Response:
        row = get_ruleset_for_user(request.user, pk)
        return Response(BenchResultSerializer(services.ruleset_bench(row).as_dict()).data)


class CaseCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary=_("添加测试用例"),
        request=CaseRequestSerializer,
        responses={201: BenchResultSerializer, 400: DocumentErrorSerializer,
                   404: OpenApiResponse(description=_("不存在或不属于本地区"))},
        tags=["rules"],
    )
    def post(self, request: Request, pk: int) -> Response:
        row = _editor(request, pk)
        incoming = CaseRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        case = {k: v for k, v in incoming.validated_data.items() if v not in ("", None)}
        try:
            row = services.ruleset_add_case(rule_set=row, case=case, actor=request.user, request=request)
        except services.DocumentRefused as error:
            return _refusal(error.path, error.reason, {**row.data, "cases": [*row.data.get("cases", []), case]})
        except ValidationError as error:
            return Response({"detail": "；".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(BenchResultSerializer(services.ruleset_bench(row).as_dict()).data,
                        status=status.HTTP_201_CREATED)


class PublishView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary=_("发布草稿"),
        description=_("先运行全部测试用例；有未通过的用例时拒绝发布（400），返回原因和每个用例的结果。"),
        request=None,
        responses={200: RuleSetVersionSerializer, 400: PublishRefusedSerializer,
                   404: OpenApiResponse(description=_("不存在或不属于本地区"))},
        tags=["rules"],
    )
    def post(self, request: Request, pk: int) -> Response:
        row = _editor(request, pk)
        try:
            row = services.ruleset_publish(rule_set=row, actor=request.user, request=request)
        except services.BenchFailed as error:
            return Response({"detail": error.result.refusal(), "bench": error.result.as_dict()},
                            status=status.HTTP_400_BAD_REQUEST)
        except ValidationError as error:
            return Response({"detail": "；".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(RuleSetVersionSerializer(_version(row, row.pk)).data)
