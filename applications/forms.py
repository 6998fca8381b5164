"""Forms parse input for the pages; every rule is checked again by the services."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from applications.models import (
    Absence,
    Achievement,
    AnnualAssessment,
    Application,
    ContinuingEducation,
    EducationEntry,
    PersonalRecord,
    Sanction,
    SkillQualification,
    TitleHeld,
    WorkPeriod,
)
from applications.services import MAIN_ACHIEVEMENTS_MAX, SELF_STATEMENT_MAX
from applications.uploads import DEFAULT_RULES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RecordForm(forms.ModelForm):
    class Meta:
        model = PersonalRecord
        fields = [
            "birth_date",
            "gender",
            "has_contract",
            "months_in_region",
            "social_insurance_months_in_region",
            "insured_unit_is_applying_unit",
            "current_post_since",
            "current_specialty",
            "civil_servant",
            "retired",
        ]
        widgets = {"birth_date": DateInput(), "current_post_since": DateInput()}


PROOF_HELP = lazy(lambda: _("上传前请确认：%(rules)s") % {"rules": DEFAULT_RULES.describe()}, str)()


class _EntryForm(forms.ModelForm):
    proof_label = None
    proof_required = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.proof_label:
            self.fields["proof"] = forms.FileField(
                label=self.proof_label, required=self.proof_required, help_text=PROOF_HELP
            )


class EducationForm(_EntryForm):
    proof_label = _("学历学位证书扫描件")
    proof_required = True

    class Meta:
        model = EducationEntry
        fields = ["level", "school", "major", "graduated_on", "full_time", "major_related", "degree_certificate"]
        widgets = {"graduated_on": DateInput()}


class WorkForm(_EntryForm):
    class Meta:
        model = WorkPeriod
        fields = ["start", "end", "employer", "post", "professional"]
        widgets = {"start": DateInput(), "end": DateInput()}


class TitleForm(_EntryForm):
    proof_label = _("聘书扫描件")
    proof_required = True

    class Meta:
        model = TitleHeld
        fields = ["series", "level", "name", "obtained_on", "appointed_on"]
        widgets = {"obtained_on": DateInput(), "appointed_on": DateInput()}


class AssessmentForm(_EntryForm):
    class Meta:
        model = AnnualAssessment
        fields = ["year", "grade"]


class ContinuingEducationForm(_EntryForm):
    class Meta:
        model = ContinuingEducation
        fields = ["year", "hours"]


class SkillForm(_EntryForm):
    proof_label = _("证书扫描件")

    class Meta:
        model = SkillQualification
        fields = ["level", "occupation", "obtained_on"]
        widgets = {"obtained_on": DateInput()}


class SanctionForm(_EntryForm):
    class Meta:
        model = Sanction
        fields = ["kind", "start", "end", "note"]
        widgets = {"start": DateInput(), "end": DateInput()}


class AbsenceForm(_EntryForm):
    class Meta:
        model = Absence
        fields = ["kind", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}


class AchievementForm(_EntryForm):
    proof_label = _("证明材料")
    proof_required = True

    class Meta:
        model = Achievement
        fields = ["kind", "title", "achieved_on", "role", "description"]
        widgets = {"achieved_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}


ENTRY_FORMS: dict[str, tuple[type[_EntryForm], str]] = {
    "education": (EducationForm, _("学历（从第一学历到最高学历）")),
    "work": (WorkForm, _("工作经历")),
    "title": (TitleForm, _("已取得职称")),
    "assessment": (AssessmentForm, _("年度考核")),
    "cpd": (ContinuingEducationForm, _("继续教育学时")),
    "skill": (SkillForm, _("技能等级")),
    "sanction": (SanctionForm, _("处分及审查情况（如有）")),
    "absence": (AbsenceForm, _("出国进修或病休情况（如有）")),
}


class ApplicationCreateForm(forms.Form):
    series = forms.ChoiceField(label=_("职称系列"), choices=Application._meta.get_field("series").choices)
    level = forms.ChoiceField(label=_("申报级别"), choices=Application._meta.get_field("level").choices)
    specialty = forms.CharField(label=_("专业"), max_length=60, required=False)


class DraftForm(forms.Form):
    """The application's own fields. Lengths are checked by the service, so a long text is
    reported with its count instead of being cut by the browser."""

    series = forms.ChoiceField(label=_("职称系列"), choices=Application._meta.get_field("series").choices)
    specialty = forms.CharField(label=_("专业"), required=False)
    level = forms.ChoiceField(label=_("申报级别"), choices=Application._meta.get_field("level").choices)
    exceptional_promotion = forms.BooleanField(
        label=_("破格申报"),
        required=False,
        help_text=_("不具备规定学历或资历、经批准破格推荐的，须上传破格推荐审批表。"),
    )
    entrusted_review = forms.BooleanField(
        label=_("委托评审"), required=False, help_text=_("委托其他评委会评审的，须上传委托评审函。")
    )
    self_statement = forms.CharField(
        label=_("本人述职"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "data-max-chars": SELF_STATEMENT_MAX}),
        help_text=lazy(
            lambda: _("专业工作业绩情况，限%(max)s字以内（空格和换行不计）。") % {"max": SELF_STATEMENT_MAX}, str
        )(),
    )
    main_achievements = forms.CharField(
        label=_("主要工作业绩"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "data-max-chars": MAIN_ACHIEVEMENTS_MAX}),
    )
    achievement_ids = forms.MultipleChoiceField(
        label=_("选用业绩（须经单位审核通过）"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, achievements=(), min_chars: int | None = None, committees=None, labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The text fields carry the names the rule set gives them (the errors use the same names).
        for name, label in (labels or {}).items():
            if name in self.fields:
                self.fields[name].label = label
        if committees is not None:
            # Committee review: the committees that accept this series × level (004 三 3).
            self.fields["committee"] = forms.ChoiceField(
                label=pgettext_lazy("one committee", "评审委员会"),
                required=False,
                choices=[("", _("请选择评审委员会"))] + [(str(c.pk), c.name) for c in committees],
                help_text=_("只列出评审该系列、级别的评审委员会；只有一个时提交时自动选定。"),
            )
        self.fields["achievement_ids"].choices = [
            (str(a.pk), _("%(kind)s：%(title)s") % {"kind": a.get_kind_display(), "title": a.title})
            for a in achievements
        ]
        field = self.fields["main_achievements"]
        if min_chars:
            field.widget.attrs["data-min-chars"] = min_chars
            field.help_text = _("须不少于%(min)s字（空格和换行不计）。") % {"min": min_chars}
        for name in self.fields:
            self.fields[name].widget.attrs.setdefault("data-draft", name)


class UploadForm(forms.Form):
    slot = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("选择文件"))


class PledgeForm(forms.Form):
    agreed = forms.BooleanField(label=_("本人已阅读并承诺"), required=False)
    typed_name = forms.CharField(label=_("签名（请输入您的姓名）"), max_length=60, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", pgettext_lazy("decision", "通过")), ("reject", pgettext_lazy("decision", "不通过"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("不通过原因"), max_length=500, required=False)


class ReuseScanForm(forms.Form):
    """“从个人档案选用”: which record entry's scan goes into which slot."""

    slot = forms.CharField(max_length=60)
    kind = forms.CharField(max_length=20)
    entry = forms.IntegerField(min_value=1)


class ExceptionalDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("refuse", _("不批准"))], widget=forms.RadioSelect)
    reason = forms.CharField(label=_("审批意见"), max_length=500, required=False)


class RosterFilingForm(forms.Form):
    window_name = forms.CharField(widget=forms.HiddenInput, max_length=120)
    file = forms.FileField(label=_("推荐人员名单（附件3）"))
