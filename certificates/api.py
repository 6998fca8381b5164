"""REST API: request a document of an application, follow its job, get the download link."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from applications.selectors import get_application_for_user
from certificates import selectors, services
from certificates.models import DocumentJob
from certificates.permissions import can_see_documents
from certificates.views import job_payload
from core.audit import audit_read


class DocumentRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentJob.Kind.choices, label=_("文书类别"))


class DocumentJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    progress = serializers.IntegerField()
    attempts = serializers.IntegerField()
    error = serializers.CharField()
    pages = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField(allow_null=True)
    download_url = serializers.CharField(allow_null=True)


@extend_schema(
    request=DocumentRequestSerializer, responses={202: DocumentJobSerializer}, operation_id="document_request"
)
@api_view(["POST"])
def document_request(request: Request, pk: int) -> Response:
    application = get_application_for_user(request.user, pk)
    if not can_see_documents(request.user, application):
        raise Http404
    serializer = DocumentRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        job = services.document_request(
            actor=request.user, application=application, kind=serializer.validated_data["kind"], request=request
        )
    except PermissionDenied as error:
        raise Http404 from error
    job.refresh_from_db()  # in eager mode the task has run by now
    code = status.HTTP_200_OK if job.status == DocumentJob.Status.DONE else status.HTTP_202_ACCEPTED
    return Response(job_payload(job), status=code)


@extend_schema(responses=DocumentJobSerializer, operation_id="document_job_detail")
@api_view(["GET"])
def job_detail(request: Request, pk: int) -> Response:
    return Response(job_payload(selectors.get_job_for_user(request.user, pk)))


# ---------------------------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------------------------


class CertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label=_("证书编号"))
    holder_name = serializers.CharField(label=_("姓名"))
    holder_id_masked = serializers.CharField(label=_("身份证号（脱敏）"))
    title = serializers.CharField(label=_("职称"))
    issuer = serializers.CharField(label=_("发证机关"))
    issued_on = serializers.DateField(label=_("发证日期"))
    status = serializers.CharField(label=_("状态"))
    status_label = serializers.CharField(source="get_status_display")
    version = serializers.IntegerField(label=_("现行版次"))
    sha256 = serializers.CharField(label=_("现行文件SHA-256"), allow_blank=True)
    application_id = serializers.IntegerField()
    download_url = serializers.SerializerMethodField()
    verification_url = serializers.SerializerMethodField()

    def get_download_url(self, certificate) -> str | None:
        from django.urls import reverse

        if not certificate.file:
            return None
        return reverse("certificates:certificate_download", kwargs={"pk": certificate.pk})

    def get_verification_url(self, certificate) -> str:
        from django.urls import reverse

        return reverse("certificates:verify", kwargs={"token": certificate.token})


class CertificateIssueSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    sha256 = serializers.CharField(allow_blank=True)
    notice_newspaper = serializers.CharField(allow_blank=True)
    notice_date = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()


class CertificateDetailSerializer(CertificateSerializer):
    issues = CertificateIssueSerializer(many=True, read_only=True)


class PublicVerificationSerializer(serializers.Serializer):
    found = serializers.BooleanField()
    number = serializers.CharField(allow_null=True)
    holder_name_masked = serializers.CharField(allow_null=True)
    holder_id_masked = serializers.CharField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    issuer = serializers.CharField(allow_null=True)
    issued_on = serializers.DateField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    status_label = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(allow_null=True)


def _paginated(request: Request, queryset, serializer_class) -> Response:
    from rest_framework.pagination import PageNumberPagination

    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset, request)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


@extend_schema(responses=CertificateSerializer(many=True), operation_id="certificates_mine")
@api_view(["GET"])
def my_certificates(request: Request) -> Response:
    """The signed-in holder's own certificates."""
    from certificates.models import Certificate

    return _paginated(request, Certificate.objects.filter(holder=request.user).order_by("-issued_on", "-id"),
                      CertificateSerializer)


@extend_schema(responses=CertificateSerializer(many=True), operation_id="certificates_bureau_list")
@api_view(["GET"])
def bureau_certificates(request: Request) -> Response:
    """The issuing bureau's certificates (city reviewers and tenant administrators only)."""
    from certificates.permissions import can_issue_certificates

    if not can_issue_certificates(request.user, getattr(request.user, "tenant", None)):
        raise Http404
    queryset = selectors.certificates_for_user(request.user).order_by("-id")
    status_filter = request.query_params.get("status")
    if status_filter:
        queryset = queryset.filter(status=status_filter)
    response = _paginated(request, queryset, CertificateSerializer)
    audit_read(request=request, what="certificates", rows=len(response.data["results"]))
    return response


@extend_schema(responses=CertificateDetailSerializer, operation_id="certificate_detail")
@api_view(["GET"])
def certificate_detail(request: Request, pk: int) -> Response:
    """One certificate with its issue history (holder or issuing bureau)."""
    certificate = selectors.get_certificate_for_user(request.user, pk)
    audit_read(request=request, what="certificate", target=certificate, subject=certificate.holder)
    return Response(CertificateDetailSerializer(certificate).data)


@extend_schema(
    responses=PublicVerificationSerializer,
    operation_id="certificate_verify",
    parameters=[
        OpenApiParameter("number", str, required=True, description=_("证书编号")),
        OpenApiParameter("name", str, required=True, description=_("持证人姓名（须与证书完全一致）")),
    ],
    auth=[],
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def verify(request: Request) -> Response:
    """Public: a certificate by number and the holder's full name; masked data and the current status."""
    from certificates.certificate_documents import mask_name

    number = request.query_params.get("number", "")
    name = request.query_params.get("name", "")
    if not number.strip() or not name.strip() or len(number) > 40 or len(name) > 60:
        raise ValidationError({"number": [_("请填写证书编号（不超过40字符）和持证人姓名（不超过60字）。")]})
    certificate = selectors.find_certificate(number=number, holder_name=name)
    if certificate is None:
        empty = dict.fromkeys(PublicVerificationSerializer().fields, None)
        return Response({**empty, "found": False}, status=status.HTTP_404_NOT_FOUND)
    return Response(
        {
            "found": True,
            "number": certificate.number,
            "holder_name_masked": mask_name(certificate.holder_name),
            "holder_id_masked": certificate.holder_id_masked,
            "title": certificate.title,
            "issuer": certificate.issuer,
            "issued_on": certificate.issued_on,
            "status": certificate.status,
            "status_label": certificate.get_status_display(),
            "version": certificate.version,
        }
    )
