"""REST API for filing: same services, same validation and same scoping as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import UNIT_ROLES
from applications import materials, selectors, services
from applications.models import Achievement, Application, ApplicationFile, Submission
from applications.permissions import can_file

NOT_FOUND = _("未找到该对象，或您无权访问。")


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    pages = serializers.IntegerField(allow_null=True)
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField()


class ApplicationFileSerializer(serializers.ModelSerializer):
    attachment = AttachmentSerializer()

    class Meta:
        model = ApplicationFile
        fields = ["id", "slot", "attachment", "reused_from", "supplied_by_unit"]


class SubmissionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Submission
        fields = ["id", "revision", "content_hash", "submitted_at"]


class ApplicationSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    achievement_ids = serializers.PrimaryKeyRelatedField(source="achievements", many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "applicant",
            "unit",
            "window_name",
            "series",
            "specialty",
            "level",
            "evaluation_method",
            "committee",
            "exceptional_promotion",
            "entrusted_review",
            "self_statement",
            "main_achievements",
            "achievement_ids",
            "status",
            "status_label",
            "ruleset_code",
            "ruleset_version",
            "submitted_at",
            "closed_at",
            "closed_reason",
            "updated_at",
        ]
        read_only_fields = fields


class ApplicationCreateSerializer(serializers.Serializer):
    series = serializers.CharField()
    level = serializers.CharField()
    specialty = serializers.CharField(required=False, allow_blank=True, default="")


class DraftSerializer(serializers.Serializer):
    """Any subset of these fields; every given field is checked by the service."""

    series = serializers.CharField(required=False)
    specialty = serializers.CharField(required=False, allow_blank=True)
    level = serializers.CharField(required=False)
    evaluation_method = serializers.CharField(required=False)
    committee = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("评审委员会（须评审该系列、级别）")
    )
    exceptional_promotion = serializers.BooleanField(required=False)
    entrusted_review = serializers.BooleanField(required=False)
    self_statement = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    main_achievements = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    achievement_ids = serializers.ListField(child=serializers.IntegerField(), required=False)


class UploadSerializer(serializers.Serializer):
    slot = serializers.CharField()
    file = serializers.FileField()


class ReuseScanSerializer(serializers.Serializer):
    slot = serializers.CharField(max_length=60, help_text=_("材料清单中的一项，如 diploma"))
    kind = serializers.ChoiceField(
        choices=["education", "title"], help_text=_("个人档案类别：学历（education）、职称（title）")
    )
    entry = serializers.IntegerField(min_value=1, help_text=_("个人档案条目的 id（只能是本人的）"))


class PledgeSerializer(serializers.Serializer):
    typed_name = serializers.CharField(max_length=60, allow_blank=True)
    agreed = serializers.BooleanField()


class SlotSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    required = serializers.BooleanField()
    rules = serializers.CharField(help_text=_("上传前说明的格式、大小、页数和像素要求"))
    note = serializers.CharField()
    files = ApplicationFileSerializer(many=True)


class ChecklistSerializer(serializers.Serializer):
    slots = SlotSerializer(many=True)
    texts = serializers.ListField(child=serializers.DictField())
    blockers = serializers.ListField(child=serializers.CharField(), help_text=_("现在提交会被拒绝的全部原因"))
    unit_items = serializers.ListField(
        child=serializers.DictField(),
        help_text=_("由单位提供的材料及单位是否已上传（不影响提交，单位审核通过前须齐全）"),
    )
    committee_choices = serializers.ListField(
        child=serializers.DictField(), help_text=_("评审方式为评审时可选的评审委员会（评审该系列、级别的）")
    )


class PreCheckSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    earliest_eligible_on = serializers.DateField(allow_null=True)
    problem = serializers.CharField()
    ruleset_code = serializers.CharField()
    ruleset_version = serializers.IntegerField(allow_null=True)
    checks = serializers.ListField(child=serializers.DictField())


class ApplicationViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """An applicant's applications (unit and bureau staff see submitted ones in their remit)."""

    serializer_class = ApplicationSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.applications_for_user(self.request.user).prefetch_related("achievements").order_by("-id")

    def _own(self) -> Application:
        application = self.get_object()
        if application.applicant_id != self.request.user.pk:
            raise NotFound(NOT_FOUND)
        return application

    @extend_schema(
        request=ApplicationCreateSerializer, responses={201: ApplicationSerializer}, summary=_("新建申报草稿")
    )
    def create(self, request, *args, **kwargs):
        if not can_file(request.user):
            raise NotFound(NOT_FOUND)
        payload = ApplicationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        application = services.application_create(actor=request.user, request=request, **payload.validated_data)
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=DraftSerializer,
        responses=ApplicationSerializer,
        summary=_("保存草稿（部分字段）"),
        description=_("只保存提交的字段；任一字段有误则全部不保存，并一次列出全部问题。"),
    )
    def partial_update(self, request, *args, **kwargs):
        application = self._own()
        payload = DraftSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            application = services.application_save_draft(
                actor=request.user, application=application, data=payload.validated_data, request=request
            )
        except DjangoPermissionDenied:
            raise NotFound(NOT_FOUND) from None
        return Response(ApplicationSerializer(application).data)

    @extend_schema(responses=ChecklistSerializer, summary=_("材料清单与提交前检查"))
    @action(detail=True, methods=["get"])
    def checklist(self, request, pk=None):
        from django.utils import timezone

        application = self._own()
        slots, texts = materials.checklist(application)
        files = list(application.files.select_related("attachment"))
        blockers, _ = services.submission_blockers(application, timezone.now())
        own = [f for f in files if not f.supplied_by_unit]
        unit_files = [f for f in files if f.supplied_by_unit]
        return Response(
            {
                "slots": [
                    {
                        "id": slot.id,
                        "name": slot.name,
                        "required": slot.required,
                        "rules": slot.rules.describe(),
                        "note": slot.note,
                        "files": ApplicationFileSerializer([f for f in own if f.slot == slot.id], many=True).data,
                    }
                    for slot in slots
                ],
                "unit_items": [
                    {
                        "id": item.id,
                        "name": item.name,
                        "required": item.required,
                        "uploadable": item.uploadable,
                        "files": ApplicationFileSerializer(
                            [f for f in unit_files if f.slot == item.id], many=True
                        ).data,
                    }
                    for item in materials.unit_items(application)
                ],
                "committee_choices": [{"id": c.pk, "name": c.name} for c in materials.committee_choices(application)]
                if application.evaluation_method == Application.EvaluationMethod.COMMITTEE_REVIEW
                else [],
                "texts": [
                    {"id": t.id, "field": t.field, "name": t.name, "min_chars": t.min_chars, "max_chars": t.max_chars}
                    for t in texts
                ],
                "blockers": blockers,
            }
        )

    @extend_schema(
        request=UploadSerializer, responses={201: ApplicationFileSerializer}, summary=_("上传材料到清单中的一项")
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def upload(self, request, pk=None):
        application = self._own()
        payload = UploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            item = services.application_upload(
                actor=request.user,
                application=application,
                slot=payload.validated_data["slot"],
                upload=payload.validated_data["file"],
                request=request,
            )
        except DjangoPermissionDenied:
            raise NotFound(NOT_FOUND) from None
        return Response(ApplicationFileSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReuseScanSerializer,
        responses={201: ApplicationFileSerializer},
        summary=_("从个人档案选用扫描件放入材料清单中的一项"),
        description=_(
            "学历学位证书、聘书等已在个人档案中上传的扫描件可直接选用，无须重新上传；他人的档案条目返回 404。"
        ),
    )
    @action(detail=True, methods=["post"], url_path="reuse-scan")
    def reuse_scan(self, request, pk=None):
        application = self._own()
        payload = ReuseScanSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        entry = selectors.get_record_entry_for_user(request.user, data["kind"], data["entry"])
        try:
            item = services.application_attach_record_scan(
                actor=request.user, application=application, slot=data["slot"], entry=entry, request=request
            )
        except DjangoPermissionDenied:
            raise NotFound(NOT_FOUND) from None
        return Response(ApplicationFileSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=PreCheckSerializer, summary=_("申报条件预审"))
    @action(detail=True, methods=["get"])
    def precheck(self, request, pk=None):
        result = services.application_precheck(application=self._own())
        return Response(
            {
                "eligible": result.eligible,
                "earliest_eligible_on": result.earliest_eligible_on,
                "problem": result.problem,
                "ruleset_code": result.ruleset_code,
                "ruleset_version": result.ruleset_version,
                "checks": result.checks,
            }
        )

    @extend_schema(request=PledgeSerializer, responses={204: None}, summary=_("签署诚信承诺书"))
    @action(detail=True, methods=["post"])
    def pledge(self, request, pk=None):
        application = self._own()
        payload = PledgeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            services.pledge_sign(actor=request.user, application=application, request=request, **payload.validated_data)
        except DjangoPermissionDenied:
            raise NotFound(NOT_FOUND) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses={201: SubmissionSerializer, 200: SubmissionSerializer},
        summary=_("提交申报"),
        description=_(
            "在申报时间内、预审通过（或破格审批表已经市人社局批准）、必传材料齐全、字数符合、已签承诺书时提交；"
            "否则 400 并列出全部阻止提交的原因。重复提交返回同一份提交快照（200）。"
        ),
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self._own()
        already = application.status == Application.Status.SUBMITTED
        try:
            submission = services.application_submit(actor=request.user, application=application, request=request)
        except DjangoPermissionDenied:
            raise NotFound(NOT_FOUND) from None
        return Response(
            SubmissionSerializer(submission).data, status=status.HTTP_200_OK if already else status.HTTP_201_CREATED
        )


KIND_HELP = lazy(
    lambda: (
        _("类别：%(kinds)s")
        % {
            "kinds": _("、").join(
                _("%(value)s（%(label)s）") % {"value": value, "label": label}
                for value, label in Achievement.Kind.choices
            )
        }
    ),
    str,
)()


class AchievementSerializer(serializers.ModelSerializer):
    # A plain string with the choices described: units' organisation kind already owns "KindEnum".
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    proof = AttachmentSerializer(read_only=True)

    class Meta:
        model = Achievement
        fields = [
            "id",
            "person",
            "kind",
            "title",
            "achieved_on",
            "role",
            "description",
            "proof",
            "status",
            "status_label",
            "rejection_reason",
        ]
        read_only_fields = ["person", "status", "rejection_reason"]


class AchievementCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=KIND_HELP)
    title = serializers.CharField(max_length=200)
    achieved_on = serializers.DateField()
    role = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    proof = serializers.FileField()


class AchievementDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AchievementViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The achievement archive: applicants add entries, their unit approves them."""

    serializer_class = AchievementSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return selectors.achievements_for_user(self.request.user).order_by("-id")

    @extend_schema(request=AchievementCreateSerializer, responses={201: AchievementSerializer}, summary=_("添加业绩"))
    def create(self, request, *args, **kwargs):
        if not can_file(request.user):
            raise NotFound(NOT_FOUND)
        payload = AchievementCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        proof = data.pop("proof")
        entry = services.achievement_add(actor=request.user, data=data, proof=proof, request=request)
        return Response(AchievementSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AchievementDecisionSerializer, responses=AchievementSerializer, summary=_("单位审核业绩"))
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        entry = self.get_object()
        if request.user.role not in UNIT_ROLES:
            raise NotFound(NOT_FOUND)
        payload = AchievementDecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            entry = services.achievement_decide(
                actor=request.user, achievement=entry, request=request, **payload.validated_data
            )
        except DjangoPermissionDenied:
            raise NotFound(NOT_FOUND) from None
        return Response(AchievementSerializer(entry).data)
