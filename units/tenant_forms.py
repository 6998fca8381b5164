"""Forms of the tenant configuration pages. Each edits one section of the tenant's exported
document (``edit``) and knows which of its fields a ``DocumentError`` path names (``show_error``);
the view then applies the whole document through ``tenant_apply``."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.schemas import DocumentError
from rules.engine.vocab import LEVEL_ORDER, LEVELS, SERIES
from units.models import Organisation, Tenant
from units.tenant_labels import (
    CHAIN_LEVELS,
    CHAIN_WHEN,
    DEADLINES,
    METHODS,
    SETTING_LABELS,
    VALUES,
    _inner,
    describe_error,
    parse_path,
)
from units.tenant_settings import SCHEMA_PATH, defaults

MAX_JSON_BYTES = 5 * 1024 * 1024
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S")
STAFF_ROLES = [(value, label) for value, label in Role.choices if value not in (Role.APPLICANT, Role.PLATFORM_ADMIN)]
KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$")


def _month_label_text(month: int) -> str:
    return gettext("%(month)s月") % {"month": month}


_month_label = lazy(_month_label_text, str)


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _resolve(spec: dict[str, Any]) -> dict[str, Any]:
    ref = spec.get("$ref")
    if ref and ref.startswith("#/$defs/"):
        return _schema()["$defs"][ref.removeprefix("#/$defs/")]
    return spec


def read_json_upload(upload, *, field: str | None = None) -> Any:
    """The JSON value of an uploaded file, or a ``ValidationError`` in Chinese."""
    from core.uploads import check_file_name

    name = upload.name or gettext("文件")
    check_file_name(name, field=field or gettext("文件"))
    if upload.size > MAX_JSON_BYTES:
        raise ValidationError(gettext("文件“%(name)s”超过%(value)sMB上限。") % {
            "name": name,
            "value": MAX_JSON_BYTES // 1048576,
        })
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(gettext(
            "文件“%(name)s”不是 UTF-8 编码的文本，请以 UTF-8 保存 JSON 文件。"
        ) % {"name": name}) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            gettext(
                "文件“%(name)s”不是有效的 JSON（第%(lineno)s行第%(colno)s列）：请检查括号、引号和逗号。"
            ) % {"name": name, "lineno": error.lineno, "colno": error.colno}
        ) from None


class PrettyJSONField(forms.JSONField):
    """A JSON textarea for one structured setting, indented, with Chinese messages."""

    widget = forms.Textarea

    def to_python(self, value):
        if self.disabled:
            return value
        if value in self.empty_values:
            return None
        if isinstance(value, (list, dict, int, float)):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise ValidationError(
                gettext(
                    "不是有效的 JSON（第%(lineno)s行第%(colno)s列）：请检查括号、引号和逗号。"
                ) % {"lineno": error.lineno, "colno": error.colno}, code="invalid"
            ) from None

    def prepare_value(self, value):
        if isinstance(value, str):
            return value  # what the person typed, shown again with its error
        return json.dumps(value, ensure_ascii=False, indent=2)

    def bound_data(self, data, initial):
        return data

    def has_changed(self, initial, data):
        return True


class SectionForm(forms.Form):
    """One section's form: ``edit`` changes the document, ``show_error`` places a refusal."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def edit(self, document: dict[str, Any]) -> str:  # pragma: no cover - every form overrides it
        raise NotImplementedError

    def field_for(self, parts: list[str | int]) -> tuple[str | None, list[str | int]]:
        """(form field, the rest of the path) that ``parts`` of an error's path name."""
        return None, parts

    def show_error(self, error: DocumentError, document: dict[str, Any]) -> None:
        field, rest = self.field_for(parse_path(error.path))
        if field and field in self.fields:
            inner = _inner("settings", rest) if rest else ""
            self.add_error(field, gettext("%(inner)s：%(message)s") % {
                "inner": inner,
                "message": error.message,
            } if inner else error.message)
        else:
            self.add_error(None, describe_error(error, document))


