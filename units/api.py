"""REST API for tenants, organisations and people: same services and scoping as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import UNIT_ROLES, PersonnelNature, User
from core.audit import audit_read
from units import services
from units.models import Organisation, RosterImport, Tenant
from units.selectors import (
    applicants_for_user,
    organisations_for_user,
    registrations_for_user,
    roster_imports_for_user,
    tenants_for_user,
)


class TenantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tenant
        fields = [
            "id",
            "code",
            "name",
            "province",
            "authority_name",
            "initial_password",
            "max_returns_per_year",
            "review_group_min_size",
            "publicity_working_days",
            "fraud_ban_years",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "tenant",
            "kind",
            "kind_label",
            "name",
            "district",
            "unit_kind",
            "credit_code",
            "competent_department",
            "managed_by",
            "status",
            "status_label",
            "rejection_reasons",
        ]


class MeSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "role",
            "role_label",
            "tenant",
            "organisation",
            "id_number_masked",
            "must_change_password",
        ]


class ApplicantSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "full_name",
            "id_number_masked",
            "phone",
            "personnel_nature",
            "organisation",
            "green_channel",
            "must_change_password",
        ]


class ApplicantCreateSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=60)
    id_number = serializers.CharField(max_length=18)
    phone = serializers.CharField(max_length=11, required=False, allow_blank=True, default="")
    personnel_nature = serializers.ChoiceField(choices=PersonnelNature.choices)
    initial_password = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list)


class RosterImportSerializer(serializers.ModelSerializer):
    progress_percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = RosterImport
        fields = [
            "id",
            "unit",
            "original_name",
            "status",
            "total_rows",
            "processed_rows",
            "progress_percent",
            "created_count",
            "errors",
            "created_at",
            "finished_at",
        ]


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="当前登录用户")
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class TenantViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TenantSerializer

    def get_queryset(self):
        return tenants_for_user(self.request.user)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return organisations_for_user(self.request.user).order_by("id")


class RegistrationViewSet(viewsets.ReadOnlyModelViewSet):
    """Unit registrations awaiting (or past) this user's decision."""

    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return registrations_for_user(self.request.user).order_by("id")

    @extend_schema(request=DecisionSerializer, responses=OrganisationSerializer, summary="审核单位注册")
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        unit = self.get_object()
        payload = DecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            unit = services.unit_registration_decide(
                actor=request.user, unit=unit, request=request, **payload.validated_data
            )
        except DjangoPermissionDenied:
            raise NotFound(gettext("未找到该对象，或您无权访问。")) from None
        return Response(OrganisationSerializer(unit).data)


class ApplicantViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return applicants_for_user(self.request.user).order_by("-id")

    def get_serializer_class(self):
        return ApplicantCreateSerializer if self.action == "create" else ApplicantSerializer

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_read(request=request, what="people", rows=len(response.data.get("results", [])))
        return response

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        audit_read(request=request, what="person", target=person, subject=person)
        return Response(ApplicantSerializer(person).data)

    @extend_schema(request=ApplicantCreateSerializer, responses={201: ApplicantSerializer}, summary="添加申报人")
    def create(self, request, *args, **kwargs):
        if request.user.role not in UNIT_ROLES:
            raise NotFound(gettext("未找到该对象，或您无权访问。"))
        payload = ApplicantCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            person = services.applicant_create(
                actor=request.user, unit=request.user.organisation, request=request, **payload.validated_data
            )
        except DjangoPermissionDenied:
            raise NotFound(gettext("未找到该对象，或您无权访问。")) from None
        return Response(ApplicantSerializer(person).data, status=status.HTTP_201_CREATED)


class RosterImportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RosterImportSerializer

    def get_queryset(self):
        return roster_imports_for_user(self.request.user).order_by("-id")
