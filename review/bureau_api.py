"""REST API for the bureau's tools that were pages only: the queue and statistics as Excel files,
and integrity findings. The same selectors and services as the pages; anything outside the
caller's remit is 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.spreadsheets import xlsx_response
from review import bureau, exports, selectors

XLSX_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("Excel 文件（xlsx），身份证号已脱敏"))


def _require_reviewer(request: Request) -> None:
    if not selectors.is_reviewer(request.user):
        raise Http404


def _file(content: bytes, kind: str, detail: str = "") -> HttpResponse:
    name, fallback = exports.FILE_NAMES[kind]
    return xlsx_response(content, f"{name}-{detail}" if detail else name, fallback)


def _refusal(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "message_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"__all__": error.messages})


@extend_schema(
    operation_id="review_queue_export",
    summary=gettext_lazy("导出审核列表（xlsx）"),
    parameters=[
        OpenApiParameter("status", str, description=_("环节状态：active 审核中（默认）、approved、returned、rejected")),
        OpenApiParameter("series", str, description=gettext_lazy("职称系列")),
        OpenApiParameter("level", str, description=gettext_lazy("申报级别")),
        OpenApiParameter("overdue", bool, description=gettext_lazy("只导出已超期的")),
    ],
    responses={200: XLSX_RESPONSE},
)
@api_view(["GET"])
def queue_export(request: Request) -> HttpResponse:
    _require_reviewer(request)
    try:
        content = exports.export_queue(
            actor=request.user, filters=selectors.QueueFilters.from_query(request.query_params), request=request
        )
    except DjangoValidationError as error:
        raise _refusal(error) from None
    return _file(content, "queue")


@extend_schema(
    operation_id="review_statistics_export",
    summary=gettext_lazy("导出申报统计（xlsx）"),
    parameters=[OpenApiParameter("window", str, description=gettext_lazy("申报批次名称；缺省为最近的批次"))],
    responses={200: XLSX_RESPONSE},
)
@api_view(["GET"])
def statistics_export(request: Request) -> HttpResponse:
    _require_reviewer(request)
    window = request.query_params.get("window", "")
    content = exports.export_statistics(actor=request.user, window=window, request=request)
    return _file(content, "statistics", window[:40])


class FindingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    person_name = serializers.CharField(source="person.full_name", default="", read_only=True)
    person_id_masked = serializers.CharField(source="person.id_number_masked", default="", read_only=True)
    unit_name = serializers.CharField(source="unit.name", default="", read_only=True)
    reason = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)


class PersonFindingSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=18, label=gettext_lazy("身份证号"))
    reason = serializers.CharField(max_length=500, label=gettext_lazy("认定的弄虚作假情形"))


@extend_schema(
    summary=gettext_lazy("诚信记录：列表（GET）；记录弄虚作假者（POST，从评审次年起限制申报）"),
    request=PersonFindingSerializer,
    responses={200: FindingSerializer(many=True), 201: FindingSerializer},
)
@api_view(["GET", "POST"])
def integrity(request: Request) -> Response:
    if not bureau.may_record_integrity(request.user):
        raise Http404
    if request.method == "GET":
        return Response(FindingSerializer(bureau.findings_for(request.user), many=True).data)
    payload = PersonFindingSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    try:
        finding = bureau.record_person_finding(actor=request.user, request=request, **payload.validated_data)
    except DjangoValidationError as error:
        raise _refusal(error) from None
    return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)