# --- Platform admin ------------------------------------------------------------------------------


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("租户文档（JSON）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        help_text=_("按平台租户文档格式编写的 JSON 文件（units/schema/tenant.schema.json）；整份校验通过后才写入。"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False, help_text=_("写入版本记录，如“初次接入”。"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        document = read_json_upload(upload)
        if not isinstance(document, dict):
            raise ValidationError(gettext("文档应为一个 JSON 对象（以 { 开头）。"))
        self.cleaned_data["document"] = document
        return upload


class TenantCreateForm(forms.Form):
    code = forms.RegexField(
        label=_("租户代码"),
        regex=r"^[a-z][a-z0-9-]{1,39}$",
        max_length=40,
        help_text=_("小写字母开头，只用小写字母、数字和连字符，如 luoyang；创建后不能修改。"),
        error_messages={"invalid": _("须以小写字母开头，只能用小写字母、数字和连字符，2至40个字符。")},
    )
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如“洛阳市”。"))
    province = forms.CharField(label=_("省份"), max_length=40, help_text=_("如“河南省”。"))
    authority_name = forms.CharField(
        label=_("职称主管机关"), max_length=100, help_text=_("如“洛阳市人力资源和社会保障局”。")
    )
    region_code = forms.RegexField(
        label=_("行政区划代码"),
        regex=r"^[0-9]{6}$",
        help_text=_("6位数字，用于证书编号，如 410300。"),
        error_messages={"invalid": _("应为6位数字。")},
    )
    bureau_name = forms.CharField(
        label=_("市人社局名称"), max_length=120, help_text=_("审核链的市级；通常与职称主管机关相同。")
    )
    admin_username = forms.RegexField(
        label=_("首位管理员用户名"),
        regex=r"^[A-Za-z0-9][A-Za-z0-9_.@-]{2,59}$",
        help_text=_("3–60位字母、数字或 _ . @ -，如 luoyang-admin。初始密码随机生成，只显示一次。"),
        error_messages={"invalid": _("3–60位字母、数字或 _ . @ -，以字母或数字开头。")},
    )
    admin_name = forms.CharField(label=_("管理员姓名"), max_length=60, initial=_("管理员"))

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code == "new":  # /units/tenants/new/ is the page that creates one
            raise ValidationError(gettext("“new”不能用作租户代码，请换一个。"))
        if Tenant.objects.filter(code=code).exists():
            raise ValidationError(gettext("租户代码“%(code)s”已被使用。") % {"code": code})
        return code

    def document(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name": data["name"],
            "province": data["province"],
            "authority_name": data["authority_name"],
            "region_code": data["region_code"],
            "organisations": [{"key": "city", "kind": "city_bureau", "name": data["bureau_name"]}],
            "staff": [
                {
                    "username": data["admin_username"],
                    "role": Role.TENANT_ADMIN.value,
                    "organisation": "city",
                    "name": data["admin_name"],
                }
            ],
        }

    FIELDS = {
        "code": "code",
        "name": "name",
        "province": "province",
        "authority_name": "authority_name",
        "region_code": "region_code",
    }

    def show_error(self, error: DocumentError, document: dict[str, Any]) -> None:
        parts = parse_path(error.path)
        field = None
        if parts and parts[0] in self.FIELDS:
            field = self.FIELDS[parts[0]]
        elif parts[:1] == ["organisations"]:
            field = "bureau_name"
        elif parts[:1] == ["staff"]:
            field = "admin_name" if parts[-1:] == ["name"] else "admin_username"
        if field:
            self.add_error(field, error.message)
        else:
            self.add_error(None, describe_error(error, document))


# --- Settings ------------------------------------------------------------------------------------


def _choice_label(name: str, value: Any) -> str:
    return gettext(str(VALUES.get(name, {}).get(value, value)))


def _setting_field(name: str, spec: dict[str, Any]) -> forms.Field:
    kind = spec.get("type")
    description = spec.get("description", "")
    if kind == ["integer", "null"]:
        description = description.replace("null 为不限", "留空为不限")
    # The descriptions are listed in units/schema_messages.py, so they read in the page's language.
    help_text = gettext(description) if description else ""
    label = SETTING_LABELS.get(name) or help_text or name
    if "enum" in spec:
        return forms.ChoiceField(
            label=label, help_text=help_text, choices=[(v, _choice_label(name, v)) for v in spec["enum"]]
        )
    if kind == "boolean":
        return forms.BooleanField(label=label, help_text=help_text, required=False)
    if kind in ("integer", ["integer", "null"]):
        nullable = kind != "integer"
        return forms.IntegerField(
            label=label,
            help_text=help_text,
            required=not nullable,
            min_value=spec.get("minimum"),
            max_value=spec.get("maximum"),
        )
    if kind == "string":
        return forms.CharField(
            label=label, help_text=help_text, max_length=spec.get("maxLength"), min_length=spec.get("minLength")
        )
    if kind == "array":
        items = _resolve(spec.get("items", {}))
        if "enum" in items and spec.get("uniqueItems"):
            return forms.MultipleChoiceField(
                label=label,
                help_text=help_text,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(v, _choice_label(name, v)) for v in items["enum"]],
            )
    return PrettyJSONField(
        label=label,
        help_text=help_text + gettext(" 以 JSON 填写，保存时按格式校验。"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "json"}),
    )


