"""REST API: request a document of an application, follow its job, get the download link."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from applications.selectors import get_application_for_user
from certificates import selectors, services
from certificates.models import DocumentJob
from certificates.permissions import can_see_documents
from certificates.views import job_payload


class DocumentRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentJob.Kind.choices, label="文书类别")


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
