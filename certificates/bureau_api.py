"""REST API for the bureau's certificate work that was pages only: batch issue with its progress,
revocation, reissue (补发) and replacement (换发), and the fee ledger. The same services as the
pages; anything outside the caller's remit is 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from applications.selectors import get_application_for_user
from certificates import fees, selectors, services
from certificates.api import CertificateDetailSerializer
from certificates.models import CertificateIssue, FeeEntry
from certificates.permissions import can_issue_certificates
from certificates.views import batch_payload


def _refusal(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "message_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"__all__": error.messages})


def _perform(service, **kwargs):
    """Call a service as the API does everywhere here: outside the remit 404, refusals 400."""
    try:
        return service(**kwargs)
    except PermissionDenied:
        raise Http404 from None
    except DjangoValidationError as error:
        raise _refusal(error) from None


class BatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    issued = serializers.IntegerField()
    failed = serializers.IntegerField()
    progress = serializers.IntegerField(help_text="0–100")
    finished = serializers.BooleanField()


class BatchRequestSerializer(serializers.Serializer):
    application_ids = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("只为这些申报发证；省略则为本地区全部已通过且未发证的申报"),
    )


@extend_schema(
    summary=_("批量发证：任务列表（GET）；发起批量发证（POST，返回任务与进度）"),
    request=BatchRequestSerializer,
    responses={200: BatchSerializer(many=True), 202: BatchSerializer},
)
@api_view(["GET", "POST"])
def batches(request: Request) -> Response:
    if not can_issue_certificates(request.user, getattr(request.user, "tenant", None)):
        raise Http404
    if request.method == "GET":
        rows = selectors.batches_for_user(request.user).order_by("-id")[:50]
        return Response([batch_payload(batch) for batch in rows])
    payload = BatchRequestSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    batch = _perform(
        services.certificate_batch_issue,
        actor=request.user,
        tenant=request.user.tenant,
        application_ids=payload.validated_data["application_ids"],
        request=request,
    )
    batch.refresh_from_db()
    return Response(batch_payload(batch), status=status.HTTP_202_ACCEPTED)


@extend_schema(operation_id="certificate_batch_detail", summary=_("批量发证任务的进度"), responses=BatchSerializer)
@api_view(["GET"])
def batch_detail(request: Request, pk: int) -> Response:
    return Response(batch_payload(selectors.get_batch_for_user(request.user, pk)))


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, label=_("撤销原因"))


@extend_schema(
    operation_id="certificate_revoke",
    summary=_("撤销证书（弄虚作假等）"),
    request=RevokeSerializer,
    responses=CertificateDetailSerializer,
)
@api_view(["POST"])
def certificate_revoke(request: Request, pk: int) -> Response:
    certificate = selectors.get_certificate_for_user(request.user, pk)
    payload = RevokeSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    _perform(
        services.certificate_revoke,
        actor=request.user,
        certificate=certificate,
        request=request,
        **payload.validated_data,
    )
    certificate.refresh_from_db()
    return Response(CertificateDetailSerializer(certificate).data)


class ReissueSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            c
            for c in CertificateIssue.Kind.choices
            if c[0] in (CertificateIssue.Kind.REISSUE, CertificateIssue.Kind.REPLACEMENT)
        ],
        label=_("补发（遗失）或换发（损坏）"),
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    notice_newspaper = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", label=_("登报声明作废的报刊（补发时必填）")
    )
    notice_date = serializers.DateField(required=False, allow_null=True, default=None, label=_("登报日期"))
    notice_text = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


@extend_schema(
    operation_id="certificate_reissue",
    summary=_("补发或换发证书（编号不变，版次加一）"),
    request=ReissueSerializer,
    responses={202: CertificateDetailSerializer},
)
@api_view(["POST"])
def certificate_reissue(request: Request, pk: int) -> Response:
    certificate = selectors.get_certificate_for_user(request.user, pk)
    payload = ReissueSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    _perform(
        services.certificate_reissue,
        actor=request.user,
        certificate=certificate,
        request=request,
        **payload.validated_data,
    )
    certificate.refresh_from_db()
    return Response(CertificateDetailSerializer(certificate).data, status=status.HTTP_202_ACCEPTED)


class FeeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    application = serializers.IntegerField(source="application_id", read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    amount = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    basis = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    receipt_number = serializers.CharField(read_only=True)
    paid_at = serializers.DateTimeField(read_only=True)


class FeeRecordSerializer(serializers.Serializer):
    application = serializers.IntegerField(label=_("申报编号"))
    kind = serializers.ChoiceField(choices=FeeEntry.Kind.choices, label=_("费用类别"))
    amount = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("省略时按本地区收费标准；未规定标准的须填写")
    )


@extend_schema(
    summary=_("收费：列表（GET）；记录一笔应缴费用（POST）"),
    request=FeeRecordSerializer,
    responses={200: FeeSerializer(many=True), 201: FeeSerializer},
)
@api_view(["GET", "POST"])
def fee_list(request: Request) -> Response:
    if not can_issue_certificates(request.user, getattr(request.user, "tenant", None)):
        raise Http404
    if request.method == "GET":
        return Response(FeeSerializer(fees.fees_for_user(request.user).order_by("-id")[:200], many=True).data)
    payload = FeeRecordSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    application = get_application_for_user(request.user, payload.validated_data["application"])
    entry = _perform(
        fees.fee_record,
        actor=request.user,
        application=application,
        kind=payload.validated_data["kind"],
        amount=payload.validated_data["amount"] or None,
        request=request,
    )
    return Response(FeeSerializer(entry).data, status=status.HTTP_201_CREATED)


class FeePaidSerializer(serializers.Serializer):
    receipt_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


@extend_schema(
    operation_id="certificate_fee_paid", summary=_("登记已缴费"), request=FeePaidSerializer, responses=FeeSerializer
)
@api_view(["POST"])
def fee_paid(request: Request, pk: int) -> Response:
    entry = fees.get_fee_for_user(request.user, pk)
    payload = FeePaidSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    entry = _perform(fees.fee_mark_paid, actor=request.user, fee=entry, request=request, **payload.validated_data)
    return Response(FeeSerializer(entry).data)