class SettingsForm(SectionForm):
    """Every setting of the schema, with its description as help text."""

    def __init__(self, *args, current: dict[str, Any], **kwargs):
        self.current = current
        super().__init__(*args, initial={**current, **kwargs.pop("initial", {})}, **kwargs)
        for name, spec in _schema()["$defs"]["settings"]["properties"].items():
            self.fields[name] = _setting_field(name, spec)

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, PrettyJSONField) and name in data and data[name] is None:
                data[name] = defaults()[name]
        return data

    def settings(self) -> dict[str, Any]:
        names = [name for name in self.fields if name != "base_version"]
        return {name: self.cleaned_data[name] for name in names}

    def edit(self, document: dict[str, Any]) -> str:
        new = self.settings()
        old = document.get("settings", {})
        changed = [name for name, value in new.items() if old.get(name, defaults().get(name)) != value]
        document["settings"] = {**old, **new}
        with translation.override("zh-hans"):  # the note is stored with the version: in Chinese
            labels = "、".join(str(self.fields[name].label) for name in changed)
        return "修改设置：" + labels if changed else "修改设置"

    def field_for(self, parts):
        if parts[:1] == ["settings"] and len(parts) > 1 and parts[1] in self.fields:
            return str(parts[1]), parts[2:]
        return None, parts


# --- Districts -----------------------------------------------------------------------------------


class DistrictForm(SectionForm):
    code = forms.RegexField(
        label=_("行政区划代码"), regex=r"^[0-9]{6}$", error_messages={"invalid": _("应为6位数字，如 410302。")}
    )
    name = forms.CharField(label=_("名称"), max_length=60, help_text=_("如“老城区”。"))

    def edit(self, document):
        codes = [item["code"] for item in document["districts"]]
        if self.cleaned_data["code"] in codes:
            raise ValidationError({"code": gettext("该行政区划代码已在本地区的县（市、区）中。")})
        document["districts"].append({"code": self.cleaned_data["code"], "name": self.cleaned_data["name"]})
        self.index = len(document["districts"]) - 1
        return f"新增县（市、区）：{self.cleaned_data['name']}"

    def field_for(self, parts):
        if parts[:2] == ["districts", getattr(self, "index", -1)] and len(parts) > 2:
            return str(parts[2]), parts[3:]
        return None, parts


class DistrictRenameForm(SectionForm):
    code = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("名称"), max_length=60)

    def edit(self, document):
        for index, item in enumerate(document["districts"]):
            if item["code"] == self.cleaned_data["code"]:
                old = item["name"]
                item["name"] = self.cleaned_data["name"]
                self.index = index
                return f"县（市、区）改名：{old} → {item['name']}"
        raise ValidationError(gettext("没有这个县（市、区）。"))

    field_for = DistrictForm.field_for


# --- Organisations -------------------------------------------------------------------------------


