from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from applications.models import LEVEL_CHOICES, SERIES_CHOICES
from committees.models import Expert

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("评委会名称"), max_length=120)
    series = forms.MultipleChoiceField(label=_("评审系列"), choices=SERIES_CHOICES, widget=forms.CheckboxSelectMultiple)
    levels = forms.MultipleChoiceField(label=_("评审级别"), choices=LEVEL_CHOICES, widget=forms.CheckboxSelectMultiple)
    filing_number = forms.CharField(label=_("核准备案文号"), max_length=60, required=False)


class ExpertForm(forms.Form):
    user = forms.ModelChoiceField(label=_("专家账号"), queryset=User.objects.none())
    series = forms.ChoiceField(label=_("专业所属系列"), choices=SERIES_CHOICES)
    specialty = forms.CharField(label=_("专业"), max_length=60)
    title_name = forms.CharField(label=_("职称"), max_length=60)
    unit_name = forms.CharField(label=_("工作单位"), max_length=120)
    birth_date = forms.DateField(label=_("出生日期"), widget=forms.DateInput(attrs={"type": "date"}))
    is_external = forms.BooleanField(label=_("市外专家"), required=False)

    def __init__(self, *args, tenant_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(tenant_id=tenant_id, role=Role.EXPERT).order_by("id")


class ExpertStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Expert.Status.choices)
    reason = forms.CharField(label=_("调整原因"), max_length=200, required=False)


class PlanForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=120)
    location = forms.CharField(label=_("会议地点"), max_length=120, required=False)
    starts_at = forms.DateTimeField(
        label=_("开始时间"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    expert_count = forms.IntegerField(label=_("抽取专家人数"), min_value=3, max_value=50, initial=7)
    applications = forms.MultipleChoiceField(
        label=_("评审议程（待评审的申报）"), choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = [
            (str(a.pk), f"{a.applicant.full_name}（{a.unit.name}，{a.get_series_display()}{a.get_level_display()}）")
            for a in candidates
        ]


class CloseForm(forms.Form):
    discussion = forms.CharField(label=_("评委会讨论意见"), max_length=4000, required=False, widget=forms.Textarea)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("表决意见"),
        choices=[("agree", _("同意")), ("disagree", _("不同意")), ("abstain", _("弃权"))],
        widget=forms.RadioSelect,
    )
