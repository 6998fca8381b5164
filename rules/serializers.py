from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rules.engine import vocab


class EvaluateRequestSerializer(serializers.Serializer):
    ruleset = serializers.SlugField(help_text=_("规则集代码（租户文档 rulesets[].code）"))
    profile = serializers.JSONField(help_text=_("申报人信息，字段见 eligibility-contract.md"))


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    passed = serializers.BooleanField(
        allow_null=True, help_text=_("true 通过；false 不通过；null 由审核部门或评委会判断")
    )
    message = serializers.CharField()
    source = serializers.CharField(help_text=_("依据文件及条款"))


class DecisionSerializer(serializers.Serializer):
    ruleset = serializers.CharField()
    eligible = serializers.BooleanField()
    level = serializers.ChoiceField(choices=list(vocab.LEVELS), allow_null=True)
    earliest_eligible_on = serializers.DateField(allow_null=True)
    checks = CheckSerializer(many=True)


class MaterialsQuerySerializer(serializers.Serializer):
    series = serializers.ChoiceField(choices=list(vocab.SERIES))
    level = serializers.ChoiceField(choices=list(vocab.LEVELS))
    unit_kind = serializers.ChoiceField(choices=list(vocab.UNIT_KINDS), required=False)
    has_title = serializers.BooleanField(required=False, default=False)
    exceptional_promotion = serializers.BooleanField(required=False, default=False)


class MaterialItemSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()
    required = serializers.BooleanField()
    source = serializers.CharField()
    note = serializers.CharField()
    uploaded_by = serializers.CharField()
    rules = serializers.DictField()


# --- Authoring ------------------------------------------------------------------------------------


class RuleSetVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text=_("规则集代码"))
    version = serializers.IntegerField()
    status = serializers.CharField(help_text=_("draft 草稿；published 已发布"))
    in_force = serializers.BooleanField(help_text=_("是否为现行版本（最新发布的版本）"))
    name = serializers.CharField()
    document_number = serializers.CharField(help_text=_("文号"))
    effective_from = serializers.DateField(allow_null=True)
    effective_to = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)


class RuleSetDocumentSerializer(RuleSetVersionSerializer):
    document = serializers.JSONField(help_text=_("规则集文档，格式见 rules/schema/ruleset.schema.json"))


class RuleSetDocumentRequestSerializer(serializers.Serializer):
    document = serializers.JSONField(help_text=_("规则集文档（JSON 对象），格式见 rules/schema/ruleset.schema.json"))


class DraftRequestSerializer(serializers.Serializer):
    document = serializers.JSONField(
        required=False, help_text=_("导入的规则集文档；省略时复制所选版本。文档不带 cases 时沿用所选版本的测试用例。")
    )
    file = serializers.FileField(required=False, help_text=_("或上传规则集 JSON 文件（multipart）"))


class DocumentErrorSerializer(serializers.Serializer):
    valid = serializers.BooleanField(default=False)
    path = serializers.CharField(help_text=_("第一个问题的 JSON 路径，如 checks[5].min_months；$ 为整个文档"))
    message = serializers.CharField(help_text=_("原因（中文）"))
    where = serializers.CharField(help_text=_("位置的中文说明，如 第6条检查“社会保险” › 须满月数"))


class ValidationResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    checks = serializers.IntegerField(help_text=_("检查项数"))
    cases = serializers.IntegerField(help_text=_("测试用例数"))


class CheckLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    passed = serializers.BooleanField(allow_null=True)
    message = serializers.CharField()
    source = serializers.CharField()
    expected = serializers.BooleanField(allow_null=True, required=False)


class CaseOutcomeSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    name = serializers.CharField()
    passed = serializers.BooleanField()
    expected = serializers.DictField(help_text=_("预期结论：eligible、level、earliest_eligible_on、checks"))
    actual = serializers.DictField(help_text=_("实际结论：eligible、level、earliest_eligible_on"))
    differences = serializers.ListField(child=serializers.CharField(), help_text=_("不一致之处（中文）"))
    checks = CheckLineSerializer(many=True, help_text=_("不一致的检查"))
    error = serializers.CharField(help_text=_("申报人信息无法读取时的原因"))


class BenchResultSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    total = serializers.IntegerField()
    failed = serializers.IntegerField()
    summary = serializers.CharField()
    cases = CaseOutcomeSerializer(many=True)


class PublishRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("拒绝发布的原因（中文），列出未通过的用例"))
    bench = BenchResultSerializer()


class CaseRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    profile = serializers.JSONField(help_text=_("申报人信息（资格条件契约，含 as_of 和 target）"))
    expected = serializers.JSONField(help_text=_("预期结论：eligible 必填；level、earliest_eligible_on、checks 可选"))
    note = serializers.CharField(required=False, allow_blank=True)