def _district_choices(document) -> list[tuple[str, str]]:
    return [("", gettext("市本级（不在县区）"))] + [(d["code"], gettext("%(name)s（%(code)s）") % {
        "name": d['name'],
        "code": d['code'],
    }) for d in document["districts"]]


def _department_choices(document) -> list[tuple[str, str]]:
    departments = [(o["key"], o["name"]) for o in document["organisations"] if o["kind"] == "department"]
    return [("", gettext("无")), *departments]


def _new_key(document: dict[str, Any], spec: dict[str, Any]) -> str:
    taken = {item["key"] for item in document["organisations"]}
    base = {
        "city_bureau": "city",
        "county_bureau": f"county-{spec.get('district', '')}".rstrip("-"),
        "department": "dept",
        "unit": "unit",
    }[spec["kind"]]
    if base not in taken and spec["kind"] in ("city_bureau", "county_bureau"):
        return base
    number = 1
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


class OrganisationForm(SectionForm):
    OPTIONAL = (
        "district",
        "unit_kind",
        "credit_code",
        "competent_department",
        "contact_name",
        "contact_phone",
        "address",
        "out_of_province_branch",
    )

    kind = forms.ChoiceField(label=_("类别"), choices=[("", _("请选择")), *Organisation.Kind.choices])
    name = forms.CharField(label=_("名称"), max_length=120)
    key = forms.CharField(
        label=_("标识"),
        max_length=60,
        required=False,
        help_text=_("本地区文档中引用该机构的标识（字母、数字、- _ .）；留空自动生成，创建后不能修改。"),
    )
    district = forms.ChoiceField(label=_("所在县（市、区）"), required=False, help_text=_("县（市、区）人社局必填。"))
    unit_kind = forms.ChoiceField(
        label=_("单位性质"),
        required=False,
        choices=[("", _("（非用人单位不填）")), *Organisation.UnitKind.choices],
        help_text=_("用人单位必填。"),
    )
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    competent_department = forms.ChoiceField(
        label=_("主管部门"), required=False, help_text=_("事业单位、国有企业由主管部门审核；非公经济组织不填。")
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    out_of_province_branch = forms.BooleanField(
        label=_("外省企业分公司"),
        required=False,
        help_text=_("在本地工商登记的外省企业分公司（不含中央、省属和市属单位）：申报人须上传总公司出具的推荐报告。"),
    )

    def __init__(self, *args, document: dict[str, Any], existing: dict[str, Any] | None = None, **kwargs):
        self.existing = existing
        if existing is not None:
            kwargs.setdefault("initial", {name: existing.get(name, "") for name in ("name", *self.OPTIONAL)})
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = _district_choices(document)
        self.fields["competent_department"].choices = _department_choices(document)
        if existing is not None:
            del self.fields["kind"]
            del self.fields["key"]

    def clean_key(self):
        key = self.cleaned_data.get("key", "").strip()
        if key and not KEY_PATTERN.match(key):
            raise ValidationError(gettext("只能用字母、数字和 - _ .，以字母或数字开头，不超过60个字符。"))
        return key

    def clean_credit_code(self):
        return self.cleaned_data.get("credit_code", "").strip().upper()

    def spec(self) -> dict[str, Any]:
        data = self.cleaned_data
        spec: dict[str, Any] = {"name": data["name"]}
        for name in self.OPTIONAL:
            if data.get(name):
                spec[name] = data[name]
        return spec

    def edit(self, document):
        if self.existing is None:
            spec = {"kind": self.cleaned_data["kind"], **self.spec()}
            spec = {"key": self.cleaned_data.get("key") or _new_key(document, spec), **spec}
            if any(item["key"] == spec["key"] for item in document["organisations"]):
                raise ValidationError({"key": gettext(
                    "标识“%(key)s”已被本地区的其他机构使用。"
                ) % {"key": spec['key']}})
            document["organisations"].append(spec)
            self.index = len(document["organisations"]) - 1
            return f"新增机构：{spec['name']}"
        for index, item in enumerate(document["organisations"]):
            if item["key"] == self.existing["key"]:
                document["organisations"][index] = {"key": item["key"], "kind": item["kind"], **self.spec()}
                self.index = index
                return f"修改机构：{self.cleaned_data['name']}"
        raise ValidationError(gettext("该机构已不在本地区的配置中，请刷新页面。"))

    def field_for(self, parts):
        if parts[:2] == ["organisations", getattr(self, "index", -1)]:
            field = parts[2] if len(parts) > 2 else None
            return (str(field) if field in self.fields else None), parts[3:]
        return None, parts


class OrganisationImportForm(forms.Form):
    file = forms.FileField(
        label=_("单位名单（Excel .xlsx）"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )


# --- Staff ---------------------------------------------------------------------------------------


def _organisation_choices(document) -> list[tuple[str, str]]:
    kinds = dict(Organisation.Kind.choices)
    return [("", gettext("（不属于机构）"))] + [
        (o["key"], gettext("%(name)s（%(get)s）") % {
            "name": o['name'],
            "get": kinds.get(o['kind'], o['kind']),
        }) for o in document["organisations"]
    ]


class StaffForm(SectionForm):
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[A-Za-z0-9][A-Za-z0-9_.@-]{2,59}$",
        help_text=_("登录用，3–60位字母、数字或 _ . @ -，创建后不能修改。"),
        error_messages={"invalid": _("3–60位字母、数字或 _ . @ -，以字母或数字开头。")},
    )
    name = forms.CharField(label=_("姓名"), max_length=60)
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("请选择")), *STAFF_ROLES])
    organisation = forms.ChoiceField(
        label=_("所在机构"), required=False, help_text=_("单位、主管部门和人社部门的账号必须选择所在机构。")
    )
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱"), max_length=254, required=False)
    active = forms.BooleanField(
        label=_("账号启用"), required=False, help_text=_("取消勾选即停用该账号（不删除，可再启用）。")
    )

    def __init__(self, *args, document, existing: dict[str, Any] | None = None, actor_username: str = "", **kwargs):
        self.existing = existing
        self.actor_username = actor_username
        if existing is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": existing.get("name", ""),
                    "role": existing.get("role", ""),
                    "organisation": existing.get("organisation", ""),
                    "phone": existing.get("phone", ""),
                    "email": existing.get("email", ""),
                    "active": existing.get("active", True),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = _organisation_choices(document)
        if existing is None:
            del self.fields["active"]
        else:
            del self.fields["username"]

    def clean(self):
        data = super().clean()
        if self.existing is not None and self.existing["username"] == self.actor_username:
            if not data.get("active", True):
                self.add_error("active", gettext("不能停用您自己正在使用的账号。"))
            if data.get("role") and data["role"] != Role.TENANT_ADMIN:
                self.add_error("role", gettext("不能取消您自己的管理员角色。"))
        return data

    def spec(self) -> dict[str, Any]:
        data = self.cleaned_data
        spec: dict[str, Any] = {"role": data["role"], "name": data["name"]}
        for name in ("organisation", "phone", "email"):
            if data.get(name):
                spec[name] = data[name]
        if self.existing is not None and not data.get("active"):
            spec["active"] = False
        return spec

    def edit(self, document):
        if self.existing is None:
            username = self.cleaned_data["username"]
            if any(item["username"] == username for item in document["staff"]):
                message = gettext("用户名“%(username)s”已在本地区使用。") % {"username": username}
                raise ValidationError({"username": message})
            document["staff"].append({"username": username, **self.spec()})
            self.index = len(document["staff"]) - 1
            return f"新增工作人员账号：{self.cleaned_data['name']}（{username}）"
        for index, item in enumerate(document["staff"]):
            if item["username"] == self.existing["username"]:
                document["staff"][index] = {"username": item["username"], **self.spec()}
                self.index = index
                verb = "停用" if not self.cleaned_data.get("active") and item.get("active", True) else "修改"
                return f"{verb}工作人员账号：{self.cleaned_data['name']}（{item['username']}）"
        raise ValidationError(gettext("该账号已不在本地区的配置中，请刷新页面。"))

    def field_for(self, parts):
        if parts[:2] == ["staff", getattr(self, "index", -1)]:
            field = parts[2] if len(parts) > 2 else None
            return (str(field) if field in self.fields else None), parts[3:]
        return None, parts


