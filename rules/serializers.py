from __future__ import annotations

from rest_framework import serializers

from rules.engine import vocab


class EvaluateRequestSerializer(serializers.Serializer):
    ruleset = serializers.SlugField(help_text="规则集代码（租户文档 rulesets[].code）")
    profile = serializers.JSONField(help_text="申报人信息，字段见 eligibility-contract.md")


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    passed = serializers.BooleanField(allow_null=True, help_text="true 通过；false 不通过；null 由审核部门或评委会判断")
    message = serializers.CharField()
    source = serializers.CharField(help_text="依据文件及条款")


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
