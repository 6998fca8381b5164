from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import PersonnelNature
from units.models import District, Organisation, Tenant


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class TenantScopedSelect(forms.Select):
    """Marks each option with its tenant so that the page shows only the chosen tenant's options."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-tenant"] = str(instance.tenant_id)
        return option


class UnitRegistrationForm(forms.Form):
    tenant = forms.ModelChoiceField(Tenant.objects.all(), label=_("所在地区（租户）"), empty_label=_("请选择"))
    name = forms.CharField(label=_("单位名称"), max_length=120)
    unit_kind = forms.ChoiceField(label=_("单位性质"), choices=[("", _("请选择")), *Organisation.UnitKind.choices])
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18)
    district = forms.ModelChoiceField(
        District.objects.select_related("tenant"),
        label=_("注册所在县（市、区）"),
        required=False,
        widget=TenantScopedSelect(attrs={"data-scoped-by": "id_tenant"}),
        empty_label=_("市本级（无县区）"),
    )
    competent_department = forms.ModelChoiceField(
        Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).select_related("tenant"),
        label=_("主管部门"),
        required=False,
        widget=TenantScopedSelect(attrs={"data-scoped-by": "id_tenant"}),
        empty_label=_("无（非公经济组织）"),
        help_text=_("事业单位和国有企业必须选择主管部门，由主管部门审核；非公经济组织由所在县（市、区）人社部门审核。"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=40)
    contact_phone = forms.CharField(label=_("联系电话（手机）"), max_length=11)
    address = forms.CharField(label=_("单位地址"), max_length=200, required=False)
    admin_username = forms.CharField(
        label=_("单位管理员用户名"), max_length=40, help_text=_("4–40位字母、数字或 _ . -，以字母开头。")
    )
    admin_full_name = forms.CharField(label=_("单位管理员姓名"), max_length=60)
    admin_password = forms.CharField(label=_("管理员密码"), strip=False, widget=forms.PasswordInput)
    documents = MultipleFileField(
        label=_("营业执照或法人证书扫描件"),
        help_text=_("PDF、JPG或PNG，每个不超过10MB。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].label_from_instance = lambda d: f"{d.tenant.name} · {d.name}"
        self.fields["competent_department"].label_from_instance = lambda o: f"{o.tenant.name} · {o.name}"


class RegistrationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"), choices=[("approve", _("通过")), ("reject", _("不通过"))], widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("不通过原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行写一条原因，请一次写明全部问题（一次告知）。"),
    )

    def reason_list(self) -> list[str]:
        return [line for line in self.cleaned_data.get("reasons", "").splitlines() if line.strip()]


class ApplicantForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, min_length=18, help_text=_("18位居民身份证号码。"))
    phone = forms.CharField(label=_("手机号"), max_length=11, required=False)
    personnel_nature = forms.ChoiceField(label=_("人员性质"), choices=[("", _("请选择")), *PersonnelNature.choices])
    initial_password = forms.CharField(
        label=_("初始密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("仅在本地区由单位设置初始密码时填写；否则初始密码为身份证号后六位。"),
    )


class RosterImportForm(forms.Form):
    file = forms.FileField(label=_("花名册（Excel .xlsx）"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    initial_password = forms.CharField(
        label=_("统一初始密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("仅在本地区由单位设置初始密码、且花名册未填“初始密码”列时使用。"),
    )


class ResetPasswordForm(forms.Form):
    new_password = forms.CharField(label=_("新的初始密码"), required=False, strip=False, widget=forms.PasswordInput)


class GreenChannelApprovalForm(forms.Form):
    document = forms.CharField(label=_("批准文件文号"), max_length=120)


class UnitCorrectionForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=120)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18)
    contact_name = forms.CharField(label=_("联系人"), max_length=40)
    contact_phone = forms.CharField(label=_("联系电话（手机）"), max_length=11)
    address = forms.CharField(label=_("单位地址"), max_length=200, required=False)
    documents = MultipleFileField(
        label=_("补充或更换的扫描件"),
        required=False,
        help_text=_("如退回原因涉及材料，请在此重新上传；PDF、JPG或PNG，每个不超过10MB。"),
    )