# --- Chain ---------------------------------------------------------------------------------------


class ChainLevelForm(forms.Form):
    included = forms.BooleanField(label=_("经过此层级"), required=False)
    order = forms.IntegerField(label=_("顺序"), min_value=1, max_value=len(CHAIN_LEVELS))
    when = forms.ChoiceField(label=_("适用条件"), required=False, choices=[("", _("总是经过")), *CHAIN_WHEN.items()])
    final_for = forms.MultipleChoiceField(
        label=_("在此终审的评价方式"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(METHODS.items()),
        help_text=_("勾选后，该评价方式的申报在本层级通过即为终审，不再上报。"),
    )
    deadline = forms.ChoiceField(label=_("决定时限"), required=False, choices=[("", _("不设时限")), *DEADLINES.items()])

    def __init__(self, *args, level: str, **kwargs):
        self.level = level
        self.title = CHAIN_LEVELS[level]
        super().__init__(*args, **kwargs)
        if level == "unit":
            self.fields["included"].disabled = True
            self.fields["included"].help_text = gettext("审核链总是从用人单位开始。")

    def clean(self):
        data = super().clean()
        if self.level == "unit":
            data["included"] = True
        return data

    def item(self) -> dict[str, Any]:
        data = self.cleaned_data
        item: dict[str, Any] = {"level": self.level}
        if data.get("when"):
            item["when"] = data["when"]
        if data.get("final_for"):
            item["final_for"] = list(data["final_for"])
        if data.get("deadline"):
            item["deadline"] = data["deadline"]
        return item


class ChainForm:
    """The chain as one form per level (included or not, its order and its options)."""

    def __init__(self, data=None, *, chain: list[dict[str, Any]], base_version: int | None = None):
        self.base = SectionForm(data, initial={"base_version": base_version})
        positions = {item["level"]: index for index, item in enumerate(chain)}
        self.forms = []
        for natural, level in enumerate(CHAIN_LEVELS, start=1):
            current = next((item for item in chain if item["level"] == level), None)
            initial = {
                "included": current is not None,
                "order": positions[level] + 1 if current is not None else natural,
                "when": (current or {}).get("when", ""),
                "final_for": (current or {}).get("final_for", []),
                "deadline": (current or {}).get("deadline", ""),
            }
            self.forms.append(ChainLevelForm(data, level=level, prefix=level, initial=initial))
        self.chain: list[dict[str, Any]] = []

    @property
    def errors(self):
        return self.base.errors

    def non_field_errors(self):
        return self.base.non_field_errors()

    def is_valid(self) -> bool:
        valid = self.base.is_valid()
        # Every level's form is validated (a list, not a generator), so that all errors show at once.
        return all([form.is_valid() for form in self.forms]) and valid  # noqa: C419

    @property
    def cleaned_data(self):
        return self.base.cleaned_data

    def edit(self, document):
        chosen = [(form.cleaned_data["order"], index, form) for index, form in enumerate(self.forms)]
        chosen = [entry for entry in chosen if entry[2].cleaned_data["included"]]
        self.ordered = [form for _, _, form in sorted(chosen, key=lambda entry: (entry[0], entry[1]))]
        self.chain = [form.item() for form in self.ordered]
        document["chain"] = self.chain
        with translation.override("zh-hans"):  # the note is stored with the version: in Chinese
            return "修改审核链：" + " → ".join(str(form.title) for form in self.ordered)

    def show_error(self, error: DocumentError, document):
        parts = parse_path(error.path)
        if parts[:1] == ["chain"] and len(parts) > 2 and isinstance(parts[1], int) and parts[1] < len(self.ordered):
            form = self.ordered[parts[1]]
            field = str(parts[2]) if parts[2] != "level" else "included"
            form.add_error(field if field in form.fields else None, error.message)
            self.base.add_error(None, gettext("%(title)s：%(message)s") % {
                "title": form.title,
                "message": error.message,
            })
        else:
            self.base.add_error(None, describe_error(error, document))


# --- Windows -------------------------------------------------------------------------------------


class WindowForm(SectionForm):
    name = forms.CharField(label=_("批次名称"), max_length=120, help_text=_("如“2027年第一期”。"))
    kind = forms.ChoiceField(
        label=_("批次类型"),
        choices=[("timed", _("定时批次（填写开始和截止时间）")), ("recurring", _("每年固定批次（按月份和日期）"))],
        widget=forms.RadioSelect(attrs={"data-window-kind": "1"}),
        initial="timed",
    )
    opens_at = forms.DateTimeField(label=_("开始申报"), widget=DATETIME, required=False, help_text=_("北京时间。"))
    submit_closes_at = forms.DateTimeField(
        label=_("申报截止"),
        widget=DATETIME,
        required=False,
        help_text=_("含该时刻：如17:00截止，17:00:00提交仍然有效，17:00:01起不再接受。"),
    )
    return_closes_at = forms.DateTimeField(
        label=_("退回修改截止"), widget=DATETIME, required=False, help_text=_("留空：同申报截止。")
    )
    review_closes_at = forms.DateTimeField(
        label=_("审核截止"), widget=DATETIME, required=False, help_text=_("留空：同申报截止。")
    )
    roster_closes_at = forms.DateTimeField(
        label=_("推荐人员名单报送截止"),
        widget=DATETIME,
        required=False,
        help_text=_("留空：不要求单位事先报送。设置后，未在此前报送推荐人员名单的单位，其申报不予网络审核。"),
    )
    months = forms.TypedMultipleChoiceField(
        label=_("月份"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[(month, _month_label(month)) for month in range(1, 13)],
    )
    first_day = forms.IntegerField(
        label=_("每月开始日"), required=False, min_value=1, max_value=28, help_text=_("当日 00:00:00 开始。")
    )
    last_day = forms.IntegerField(
        label=_("每月截止日"), required=False, min_value=1, max_value=28, help_text=_("当日 23:59:59 截止。")
    )
    series = forms.MultipleChoiceField(
        label=_("适用职称系列"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(code, gettext_lazy(name)) for code, name in SERIES.items()],
        help_text=_("不勾选为全部系列。"),
    )
    levels = forms.MultipleChoiceField(
        label=_("适用级别"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(level, gettext_lazy(LEVELS[level])) for level in LEVEL_ORDER],
        help_text=_("不勾选为全部级别。"),
    )
    source = forms.CharField(label=_("依据文件"), max_length=120, required=False)

    TIMED = ("opens_at", "submit_closes_at", "return_closes_at", "review_closes_at", "roster_closes_at")
    RECURRING = ("months", "first_day", "last_day")

    def __init__(self, *args, existing: dict[str, Any] | None = None, **kwargs):
        self.existing = existing
        if existing is not None:
            from datetime import datetime

            initial: dict[str, Any] = {
                "name": existing["name"],
                "kind": "recurring" if existing.get("recurring") else "timed",
                "series": existing.get("series", []),
                "levels": existing.get("levels", []),
                "source": existing.get("source", ""),
            }
            for name in self.TIMED:
                if existing.get(name):
                    initial[name] = datetime.fromisoformat(existing[name])
            initial.update(existing.get("recurring") or {})
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if existing is not None:
            self.fields["name"].disabled = True
            self.fields["name"].help_text = gettext(
                "批次名称不能修改（申报记录按名称引用批次）；如需改名，请删除后新增。"
            )

    def clean(self):
        data = super().clean()
        if data.get("kind") == "recurring":
            for name in self.RECURRING:
                if not data.get(name):
                    self.add_error(name, gettext("每年固定批次须填写此项。"))
        elif data.get("kind") == "timed":
            for name in ("opens_at", "submit_closes_at"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, gettext("定时批次须填写此项。"))
        return data

    def window(self) -> dict[str, Any]:
        from rules.windows import CST

        data = self.cleaned_data
        window: dict[str, Any] = {"name": data["name"]}
        if data["kind"] == "recurring":
            window["recurring"] = {
                "months": sorted(data["months"]),
                "first_day": data["first_day"],
                "last_day": data["last_day"],
            }
        else:
            for name in self.TIMED:
                if data.get(name):
                    window[name] = data[name].astimezone(CST).isoformat()
        if data.get("source"):
            window["source"] = data["source"]
        if data.get("series"):
            window["series"] = list(data["series"])
        if data.get("levels"):
            window["levels"] = list(data["levels"])
        return window

    def edit(self, document):
        window = self.window()
        if self.existing is None:
            if any(item["name"] == window["name"] for item in document["windows"]):
                raise ValidationError({"name": gettext("已有名为“%(name)s”的批次。") % {"name": window['name']}})
            document["windows"].append(window)
            self.index = len(document["windows"]) - 1
            return f"新增申报批次：{window['name']}"
        for index, item in enumerate(document["windows"]):
            if item["name"] == self.existing["name"]:
                document["windows"][index] = window
                self.index = index
                return f"修改申报批次：{window['name']}"
        raise ValidationError(gettext("该批次已不在本地区的配置中，请刷新页面。"))

    def field_for(self, parts):
        if parts[:2] == ["windows", getattr(self, "index", -1)] and len(parts) > 2:
            field = str(parts[2])
            if field == "recurring":
                field = str(parts[3]) if len(parts) > 3 else "months"
                return (field if field in self.fields else None), parts[4:]
            return (field if field in self.fields else None), parts[3:]
        return None, parts


# --- Rule sets -----------------------------------------------------------------------------------


class RuleSetUploadForm(SectionForm):
    file = forms.FileField(
        label=_("规则集文档（JSON）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        help_text=_(
            "格式同平台随附的规则集（rules/schema/ruleset.schema.json）。代码相同的规则集生成新版本，否则新增。"
        ),
    )

    def __init__(self, *args, tenant_code: str, **kwargs):
        self.tenant_code = tenant_code
        super().__init__(*args, **kwargs)

    def clean_file(self):
        from rules.validation import validate_rule_set_document

        upload = self.cleaned_data["file"]
        data = read_json_upload(upload)
        if not isinstance(data, dict):
            raise ValidationError(gettext("规则集文档应为一个 JSON 对象（以 { 开头）。"))
        data.setdefault("tenant_code", self.tenant_code)
        if data["tenant_code"] != self.tenant_code:
            raise ValidationError(
                gettext(
                    "规则集文档的 tenant_code 为“%(tenant_code)s”，应为本地区的“%(tenant_code2)s”。"
                ) % {"tenant_code": data['tenant_code'], "tenant_code2": self.tenant_code}
            )
        try:
            validate_rule_set_document(data)
        except ValueError as error:
            path = getattr(error, "path", "")
            message = getattr(error, "message", str(error))
            raise ValidationError(gettext("规则集文档 %(path)s：%(message)s") % {
                "path": path,
                "message": message,
            } if path and path != "$" else message) from None
        self.cleaned_data["ruleset"] = data
        return upload

    def edit(self, document):
        data = self.cleaned_data["ruleset"]
        for index, item in enumerate(document["rulesets"]):
            if isinstance(item, dict) and item.get("code") == data["code"]:
                document["rulesets"][index] = data
                self.index = index
                return f"更新规则集：{data.get('name', data['code'])}"
        document["rulesets"].append(data)
        self.index = len(document["rulesets"]) - 1
        return f"新增规则集：{data.get('name', data['code'])}"

    def show_error(self, error: DocumentError, document):
        parts = parse_path(error.path)
        if parts[:2] == ["rulesets", getattr(self, "index", -1)]:
            inner = error.path.split("]", 1)[1].lstrip(".") if "]" in error.path else ""
            self.add_error("file", gettext("规则集文档 %(inner)s：%(message)s") % {
                "inner": inner,
                "message": error.message,
            } if inner else error.message)
        else:
            self.add_error(None, describe_error(error, document))
