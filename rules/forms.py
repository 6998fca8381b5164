from __future__ import annotations

from django import forms

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WindowForm(forms.Form):
    name = forms.CharField(label="批次名称", max_length=120)
    opens_at = forms.DateTimeField(label="开始申报", widget=DATETIME, help_text="北京时间。")
    submit_closes_at = forms.DateTimeField(
        label="申报截止", widget=DATETIME, help_text="含该时刻：如17:00截止，17:00:00提交仍然有效，17:00:01起不再接受。"
    )
    return_closes_at = forms.DateTimeField(label="退回修改截止", widget=DATETIME, required=False)
    review_closes_at = forms.DateTimeField(label="审核截止", widget=DATETIME, required=False)
    source = forms.CharField(label="依据文件", max_length=120, required=False)


class CalendarOverrideForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="调整为", choices=[("1", "工作日（调休上班）"), ("0", "休息日（节假日）")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label="依据", max_length=120, help_text="如：国务院办公厅关于2027年部分节假日安排的通知")
