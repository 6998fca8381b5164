from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from applications.models import LEVEL_CHOICES, SERIES_CHOICES
from committees.models import Expert

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
DEFAULT_EXPERTS = 7


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
    expert_count = forms.IntegerField(label=_("抽取专家人数"), min_value=3, max_value=50, initial=DEFAULT_EXPERTS)
    applications = forms.MultipleChoiceField(
        label=_("评审议程（待评审的申报）"), choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates: list, drawable: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if drawable is not None:
            # The default is what the pool can staff today (never more than the usual seven).
            self.fields["expert_count"].initial = max(3, min(DEFAULT_EXPERTS, drawable))
            self.fields["expert_count"].help_text = f"按今天的专家库，可抽取的专家{drawable}人（已排除回避人员）。"
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


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200)


class ExpertAccountForm(forms.Form):
    """A new expert login and its place in the pool (the initial password is generated)."""

    username = forms.CharField(label=_("用户名（登录名）"), max_length=60,
                               help_text=_("字母、数字或“_ . -”，专家用它登录。"))
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    series = forms.ChoiceField(label=_("专业所属系列"), choices=())
    specialty = forms.CharField(label=_("专业"), max_length=60)
    title_name = forms.CharField(label=_("职称"), max_length=60)
    unit_name = forms.CharField(label=_("工作单位"), max_length=120,
                                help_text=_("与本市单位名称一致的，抽取时自动回避该单位的申报人。"))
    birth_date = forms.DateField(label=_("出生日期"), widget=forms.DateInput(attrs={"type": "date"}))
    is_external = forms.BooleanField(label=_("市外专家"), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=Expert.Status.choices, initial=Expert.Status.ACTIVE)
    status_reason = forms.CharField(label=_("调整原因（不在库时填写）"), max_length=200, required=False)

    def __init__(self, *args, committee, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        names = dict(SERIES_CHOICES)
        self.fields["series"].choices = [(code, names.get(code, code)) for code in committee.series]


class ExpertImportForm(forms.Form):
    file = forms.FileField(label=_("专家名单（Excel .xlsx）"))


class PledgeForm(forms.Form):
    agreed = forms.BooleanField(label=_("我已阅读并同意遵守以上保密承诺"))
    typed_name = forms.CharField(label=_("签名（请输入您的姓名）"), max_length=60)


class ObjectionForm(forms.Form):
    item = forms.ChoiceField(label=_("被反映的申报人"), choices=())
    name = forms.CharField(label=_("反映人真实姓名"), max_length=40)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    content = forms.CharField(label=_("反映内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(str(i.pk), i.application.applicant.full_name) for i in items]


class ObjectionResolveForm(forms.Form):
    finding = forms.CharField(label=_("调查核实结论"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    upheld = forms.TypedChoiceField(
        label=_("核实结果"), choices=[("0", _("反映不实")), ("1", _("反映属实"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
