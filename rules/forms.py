from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rules import labels

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CalendarOverrideForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label=_("调整为"), choices=[("1", _("工作日（调休上班）")), ("0", _("休息日（节假日）"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("依据"), max_length=120, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )


# --- Authoring rule sets ---------------------------------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(table: dict[str, Any], blank: Any = None) -> list[tuple[str, Any]]:
    return ([("", blank)] if blank is not None else []) + list(table.items())


class DocumentFieldsForm(forms.Form):
    """The rule set's own fields: what it is called, who issued it, its 文号 and dates."""

    name = forms.CharField(
        label=_("名称"), max_length=120, help_text=_("如“昆明市盘龙区2025年第一期初级职称考核认定”。")
    )
    issuer = forms.CharField(label=_("发文机关"), max_length=200, required=False)
    document_number = forms.CharField(
        label=_("文号"), max_length=120, required=False, help_text=_("如“盘人社〔2025〕5号”。")
    )
    source_document = forms.CharField(
        label=_("依据文件"), max_length=120, help_text=_("文件标题或文号；各条规则的出处写到条款。")
    )
    effective_from = forms.DateField(label=_("生效日期"), widget=DATE, required=False)
    effective_to = forms.DateField(label=_("失效日期"), widget=DATE, required=False, help_text=_("长期有效的留空。"))
    covers_note = forms.CharField(
        label=_("适用范围说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    FIELD_PATHS = {
        "name": "name",
        "issuer": "issuer",
        "document_number": "document_number",
        "source_document": "source_document",
        "effective_from": "effective_from",
        "effective_to": "effective_to",
        "covers.note": "covers_note",
    }

    @classmethod
    def initial_from(cls, data: dict) -> dict:
        return {
            "name": data.get("name", ""),
            "issuer": data.get("issuer", ""),
            "document_number": data.get("document_number", ""),
            "source_document": data.get("source_document", ""),
            "effective_from": data.get("effective_from") or None,
            "effective_to": data.get("effective_to") or None,
            "covers_note": (data.get("covers") or {}).get("note", ""),
        }

    def apply_to(self, data: dict) -> dict:
        """``data`` with the typed fields (the document keeps everything else)."""
        import copy

        out = copy.deepcopy(data)
        cleaned = self.cleaned_data
        for key in ("name", "source_document"):
            out[key] = cleaned[key].strip()
        for key in ("issuer", "document_number"):
            value = cleaned[key].strip()
            if value or key in out:
                out[key] = value
        for key in ("effective_from", "effective_to"):
            value = cleaned[key]
            if value is not None or key in out:
                out[key] = value.isoformat() if value else None
        note = cleaned["covers_note"].strip()
        covers = dict(out.get("covers") or {})
        if note:
            covers["note"] = note
        else:
            covers.pop("note", None)
        if covers or "covers" in out:
            out["covers"] = covers
        return out


class JsonDocumentForm(forms.Form):
    document = forms.CharField(
        label=_("规则集 JSON"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
        help_text=_("格式见 docs/rulesets.md；保存时与表单同样校验，出错时指出位置。"),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("规则集文件（JSON）"), help_text=_("UTF-8 编码的 .json 文件，不超过2MB。"))

    MAX_BYTES = 2 * 1024 * 1024


class PolicyDocumentForm(forms.Form):
    title = forms.CharField(label=_("文件标题"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=120, required=False)
    file = forms.FileField(label=_("政策文件（PDF）"), help_text=_("PDF，不超过30MB、500页；上传时按内容检查。"))


class NewClauseForm(forms.Form):
    kind = forms.ChoiceField(label=_("检查类型"), choices=())

    def __init__(self, *args, **kwargs):
        from rules.clause_editor import check_kinds

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = check_kinds()


class BenchCaseForm(forms.Form):
    """A case for the bench: the facts the "can I apply?" check reads from the personal record
    (one entry of each list), or a pasted profile of the eligibility contract."""

    name = forms.CharField(label=_("用例名称"), max_length=200, help_text=_("如“社保满4个月可以申报”。"))
    as_of = forms.DateField(label=_("检查日期"), widget=DATE)
    series = forms.ChoiceField(label=_("职称系列"), choices=_choices(labels.SERIES, _("请选择")), required=False)
    level = forms.ChoiceField(label=_("申报级别"), choices=_choices(labels.LEVELS, _("请选择")), required=False)
    birth_date = forms.DateField(label=_("出生日期"), widget=DATE, required=False)
    gender = forms.ChoiceField(label=_("性别"), choices=_choices(labels.GENDERS, _("未填")), required=False)
    civil_servant = forms.BooleanField(label=_("公务员（参照公务员法管理人员）"), required=False)
    retired = forms.BooleanField(label=_("已办理退休"), required=False)
    unit_kind = forms.ChoiceField(label=_("单位性质"), choices=_choices(labels.UNIT_KINDS, _("未填")), required=False)
    has_contract = forms.BooleanField(label=_("已与单位签订聘用合同或劳动合同"), required=False, initial=True)
    months_in_region = forms.IntegerField(label=_("在本地工作月数"), min_value=0, required=False)
    social_insurance_months_in_region = forms.IntegerField(label=_("在本地缴纳社保月数"), min_value=0, required=False)
    insured_unit_is_applying_unit = forms.BooleanField(label=_("社保缴纳单位即申报单位"), required=False, initial=True)
    current_post_since = forms.DateField(label=_("现岗位起始日期"), widget=DATE, required=False)
    professional_work_since = forms.DateField(label=_("参加专业技术工作日期"), widget=DATE, required=False)
    education_level = forms.ChoiceField(label=_("学历"), choices=_choices(labels.EDUCATION, _("无")), required=False)
    graduated_on = forms.DateField(label=_("毕业日期"), widget=DATE, required=False)
    full_time = forms.BooleanField(label=_("全日制"), required=False, initial=True)
    major_related = forms.BooleanField(label=_("所学专业与申报专业相近"), required=False, initial=True)
    skill_level = forms.ChoiceField(label=_("技能等级"), choices=_choices(labels.SKILLS, _("无")), required=False)
    skill_obtained_on = forms.DateField(label=_("技能等级取得日期"), widget=DATE, required=False)
    title_series = forms.ChoiceField(
        label=_("已取得职称的系列"), choices=_choices(labels.SERIES, _("无")), required=False
    )
    title_level = forms.ChoiceField(
        label=_("已取得职称的级别"), choices=_choices(labels.LEVELS, _("无")), required=False
    )
    title_obtained_on = forms.DateField(label=_("取得资格日期"), widget=DATE, required=False)
    title_appointed_on = forms.DateField(label=_("聘任日期"), widget=DATE, required=False)
    assessment_grade = forms.ChoiceField(
        label=_("近年年度考核"), choices=_choices(labels.GRADES, _("未填")), required=False, initial="qualified",
        help_text=_("用于检查日期之前的十个年度。"),
    )
    continuing_education_hours = forms.DecimalField(
        label=_("近年每年继续教育学时"), min_value=0, required=False, help_text=_("用于检查日期之前的十个年度。")
    )
    profile_json = forms.CharField(
        label=_("或粘贴申报人信息 JSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "class": "code"}),
        help_text=_("资格条件契约的格式（含 as_of 和 target）；填写后以它为准，上面的各项不再使用。"),
    )
    expected_eligible = forms.TypedChoiceField(
        label=_("预期结论"), choices=[("1", _("可以申报")), ("0", _("不能申报"))], coerce=lambda v: v == "1"
    )
    expected_earliest = forms.DateField(
        label=_("预期最早可申报日期"), widget=DATE, required=False,
        help_text=_("只用于“不能申报”：时间推移后可以申报的日期；留空则不核对。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.data.get("profile_json", "").strip():
            self.fields["as_of"].required = False

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("profile_json") or "").strip():
            for name in ("series", "level"):
                if not cleaned.get(name):
                    self.add_error(name, _("请选择。"))
        return cleaned

    def profile(self) -> dict:
        """The profile of the eligibility contract (raises ``ValueError`` for unreadable JSON)."""
        import json

        cleaned = self.cleaned_data
        pasted = (cleaned.get("profile_json") or "").strip()
        if pasted:
            return json.loads(pasted)
        as_of = cleaned["as_of"]
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        person = {
            "civil_servant": cleaned["civil_servant"], "retired": cleaned["retired"], "retirement_extended": False
        }
        if cleaned.get("birth_date"):
            person["birth_date"] = iso(cleaned["birth_date"])
        if cleaned.get("gender"):
            person["gender"] = cleaned["gender"]
        employment = {
            "has_contract": cleaned["has_contract"],
            "insured_unit_is_applying_unit": cleaned["insured_unit_is_applying_unit"],
        }
        for key in ("unit_kind", "months_in_region", "social_insurance_months_in_region"):
            if cleaned.get(key) not in (None, ""):
                employment[key] = cleaned[key]
        if cleaned.get("current_post_since") or cleaned.get("professional_work_since"):
            post = cleaned.get("current_post_since") or cleaned["professional_work_since"]
            employment["current_post_since"] = iso(post)
        years = range(as_of.year - 10, as_of.year)
        profile: dict = {
            "as_of": as_of.isoformat(),
            "target": {"series": cleaned["series"], "level": cleaned["level"]},
            "person": person,
            "employment": employment,
            "education": [],
            "skills": [],
            "titles": [],
            "assessments": [{"year": y, "grade": cleaned["assessment_grade"]} for y in years]
            if cleaned.get("assessment_grade") else [],
            "sanctions": [],
            "absences": [],
        }
        if cleaned.get("continuing_education_hours") is not None:
            hours = float(cleaned["continuing_education_hours"])
            profile["continuing_education_hours"] = {str(y): hours for y in years}
        if cleaned.get("professional_work_since"):
            profile["professional_work_since"] = iso(cleaned["professional_work_since"])
        if cleaned.get("education_level"):
            profile["education"].append({
                "level": cleaned["education_level"],
                "graduated_on": iso(cleaned.get("graduated_on")),
                "full_time": cleaned["full_time"],
                "major_related": cleaned["major_related"],
            })
        if cleaned.get("skill_level"):
            profile["skills"].append(
                {"level": cleaned["skill_level"], "obtained_on": iso(cleaned.get("skill_obtained_on"))}
            )
        if cleaned.get("title_level"):
            profile["titles"].append({
                "series": cleaned.get("title_series") or cleaned["series"],
                "level": cleaned["title_level"],
                "obtained_on": iso(cleaned.get("title_obtained_on")),
                "appointed_on": iso(cleaned.get("title_appointed_on")),
            })
        return profile
