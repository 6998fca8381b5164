"""The tenant configuration pages: every change is one ``tenant_apply`` of the tenant's export with
one section changed — one new version, one audit row, a difference page that shows the change —
and a refusal names the field and writes nothing. The platform admin creates tenants (upload or
form) and sees initial passwords once; a tenant admin edits only their own tenant."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import Role, User
from core.models import AuditEvent
from rules.models import DeclarationWindow, RuleSet
from tests.factories import make_credit_code
from units.models import Organisation, Tenant, TenantVersion
from units.tenant_documents import tenant_apply

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
LUOYANG = ROOT / "tests" / "fixtures" / "luoyang.json"
RULE_SET = ROOT / "rules" / "rulesets" / "zhengzhou-2020-junior.json"


def luoyang_document() -> dict:
    return json.loads(LUOYANG.read_text(encoding="utf-8"))


def ready(user: User) -> User:
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    user.refresh_from_db()
    return user


@pytest.fixture
def platform_admin():
    user = User(username="platform-admin", role=Role.PLATFORM_ADMIN, full_name="平台管理员")
    user.set_password("Zhicheng@2026")
    user.save()
    return user


@pytest.fixture
def luoyang():
    tenant_apply(document=luoyang_document(), note="接入")
    return Tenant.objects.get(code="luoyang")


@pytest.fixture
def admin(luoyang, client):
    user = ready(User.objects.get(username="luoyang-admin"))
    client.force_login(user)
    return user


def url(name: str, tenant: Tenant | str = "luoyang", **kwargs) -> str:
    code = tenant if isinstance(tenant, str) else tenant.code
    return reverse(f"units:{name}", kwargs={"code": code, **kwargs})


def post_data(form) -> dict:
    """What a browser sends for ``form`` as the page shows it (its initial values)."""
    data: dict = {}
    for bound in form:
        value = bound.value()
        name = bound.html_name
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        elif value is None:
            continue
        else:
            data[name] = str(value)
    return data


def json_upload(document, name="tenant.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(document, ensure_ascii=False).encode(), "application/json")


def counts(tenant_code: str = "luoyang") -> tuple[int, int]:
    return (
        TenantVersion.objects.filter(tenant__code=tenant_code).count(),
        AuditEvent.objects.filter(action="tenant_apply").count(),
    )


def diff_page(client, tenant: Tenant) -> str:
    tenant.refresh_from_db()
    response = client.get(url("tenant_version", tenant, number=tenant.version))
    assert response.status_code == 200
    return response.content.decode()


# --- Platform admin ------------------------------------------------------------------------------


def test_it_lets_the_platform_admin_create_a_tenant_by_uploading_its_document_and_shows_passwords_once(
    client, platform_admin
):
    client.force_login(platform_admin)
    response = client.post(
        reverse("units:tenant_create"), {"how": "upload", "upload-file": json_upload(luoyang_document())}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "已创建租户：洛阳市" in body and "初始密码只显示这一次" in body
    tenant = Tenant.objects.get(code="luoyang")
    assert tenant.version == 1
    version = TenantVersion.objects.get(tenant=tenant)
    assert version.created_by == platform_admin and version.note == "上传租户文档创建"
    created = {item["username"]: item["password"] for item in response.context["result"].staff_created}
    for username in ("luoyang-admin", "luoyang-city", "luoyang-school1"):
        user = User.objects.get(username=username)
        password = created[username]
        assert password in body and user.check_password(password) and user.must_change_password
        # Never stored in plain text: not in the version, not in the audit trail.
        assert password not in json.dumps(version.document, ensure_ascii=False)
        assert not any(password in json.dumps(event.detail, ensure_ascii=False) for event in AuditEvent.objects.all())
    again = client.post(
        reverse("units:tenant_create"), {"how": "upload", "upload-file": json_upload(luoyang_document())}
    )
    assert "租户代码“luoyang”已存在" in again.content.decode() and TenantVersion.objects.count() == 1
    home = client.get(url("tenant_home", tenant)).content.decode()
    assert all(item["password"] not in home for item in response.context["result"].staff_created)
    assert "luoyang" in client.get(reverse("units:tenant_list")).content.decode()


def test_it_lets_the_platform_admin_create_a_tenant_by_form_with_its_first_admin(client, platform_admin):
    client.force_login(platform_admin)
    response = client.post(
        reverse("units:tenant_create"),
        {
            "how": "form",
            "create-code": "kaifeng",
            "create-name": "开封市",
            "create-province": "河南省",
            "create-authority_name": "开封市人力资源和社会保障局",
            "create-region_code": "410200",
            "create-bureau_name": "开封市人力资源和社会保障局",
            "create-admin_username": "kaifeng-admin",
            "create-admin_name": "王管理",
        },
    )
    assert response.status_code == 200
    [account] = response.context["result"].staff_created
    assert account["username"] == "kaifeng-admin" and account["password"] in response.content.decode()
    admin = User.objects.get(username="kaifeng-admin")
    assert admin.role == Role.TENANT_ADMIN and admin.tenant.code == "kaifeng" and admin.must_change_password
    assert admin.organisation.kind == Organisation.Kind.CITY_BUREAU
    assert admin.check_password(account["password"])
    assert TenantVersion.objects.get(tenant__code="kaifeng").note == "新建租户"
    # The same code again is refused on the field.
    again = client.post(reverse("units:tenant_create"), {"how": "form", "create-code": "kaifeng"})
    assert "租户代码“kaifeng”已被使用。" in again.content.decode()


def test_it_refuses_a_bad_upload_naming_the_path_and_writes_nothing(client, platform_admin):
    client.force_login(platform_admin)
    document = luoyang_document()
    document["chain"][2]["level"] = "province"
    before = (User.objects.count(), Organisation.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse("units:tenant_create"), {"how": "upload", "upload-file": json_upload(document)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "chain[2].level" in body and "审核链第3项" in body and "未知的取值" in body and "未作任何修改" in body
    assert not Tenant.objects.filter(code="luoyang").exists()
    assert not TenantVersion.objects.exists()
    assert (User.objects.count(), Organisation.objects.count(), AuditEvent.objects.count()) == before

    broken = client.post(
        reverse("units:tenant_create"),
        {"how": "upload", "upload-file": SimpleUploadedFile("x.json", b'{"code": "luoyang",', "application/json")},
    )
    assert "不是有效的 JSON（第1行" in broken.content.decode()
    assert not Tenant.objects.filter(code="luoyang").exists()


def test_it_lets_the_platform_admin_read_every_tenants_history_but_not_edit_it(client, platform_admin, luoyang):
    client.force_login(platform_admin)
    assert client.get(url("tenant_versions")).status_code == 200
    assert client.get(url("tenant_version", number=1)).status_code == 200
    download = client.get(url("tenant_version_download", number=1))
    assert download.status_code == 200 and json.loads(download.content)["code"] == "luoyang"
    assert "luoyang-v1.json" in download["Content-Disposition"]
    assert client.get(url("tenant_settings")).status_code == 404


def test_it_lets_the_platform_admin_upload_a_new_version_of_an_existing_tenant(client, platform_admin, luoyang):
    client.force_login(platform_admin)
    document = luoyang_document()
    document["settings"]["publicity_working_days"] = 9
    response = client.post(url("tenant_upload"), {"file": json_upload(document), "note": "改公示天数"})
    assert response.status_code == 302
    luoyang.refresh_from_db()
    assert luoyang.version == 2 and luoyang.publicity_working_days == 9
    assert "公示工作日数" in diff_page(client, luoyang)


# --- Who may use the pages -----------------------------------------------------------------------

TENANT_PAGES = [
    ("tenant_home", {}),
    ("tenant_versions", {}),
    ("tenant_version", {"number": 1}),
    ("tenant_version_download", {"number": 1}),
    ("tenant_settings", {}),
    ("tenant_districts", {}),
    ("tenant_organisations", {}),
    ("tenant_organisations_import", {}),
    ("tenant_organisations_template", {}),
    ("tenant_staff", {}),
    ("tenant_chain", {}),
    ("tenant_windows", {}),
    ("tenant_rulesets", {}),
]


def test_it_answers_404_to_a_tenant_admin_of_another_tenant_and_to_other_roles(client, luoyang):
    other = luoyang_document()
    other.update(code="kaifeng", name="开封市", region_code="410200", rulesets=[], windows=[])
    other["organisations"] = [{"key": "city", "kind": "city_bureau", "name": "开封市人社局"}]
    other["staff"] = [{"username": "kaifeng-admin", "role": "tenant_admin", "organisation": "city", "name": "管理员"}]
    other["chain"] = [{"level": "unit"}, {"level": "city"}]
    tenant_apply(document=other)
    org = Organisation.objects.get(tenant=luoyang, key="school1")
    staff = User.objects.get(username="luoyang-city")
    window = DeclarationWindow.objects.filter(tenant_code="luoyang").first()
    pages = [
        *TENANT_PAGES,
        ("tenant_organisation_edit", {"pk": org.pk}),
        ("tenant_staff_edit", {"pk": staff.pk}),
        ("tenant_window_edit", {"pk": window.pk}),
        ("tenant_window_delete", {"pk": window.pk}),
        ("tenant_upload", {}),
    ]
    before = counts()
    for username in ("kaifeng-admin", "luoyang-city", "luoyang-school1"):
        client.force_login(ready(User.objects.get(username=username)))
        for name, kwargs in pages:
            if username != "kaifeng-admin" and name in ("tenant_list",):
                continue
            for method in ("get", "post"):
                response = getattr(client, method)(url(name, **kwargs))
                assert response.status_code in (404, 405), (username, method, name, response.status_code)
        for name in ("tenant_list", "tenant_create"):
            assert client.get(reverse(f"units:{name}")).status_code == 404
    assert counts() == before
    # ... and a tenant admin reaches their own tenant's objects only through their own code.
    client.force_login(ready(User.objects.get(username="kaifeng-admin")))
    assert client.get(url("tenant_organisation_edit", "kaifeng", pk=org.pk)).status_code == 404
    assert client.get(url("tenant_staff_edit", "kaifeng", pk=staff.pk)).status_code == 404


def test_it_links_every_configuration_page_from_the_tenant_admins_home(client, admin):
    dashboard = client.get(reverse("dashboard")).content.decode()
    for name, kwargs in TENANT_PAGES:
        if name in (
            "tenant_version",
            "tenant_version_download",
            "tenant_organisations_import",
            "tenant_organisations_template",
        ):
            continue
        assert f'href="{url(name, **kwargs)}"' in dashboard, name
    home = client.get(url("tenant_home")).content.decode()
    assert f'href="{url("tenant_organisations_import")}"' in home
    for name, kwargs in TENANT_PAGES:
        assert client.get(url(name, **kwargs)).status_code == 200, name


# --- Each edit page: one version, one audit row, the change on the difference page -------------


def edit(client, name: str, changes: dict, *, kwargs: dict | None = None, form_key: str = "form", files=None):
    page = client.get(url(name, **(kwargs or {})))
    assert page.status_code == 200
    data = post_data(page.context[form_key])
    data.update(changes)
    if files:
        data.update(files)
    return client.post(url(name, **(kwargs or {})), data)


def assert_one_new_version(before: tuple[int, int]) -> None:
    assert counts() == (before[0] + 1, before[1] + 1)


def test_it_saves_the_settings_as_one_new_version(client, admin, luoyang):
    before = counts()
    response = edit(
        client,
        "tenant_settings",
        {
            "publicity_working_days": "7",
            "max_returns_per_year": "",
            "fees": json.dumps([{"kind": "certificate", "amount": "8.00", "basis": "工本费8元"}], ensure_ascii=False),
        },
    )
    assert response.status_code == 302
    assert_one_new_version(before)
    luoyang.refresh_from_db()
    assert luoyang.publicity_working_days == 7 and luoyang.max_returns_per_year is None
    assert luoyang.settings["fees"][0]["amount"] == "8.00"
    version = TenantVersion.objects.get(tenant=luoyang, number=luoyang.version)
    assert version.created_by == admin and "公示工作日数" in version.note
    body = diff_page(client, luoyang)
    assert "公示工作日数" in body and "<del>5</del>" in body and "<ins>7</ins>" in body
    assert "每年退回修改次数上限" in body and "<ins>不限</ins>" in body
    assert "收费标准 · 第1项" in body


def test_it_shows_a_refused_setting_on_its_field_and_writes_nothing(client, admin, luoyang):
    before = counts()
    response = edit(
        client, "tenant_settings", {"fees": json.dumps([{"kind": "certificate", "amount": "八元", "basis": "x"}])}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["fees"] == ['第1项 · 金额（元）：格式不正确："八元"']
    assert counts() == before
    response = edit(client, "tenant_settings", {"fees": "[{"})
    assert "不是有效的 JSON（第1行" in response.context["form"].errors["fees"][0]
    assert counts() == before


def test_it_adds_and_renames_a_district(client, admin, luoyang):
    before = counts()
    response = client.post(
        url("tenant_districts"), {"action": "add", "add-code": "410303", "add-name": "西工区", "add-base_version": "1"}
    )
    assert response.status_code == 302
    assert_one_new_version(before)
    assert "西工区" in diff_page(client, luoyang) and "新增" in diff_page(client, luoyang)
    before = counts()
    response = client.post(
        url("tenant_districts"), {"action": "rename", "rename-code": "410302", "rename-name": "老城区（新）"}
    )
    assert response.status_code == 302
    assert_one_new_version(before)
    body = diff_page(client, luoyang)
    assert "老城区 · 名称" in body and "<ins>老城区（新）</ins>" in body
    # A duplicate code is refused on its field.
    again = client.post(url("tenant_districts"), {"action": "add", "add-code": "410303", "add-name": "重复"})
    assert "该行政区划代码已在本地区的县（市、区）中。" in again.content.decode()


def test_it_refuses_a_change_made_on_a_page_opened_before_someone_elses_change(client, admin, luoyang):
    before = counts()
    response = client.post(
        url("tenant_districts"), {"action": "add", "add-code": "410303", "add-name": "西工区", "add-base_version": "0"}
    )
    assert "已被他人修改为第1版" in response.content.decode()
    assert counts() == before


def test_it_adds_and_edits_an_organisation(client, admin, luoyang):
    before = counts()
    credit = make_credit_code(region="410302")
    response = edit(
        client,
        "tenant_organisations",
        {
            "kind": "unit",
            "name": "洛阳市新单位",
            "unit_kind": "non_public",
            "credit_code": credit,
            "district": "410302",
        },
    )
    assert response.status_code == 302
    assert_one_new_version(before)
    unit = Organisation.objects.get(tenant=luoyang, name="洛阳市新单位")
    assert unit.status == Organisation.Status.APPROVED and unit.district.code == "410302" and unit.key == "unit-1"
    body = diff_page(client, luoyang)
    assert "洛阳市新单位" in body and "非公经济组织" in body and "老城区" in body

    before = counts()
    response = edit(client, "tenant_organisation_edit", {"name": "洛阳市新单位（改名）"}, kwargs={"pk": unit.pk})
    assert response.status_code == 302
    assert_one_new_version(before)
    assert "<ins>洛阳市新单位（改名）</ins>" in diff_page(client, luoyang)

    # A credit code failing GB 32100 is shown on its field; nothing written.
    before = counts()
    response = edit(
        client,
        "tenant_organisations",
        {
            "kind": "unit",
            "name": "坏单位",
            "unit_kind": "non_public",
            "credit_code": credit[:17] + ("0" if credit[17] != "0" else "1"),
        },
    )
    assert response.status_code == 200 and "credit_code" in response.context["form"].errors
    assert counts() == before


def test_it_adds_staff_showing_the_password_once_and_deactivates_them(client, admin, luoyang):
    before = counts()
    response = edit(
        client,
        "tenant_staff",
        {"username": "luoyang-county", "name": "县区审核", "role": "county_reviewer", "organisation": "laocheng"},
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    [account] = response.context["result"].staff_created
    assert account["password"] in response.content.decode()
    assert_one_new_version(before)
    person = User.objects.get(username="luoyang-county")
    assert person.check_password(account["password"]) and person.must_change_password
    assert person.organisation.key == "laocheng" and person.role == Role.COUNTY_REVIEWER
    assert "县区审核（luoyang-county）" in diff_page(client, luoyang)
    assert account["password"] not in client.get(url("tenant_staff")).content.decode()

    before = counts()
    response = edit(client, "tenant_staff_edit", {"active": ""}, kwargs={"pk": person.pk})
    assert response.status_code == 302
    assert_one_new_version(before)
    person.refresh_from_db()
    assert not person.is_active
    assert "账号启用" in diff_page(client, luoyang)
    # The admin cannot lock themselves out.
    response = edit(client, "tenant_staff_edit", {"active": ""}, kwargs={"pk": admin.pk})
    assert response.context["form"].errors["active"] == ["不能停用您自己正在使用的账号。"]


def test_it_refuses_a_staff_account_at_the_wrong_kind_of_organisation_on_its_field(client, admin, luoyang):
    before = counts()
    response = edit(
        client,
        "tenant_staff",
        {"username": "luoyang-x", "name": "某人", "role": "county_reviewer", "organisation": "school1"},
    )
    assert response.status_code == 200
    assert "须属于" in response.context["form"].errors["organisation"][0]
    assert counts() == before and not User.objects.filter(username="luoyang-x").exists()


def test_it_sets_the_chain_as_one_new_version(client, admin, luoyang):
    before = counts()
    page = client.get(url("tenant_chain"))
    form = page.context["form"]
    data = {"base_version": "1"}
    for level in form.forms:
        data.update(post_data(level))
    data.pop("department-included", None)  # no department level
    data["county-final_for"] = ["assessment", "committee_review"]
    response = client.post(url("tenant_chain"), data)
    assert response.status_code == 302
    assert_one_new_version(before)
    luoyang.refresh_from_db()
    assert [item["level"] for item in luoyang.chain] == ["unit", "county", "city", "committee"]
    assert luoyang.chain[1]["final_for"] == ["assessment", "committee_review"]
    body = diff_page(client, luoyang)
    assert "审核链" in body and "主管部门（单位有主管部门时" in body
    assert "考核认定、评审在此终审" in body


def test_it_refuses_a_chain_without_a_final_level(client, admin, luoyang):
    page = client.get(url("tenant_chain"))
    data = {"base_version": "1"}
    for level in page.context["form"].forms:
        data.update(post_data(level))
    data["county-final_for"] = []
    data.pop("city-included")
    before = counts()
    response = client.post(url("tenant_chain"), data)
    assert response.status_code == 200
    assert "审核链须有终审层级" in response.content.decode()
    assert counts() == before


def test_it_adds_edits_and_deletes_a_window_in_china_time(client, admin, luoyang):
    before = counts()
    response = edit(
        client,
        "tenant_windows",
        {
            "name": "2026年第二期",
            "kind": "timed",
            "opens_at": "2026-06-01T09:00",
            "submit_closes_at": "2026-06-20T17:00",
            "levels": ["yuan", "assistant"],
        },
    )
    assert response.status_code == 302
    assert_one_new_version(before)
    window = DeclarationWindow.objects.get(tenant_code="luoyang", name="2026年第二期")
    assert window.submit_closes_at.isoformat() == "2026-06-20T09:00:00+00:00"
    body = diff_page(client, luoyang)
    assert "2026年6月20日 17:00" in body and "员级、助理级" in body

    before = counts()
    response = edit(client, "tenant_window_edit", {"submit_closes_at": "2026-06-25T17:00:00"}, kwargs={"pk": window.pk})
    assert response.status_code == 302
    assert_one_new_version(before)
    body = diff_page(client, luoyang)
    assert "<del>2026年6月20日 17:00</del>" in body and "<ins>2026年6月25日 17:00</ins>" in body

    before = counts()
    response = client.post(url("tenant_window_delete", pk=window.pk))
    assert response.status_code == 302
    assert_one_new_version(before)
    assert not DeclarationWindow.objects.filter(pk=window.pk).exists()
    assert "删除" in diff_page(client, luoyang)

    # A recurring window with an end before its start is refused on the field.
    response = edit(
        client,
        "tenant_windows",
        {"name": "每季度", "kind": "recurring", "months": ["3", "6"], "first_day": "20", "last_day": "10"},
    )
    assert response.context["form"].errors["last_day"] == ["截止日不能早于开始日"]


def test_it_uploads_a_rule_set_through_tenant_apply(client, admin, luoyang):
    document = json.loads(RULE_SET.read_text(encoding="utf-8"))
    document.update(code="luoyang-2020-junior", tenant_code="luoyang")
    before = counts()
    response = edit(client, "tenant_rulesets", {}, files={"file": json_upload(document, "rules.json")})
    assert response.status_code == 302
    assert_one_new_version(before)
    assert RuleSet.objects.get(code="luoyang-2020-junior").tenant_code == "luoyang"
    assert "郑州市初级职称" in diff_page(client, luoyang)  # the rule set's name, as added

    bad = copy.deepcopy(document)
    bad["checks"][0]["kind"] = "no_such_kind"
    before = counts()
    response = edit(client, "tenant_rulesets", {}, files={"file": json_upload(bad, "bad.json")})
    assert response.status_code == 200 and "checks[0]" in response.context["form"].errors["file"][0]
    foreign = dict(document, tenant_code="zhengzhou")
    response = edit(client, "tenant_rulesets", {}, files={"file": json_upload(foreign, "foreign.json")})
    assert "应为本地区的“luoyang”" in response.context["form"].errors["file"][0]
    assert counts() == before


# --- Excel import of units -----------------------------------------------------------------------

HEADER = ("标识", "名称", "单位性质", "统一社会信用代码", "所在县（市、区）代码", "主管部门标识")


def workbook(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("units.xlsx", buffer.getvalue())


def test_it_refuses_a_unit_sheet_with_one_bad_row_naming_the_row_and_column(client, admin, luoyang):
    good = make_credit_code(prefix="12", region="410300")
    bad = make_credit_code(region="410302")
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    before = (counts(), Organisation.objects.count())
    response = client.post(
        url("tenant_organisations_import"),
        {
            "file": workbook(
                [
                    ("school2", "洛阳市第二中学", "事业单位", good, "", "edu"),
                    ("firm2", "洛阳某某商贸有限公司", "非公经济组织", bad, "410302", ""),
                ]
            )
        },
    )
    assert response.status_code == 200
    problems = response.context["problems"]
    assert [(p.row, p.column) for p in problems] == [(3, "统一社会信用代码")]
    body = response.content.decode()
    assert "发现 1 处问题，本次未导入任何单位" in body and "第3行" in body
    assert (counts(), Organisation.objects.count()) == before

    response = client.post(
        url("tenant_organisations_import"),
        {
            "file": workbook(
                [
                    ("school2", "洛阳市第二中学", "事业单位", good, "", "edu"),
                    ("firm2", "洛阳某某商贸有限公司", "非公经济组织", make_credit_code(region="410302"), 410302, None),
                ]
            )
        },
    )
    assert response.status_code == 302
    assert counts() == (before[0][0] + 1, before[0][1] + 1)
    school = Organisation.objects.get(tenant=luoyang, key="school2")
    firm = Organisation.objects.get(tenant=luoyang, key="firm2")
    assert school.competent_department.key == "edu" and school.status == Organisation.Status.APPROVED
    assert firm.district.code == "410302" and firm.managed_by.key == "laocheng"
    body = diff_page(client, luoyang)
    assert "洛阳市第二中学" in body and "洛阳某某商贸有限公司" in body


def test_it_lists_every_problem_of_every_row(client, admin, luoyang):
    response = client.post(
        url("tenant_organisations_import"),
        {
            "file": workbook(
                [
                    ("edu", "", "个体户", "123", "999999", "nobody"),
                    ("ok-1", "单位甲", "国有企业", make_credit_code(region="410300"), "", ""),
                    ("ok-1", "单位乙", "国有企业", make_credit_code(region="410300"), "", ""),
                ]
            )
        },
    )
    problems = [(p.row, p.column) for p in response.context["problems"]]
    assert problems == [
        (2, "标识"),
        (2, "名称"),
        (2, "单位性质"),
        (2, "统一社会信用代码"),
        (2, "所在县（市、区）代码"),
        (2, "主管部门标识"),
        (4, "标识"),
    ]
    assert not Organisation.objects.filter(name__in=["单位甲", "单位乙"]).exists()


def test_it_refuses_a_file_that_is_not_a_workbook(client, admin, luoyang):
    response = client.post(
        url("tenant_organisations_import"), {"file": SimpleUploadedFile("units.xlsx", b"not a workbook")}
    )
    assert "不是Excel（.xlsx）文件" in response.content.decode()


# --- Versions ------------------------------------------------------------------------------------


def test_it_lists_versions_with_a_fixed_number_of_queries(client, admin, luoyang, django_assert_num_queries):
    def more_versions(*days):
        for day in days:
            document = luoyang_document()
            document["settings"]["publicity_working_days"] = day
            tenant_apply(document=document, actor=admin, note=f"公示{day}天")

    more_versions(6, 7, 8)
    # Warm: the session's activity stamp is written once a minute, the unread count is cached.
    client.get(url("tenant_versions"))
    for expected in ([4, 3, 2, 1], [7, 6, 5, 4, 3, 2, 1]):
        # 1 session, 2 the user, 3 the tenant by code, 4 the page's count, 5 the user's tenant
        # (navigation), 6 the versions with their authors and no documents — however many.
        with django_assert_num_queries(6):
            response = client.get(url("tenant_versions"))
        assert [row.number for row in response.context["page"]] == expected
        more_versions(9, 10, 11)
    body = response.content.decode()
    assert "公示8天" in body and "管理员" in body and "系统（命令行或初始数据）" in body


def test_it_shows_the_first_version_as_everything_added(client, admin, luoyang):
    body = client.get(url("tenant_version", number=1)).content.decode()
    assert (
        "初始版本" in body
        and "洛阳市第一中学" in body
        and "县（市、区）人社部门（单位在县区时；考核认定在此终审；审核截止前决定）" in body
    )
    assert "2027年3月20日 17:00" in body and "每年3月、6月、9月、12月的1日至25日" in body


def test_every_setting_description_of_the_schema_reads_in_english():
    """The settings page shows each schema description as help text in the page's language (issue 16):
    units/schema_messages.py lists them for makemessages, so a changed description must be listed
    (and translated) again."""
    import json

    from django.utils import translation
    from django.utils.translation import gettext

    from units.schema_messages import DESCRIPTIONS
    from units.tenant_settings import SCHEMA_PATH

    settings = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["$defs"]["settings"]["properties"]
    described = {spec["description"] for spec in settings.values() if spec.get("description")}
    assert described <= set(DESCRIPTIONS)
    with translation.override("en"):
        assert [text for text in described if gettext(text) == text] == []
