"""Issue 17, Xuchang: no page created expert accounts, so a pool of three could never staff a plan
of seven. The secretary or the tenant admin now creates an expert's login (username, name,
specialty, title, unit, status) with a one-time initial password shown once and changed at first
login, or imports a list from Excel, validated row by row, all rows or none (the roster import's
pattern, with the ZIP-bomb guard of core.uploads). The pool is managed as 001_272b0a6ee81b04e4.txt
五(三) asks (在库 / 已退休 / 已脱离专业技术岗位 / 因故调整出库)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import Role, User
from committees import selectors, services
from committees.models import Expert
from core.models import AuditEvent
from tests.committees.helpers import build_world, xuchang_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = ["用户名", "姓名", "专业所属系列", "专业", "职称", "工作单位", "出生日期", "市外专家", "状态", "调整原因"]


def workbook(rows: list[list], header=HEADER, name: str = "专家名单.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def account(world, **changes) -> tuple[Expert, str]:
    fields = {
        "username": "xc-zhou-expert", "full_name": "周建华", "series": "engineering", "specialty": "结构工程",
        "title_name": "正高级工程师", "unit_name": "许昌市建筑设计研究院", "birth_date": date(1975, 3, 8),
    }
    fields.update(changes)
    actor = fields.pop("actor", world.secretary)
    return services.expert_account_create(actor=actor, committee=world.committee, **fields)


def test_it_creates_an_expert_login_in_the_pool_with_a_one_time_password_to_change_at_first_login():
    world = build_world("xuchang", experts=0, applications=0, name="许昌市")
    expert, password = account(world)
    user = expert.user
    assert (user.role, user.tenant_id, user.username, user.full_name) == (
        Role.EXPERT, world.city.tenant.pk, "xc-zhou-expert", "周建华")
    assert user.must_change_password and user.check_password(password) and len(password) >= 12
    assert list(expert.committees.all()) == [world.committee]
    assert [e.pk for e in selectors.eligible_experts(world.committee, date(2026, 11, 20))] == [expert.pk]
    event = AuditEvent.objects.get(action="expert_account_created")
    assert event.actor == world.secretary and password not in str(event.detail)


def test_it_gives_every_new_expert_a_different_password_that_passes_the_password_rules():
    from django.contrib.auth.password_validation import validate_password

    passwords = {services.initial_password() for _ in range(50)}
    assert len(passwords) == 50
    for password in list(passwords)[:10]:
        validate_password(password, User(username="x-expert", full_name="专家"))


def test_it_links_an_expert_to_the_citys_unit_of_the_same_name_so_the_draw_excludes_its_applicants():
    world = build_world("xuchang", experts=0, applications=0, name="许昌市")
    expert, _ = account(world, unit_name=world.city.unit.name)
    assert expert.unit == world.city.unit and expert.user.organisation == world.city.unit
    external, _ = account(world, username="xc-out-expert", unit_name=world.city.unit.name, is_external=True)
    assert external.unit is None


def test_it_lets_the_tenant_admin_create_experts_but_no_one_else_and_no_other_city():
    world = build_world("xuchang", experts=0, applications=0, name="许昌市")
    admin = UserFactory(role=Role.TENANT_ADMIN, organisation=world.city.city)
    expert, _ = account(world, actor=admin)
    assert expert.tenant_id == world.city.tenant.pk
    other = build_world("zhengzhou", experts=0, applications=0)
    for outsider in (world.city.city_reviewer, world.city.handler, other.secretary):
        with pytest.raises(PermissionDenied):
            account(world, actor=outsider, username="x-nobody-1")


def test_it_refuses_a_taken_username_a_series_outside_the_committee_and_a_missing_reason_all_at_once():
    world = build_world("xuchang", experts=0, applications=0, name="许昌市")
    account(world)
    with pytest.raises(ValidationError) as error:
        account(world, series="health", status=Expert.Status.RETIRED, birth_date=None)
    messages = error.value.message_dict
    assert "已被使用" in messages["username"][0]
    assert "评审系列" in messages["series"][0]
    assert "调整原因" in messages["status_reason"][0]
    assert "出生日期" in messages["birth_date"][0]
    assert Expert.objects.count() == 1


def test_it_creates_an_expert_out_of_the_pool_with_the_reason_and_never_draws_them():
    world = build_world("xuchang", experts=0, applications=0, name="许昌市")
    expert, _ = account(world, status=Expert.Status.LEFT_SPECIALTY, status_reason="调任行政岗位")
    assert expert.status_reason == "调任行政岗位"
    assert selectors.eligible_experts(world.committee, date(2026, 11, 20)) == []


# --- Excel import --------------------------------------------------------------------------------


def test_it_imports_a_list_from_excel_all_rows_with_their_passwords():
    world = build_world("xuchang", experts=0, applications=0, name="许昌市")
    upload = workbook([
        ["xc-li-expert", "李明", "工程", "电气", "高工", world.city.unit.name, "1982-04-01", "否", "在库", ""],
        ["xc-wang-expert", "王芳", "工程系列", "给排水", "正高级工程师", "郑州大学", date(1979, 1, 20), "是", "", ""],
        ["xc-sun-expert", "孙强", "工程", "暖通", "高工", "许昌某公司", "1970年2月3日", "否", "已退休", "已办理退休"],
    ])
    created = services.expert_import(actor=world.secretary, committee=world.committee, upload=upload)
    assert [e.user.username for e, _ in created] == ["xc-li-expert", "xc-wang-expert", "xc-sun-expert"]
    li, wang, sun = (e for e, _ in created)
    assert li.unit == world.city.unit and wang.is_external and sun.status == Expert.Status.RETIRED
    assert wang.birth_date == date(1979, 1, 20) and sun.birth_date == date(1970, 2, 3)
    assert all(e.user.must_change_password and e.user.check_password(p) for e, p in created)
    assert AuditEvent.objects.filter(action="experts_imported").get().detail["created"] == 3


def test_it_reports_every_bad_row_with_its_number_and_imports_none():
    world = build_world("xuchang", experts=0, applications=0, name="许昌市")
    UserFactory(username="taken-expert", role=Role.EXPERT)
    upload = workbook([
        ["xc-ok-expert", "合格专家", "工程", "电气工程", "高级工程师", "某院", "1982-04-01", "否", "在库", ""],
        ["taken-expert", "", "卫生", "", "高级工程师", "某院", "不知道", "也许", "休假", ""],
        ["xc-ok-expert", "重复专家", "工程", "电气工程", "高级工程师", "某院", "1982-04-01", "否", "在库", ""],
    ])
    with pytest.raises(ValidationError) as error:
        services.expert_import(actor=world.secretary, committee=world.committee, upload=upload)
    text = "\n".join(error.value.messages)
    for expected in ("第3行 用户名：用户名“taken-expert”已被使用", "第3行 姓名", "第3行 专业所属系列", "第3行 专业：",
                     "第3行 出生日期：“不知道”不是日期", "第3行 市外专家", "第3行 状态：状态应为",
                     "第4行 用户名：用户名“xc-ok-expert”在本次导入中重复出现"):
        assert expected in text, expected
    assert "第2行" not in text
    assert not Expert.objects.exists() and not User.objects.filter(username="xc-ok-expert").exists()


def test_it_refuses_a_file_that_is_not_xlsx_one_without_the_columns_and_a_zip_bomb():
    world = build_world("xuchang", experts=0, applications=0, name="许昌市")
    fake = SimpleUploadedFile("专家名单.xlsx", b"%PDF-1.4 not a workbook")
    with pytest.raises(ValidationError) as error:
        services.expert_import(actor=world.secretary, committee=world.committee, upload=fake)
    assert "不是Excel" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.expert_import(actor=world.secretary, committee=world.committee,
                               upload=workbook([["a"]], header=["姓名", "身份证号"]))
    assert "缺少列：用户名" in str(error.value)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    bomb = SimpleUploadedFile("专家名单.xlsx", buffer.getvalue())
    with pytest.raises(ValidationError) as error:
        services.expert_import(actor=world.secretary, committee=world.committee, upload=bomb)
    assert "压缩炸弹" in str(error.value)
    assert not Expert.objects.exists()


# --- Pages ---------------------------------------------------------------------------------------


def test_it_shows_the_initial_password_once_after_creating_an_expert_on_the_page(client):
    world = build_world("xuchang", experts=0, applications=0, name="许昌市")
    client.force_login(world.secretary)
    response = client.post(reverse("committees:expert_create", args=[world.committee.pk]), {
        "account-username": "xc-page-expert", "account-full_name": "赵磊", "account-series": "engineering",
        "account-specialty": "道路工程", "account-title_name": "高级工程师", "account-unit_name": "许昌市公路局",
        "account-birth_date": "1984-06-30", "account-status": "active",
    })
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    user = User.objects.get(username="xc-page-expert")
    shown = page.split("<code>")[1].split("</code>")[0]
    assert user.check_password(shown) and "只在此显示一次" in page
    again = client.get(response["Location"]).content.decode()
    assert shown not in again and "已不再显示" in again


def test_it_shows_every_bad_row_on_the_page_and_the_template_downloads(client):
    world = build_world("xuchang", experts=0, applications=0, name="许昌市")
    client.force_login(world.secretary)
    template = client.get(reverse("committees:expert_import_template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    bad = workbook([["bad name!", "某", "工程", "电气", "高工", "某院", "1982-04-01", "否", "在库", ""]])
    response = client.post(reverse("committees:expert_import", args=[world.committee.pk]), {"file": bad})
    page = response.content.decode()
    assert response.status_code == 200 and "名单未导入" in page and "第2行 用户名" in page
    client.force_login(world.city.city_reviewer)
    assert client.get(reverse("committees:expert_import_template")).status_code == 404


def test_it_opens_the_pool_to_the_tenant_admin_but_not_the_plans(client):
    world = xuchang_world(experts=1, applications=1)
    admin = UserFactory(role=Role.TENANT_ADMIN, organisation=world.city.city)
    client.force_login(admin)
    page = client.get(reverse("committees:committee_detail", args=[world.committee.pk])).content.decode()
    assert "新建专家账号" in page and "从Excel导入专家名单" in page and "报备评审方案" not in page
    assert client.get(reverse("committees:meeting_new", args=[world.committee.pk])).status_code == 404
    assert "评审委员会专家库" in client.get(reverse("committees:results")).content.decode()


def test_it_returns_the_extra_demo_expert_logins():
    """committees.demo.load_committee_demo returns <tenant>-expert-2/-3 for units.demo to print."""
    from django.contrib.auth.hashers import make_password

    from committees.demo import load_committee_demo
    from tests.factories import TenantFactory

    tenant = TenantFactory(code="xuchang", name="许昌市")
    logins = load_committee_demo(tenant, make_password("x"))
    assert [row["login"] for row in logins] == ["xuchang-expert-2", "xuchang-expert-3"]
    assert {row["role"] for row in logins} == {"评审专家"} and all(row["password"] for row in logins)
    assert load_committee_demo(tenant, make_password("x")) == logins  # idempotent
