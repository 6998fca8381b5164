from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("身份证号或用户名"),
        max_length=60,
        help_text=_("申报人请输入18位身份证号；工作人员请输入用户名。"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": _("身份证号（用户名）或密码不正确。连续输错5次将锁定30分钟。"),
        "inactive": _("该账号已停用，请联系所在单位。"),
    }


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("原密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少10位，包含大写字母、小写字母、数字、符号中的三类，不能是常见密码或与姓名相近。"),
    )
    new_password_again = forms.CharField(
        label=_("再次输入新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class TwoFactorForm(forms.Form):
    code = forms.CharField(
        label=_("6位验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class TwoFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=_("重置原因"),
        max_length=200,
        help_text=_("例如“手机丢失，已电话确认本人”。将记入审计日志。"),
    )
