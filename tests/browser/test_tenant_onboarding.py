"""A new city joins by pages only (tenant contract: a city is data). The platform admin creates
Luoyang by form; its admin logs in with the one-time password, imports the city's units from
Excel, adds a county bureau and staff, sets a chain in which the county decides assessments
(``final_for: assessment``), opens a window and uploads a rule set. A unit handler then adds an
applicant, the applicant files, and the timeline runs 用人单位 → 县（市、区）人社部门 and ends there;
the county's approval is final."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Role, User
from applications import services as filing
from applications.models import Application
from certificates.models import Certificate
from review.models import ReviewStep
from rules.models import DeclarationWindow, RuleSet
from rules.windows import CST
from tests.applications.helpers import eligible_record, fill_required_slots
from tests.browser.conftest import label, log_in
from tests.certificates.helpers import decoded_qr_codes
from tests.factories import make_credit_code, make_id_number
from units.models import Organisation, Tenant, TenantVersion

ROOT = Path(__file__).resolve().parents[2]
PLATFORM_PASSWORD = "Zhicheng@2026"
NEW_PASSWORDS = {
    "luoyang-admin": "Luoyang#Guanli2026",
    "luoyang-county": "Laocheng#Shenhe2026",
    "luoyang-firm1": "Mudan#Jingban2026",
}
APPLICANT_PASSWORD = "Heluo#Shenbao2026"


def change_initial_password(page, old: str, new: str) -> None:
    """The first login of an account with an initial password: the change is forced."""
    expect(page.get_by_role("heading", name=re.compile("修改"))).to_be_visible()
    page.get_by_label(label("原密码")).fill(old)
    page.get_by_label(label("新密码")).fill(new)
    page.get_by_label(label("再次输入新密码")).fill(new)
    page.get_by_role("button", name="保存新密码").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def one_time_password(page, username: str) -> str:
    row = page.locator("table.initial-passwords tbody tr").filter(has_text=username)
    expect(row).to_have_count(1)
    return row.locator("code").inner_text().strip()


def units_sheet(path: Path) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append(["标识", "名称", "单位性质", "统一社会信用代码", "所在县（市、区）代码", "主管部门标识"])
    sheet.append(["school1", "洛阳市第一中学", "事业单位", make_credit_code(prefix="12", region="410300"), "", ""])
    sheet.append(["firm1", "洛阳某某科技有限公司", "非公经济组织", make_credit_code(region="410302"), "410302", ""])
    book.save(path)
    return str(path)


def local(moment) -> str:
    """A datetime-local input's value, China time."""
    return moment.astimezone(CST).strftime("%Y-%m-%dT%H:%M")


def open_config(page, link: str) -> None:
    """From the tenant admin's home page to one configuration page, by clicking."""
    page.get_by_role("link", name="首页", exact=True).click()
    page.locator("section.tenant-config").get_by_role("link", name=link, exact=True).click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_onboards_a_new_city_by_pages_and_files_an_application_the_county_decides(new_page, tmp_path):
    platform = User(username="platform-admin", role=Role.PLATFORM_ADMIN, full_name="平台管理员")
    platform.set_password(PLATFORM_PASSWORD)
    platform.save()
    assert not Tenant.objects.filter(code="luoyang").exists()

    # --- The platform admin creates the tenant by form and sees the first admin's password once.
    page = new_page()
    log_in(page, "platform-admin", PLATFORM_PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="租户管理").click()
    page.get_by_role("link", name="新建租户").click()
    page.get_by_label(label("租户代码")).fill("luoyang")
    page.get_by_label(label("名称")).fill("洛阳市")
    page.get_by_label(label("省份")).fill("河南省")
    page.get_by_label(label("职称主管机关")).fill("洛阳市人力资源和社会保障局")
    page.get_by_label(label("行政区划代码")).fill("410300")
    page.get_by_label(label("市人社局名称")).fill("洛阳市人力资源和社会保障局")
    page.get_by_label(label("首位管理员用户名")).fill("luoyang-admin")
    page.get_by_label(label("管理员姓名")).fill("洛阳管理员")
    page.get_by_role("button", name="创建租户").click()
    expect(page.get_by_role("heading", name="已创建租户：洛阳市")).to_be_visible()
    expect(page.get_by_text("初始密码只显示这一次")).to_be_visible()
    admin_password = one_time_password(page, "luoyang-admin")
    page.screenshot(path="/tmp/zc-tenant-created.png", full_page=True)
    page.get_by_role("link", name="我已记录，继续").click()
    expect(page.locator("dl.facts")).to_contain_text("第1版")
    assert admin_password not in page.content()

    # --- The tenant's admin: first login with the one-time password, forced change.
    admin = new_page()
    log_in(admin, "luoyang-admin", admin_password)
    change_initial_password(admin, admin_password, NEW_PASSWORDS["luoyang-admin"])
    expect(admin.get_by_role("heading", name="本地区配置")).to_be_visible()

    # A county district, then the city's existing units from Excel (one of them in the county).
    open_config(admin, "县（市、区）")
    admin.get_by_label(label("行政区划代码")).fill("410302")
    admin.get_by_label(label("名称")).fill("老城区")
    admin.get_by_role("button", name="新增").click()
    expect(admin.locator(".messages")).to_contain_text("新增县（市、区）：老城区")

    open_config(admin, "机构与单位")
    admin.get_by_role("link", name="从Excel导入单位").click()
    admin.get_by_label(label("单位名单（Excel .xlsx）")).set_input_files(units_sheet(tmp_path / "洛阳单位名单.xlsx"))
    admin.get_by_role("button", name="上传并导入").click()
    expect(admin.locator(".messages")).to_contain_text("已导入2个单位")
    admin.screenshot(path="/tmp/zc-tenant-organisations.png", full_page=True)
    table = admin.locator("table.organisations")
    expect(table.get_by_role("row").filter(has_text="洛阳某某科技有限公司")).to_contain_text("老城区")
    expect(table.get_by_role("row").filter(has_text="洛阳市第一中学")).to_contain_text("市本级")

    # The county's bureau.
    admin.get_by_label(label("类别")).select_option(label="县（市、区）人社局")
    admin.get_by_label(label("名称")).fill("老城区人力资源和社会保障局")
    admin.get_by_label(label("所在县（市、区）")).select_option(label="老城区（410302）")
    admin.get_by_role("button", name="新增机构").click()
    expect(admin.locator(".messages")).to_contain_text("新增机构：老城区人力资源和社会保障局")

    # Staff: a county reviewer and the firm's handler, each password shown once.
    passwords = {}
    for username, name, role, organisation in (
        (
            "luoyang-county",
            "老城区审核员",
            "县（市、区）人社审核人",
            "老城区人力资源和社会保障局（县（市、区）人社局）",
        ),
        ("luoyang-firm1", "科技公司经办人", "单位经办人", "洛阳某某科技有限公司（用人单位）"),
    ):
        open_config(admin, "工作人员账号")
        admin.get_by_label(label("用户名")).fill(username)
        admin.get_by_label(label("姓名")).fill(name)
        admin.get_by_label(label("角色")).select_option(label=role)
        admin.get_by_label(label("所在机构")).select_option(label=organisation)
        admin.get_by_role("button", name="新增账号").click()
        expect(admin.get_by_role("heading", name="已创建工作人员账号")).to_be_visible()
        passwords[username] = one_time_password(admin, username)
        admin.get_by_role("link", name="我已记录，继续").click()
        expect(admin.locator("table.staff")).to_contain_text(username)

    # The chain: the county decides assessments (000 二: county junior titles).
    open_config(admin, "审核链")
    county = admin.get_by_role("group", name="县（市、区）人社部门", exact=True)
    county.get_by_label("考核认定").check()
    county.get_by_label(label("决定时限")).select_option(label="审核截止")
    admin.get_by_role("button", name="保存审核链").click()
    expect(admin.locator(".messages")).to_contain_text("修改审核链")
    expect(admin.locator(".current-chain")).to_contain_text(
        "县（市、区）人社部门（单位在县区时；考核认定在此终审；审核截止前决定）"
    )
    admin.screenshot(path="/tmp/zc-tenant-chain.png", full_page=True)

    # A timed window open now, entered in China time.
    now = timezone.now()
    open_config(admin, "申报批次设置")
    admin.get_by_label(label("批次名称")).fill("2026年洛阳市初级职称考核认定")
    admin.get_by_label("定时批次（填写开始和截止时间）").check()
    expect(admin.get_by_label(label("月份"))).to_have_count(0)
    admin.get_by_label(label("开始申报")).fill(local(now - timedelta(days=1)))
    admin.get_by_label(label("申报截止")).fill(local(now + timedelta(days=5)))
    admin.get_by_label(label("退回修改截止")).fill(local(now + timedelta(days=7)))
    admin.get_by_label(label("审核截止")).fill(local(now + timedelta(days=9)))
    admin.get_by_role("button", name="保存批次").click()
    expect(admin.locator("table.windows")).to_contain_text("2026年洛阳市初级职称考核认定")
    admin.screenshot(path="/tmp/zc-tenant-windows.png", full_page=True)
    window = DeclarationWindow.objects.get(tenant_code="luoyang")
    assert window.submit_closes_at.astimezone(CST).strftime("%Y-%m-%dT%H:%M") == local(now + timedelta(days=5))

    # A rule set: the shipped Zhengzhou junior rules, as Luoyang's own.
    rules = json.loads((ROOT / "rules" / "rulesets" / "zhengzhou-2020-junior.json").read_text(encoding="utf-8"))
    rules.update(code="luoyang-2020-junior", tenant_code="luoyang")
    rules_file = tmp_path / "luoyang-2020-junior.json"
    rules_file.write_text(json.dumps(rules, ensure_ascii=False), encoding="utf-8")
    open_config(admin, "规则集")
    admin.get_by_label(label("规则集文档（JSON）")).set_input_files(str(rules_file))
    admin.get_by_role("button", name="上传并应用").click()
    expect(admin.locator("table.rulesets")).to_contain_text(rules["name"])
    assert RuleSet.objects.get(code="luoyang-2020-junior").tenant_code == "luoyang"

    # A setting, with its description as help.
    open_config(admin, "设置")
    expect(admin.get_by_text("公示工作日数（不少于5个工作日）。")).to_be_visible()
    admin.get_by_label(label("公示工作日数")).fill("7")
    admin.get_by_role("button", name="保存设置").click()
    expect(admin.locator(".messages")).to_contain_text("修改设置：公示工作日数")
    admin.screenshot(path="/tmp/zc-tenant-settings.png", full_page=True)

    # Every step was one version, readable as a difference.
    open_config(admin, "版本记录")
    tenant = Tenant.objects.get(code="luoyang")
    assert TenantVersion.objects.filter(tenant=tenant).count() == tenant.version == 10
    assert tenant.publicity_working_days == 7
    admin.get_by_role("link", name="查看第7版的改动").click()
    expect(admin.locator("#diff-chain")).to_contain_text("考核认定在此终审")
    admin.screenshot(path="/tmp/zc-tenant-diff.png", full_page=True)

    # --- The firm's handler adds an applicant.
    handler = new_page()
    log_in(handler, "luoyang-firm1", passwords["luoyang-firm1"])
    change_initial_password(handler, passwords["luoyang-firm1"], NEW_PASSWORDS["luoyang-firm1"])
    handler.get_by_role("link", name="添加申报人").click()
    id_number = make_id_number(region="410302", birth="19990315")
    handler.get_by_label(label("姓名")).fill("牡丹")
    handler.get_by_label(label("身份证号")).fill(id_number)
    handler.get_by_label(label("手机号")).fill("13800000021")
    handler.get_by_label(label("人员性质")).select_option(label="在编")
    handler.get_by_role("button", name="创建账号").click()
    expect(handler.locator(".messages")).to_contain_text("已为牡丹创建申报账号")
    applicant = User.objects.get(role=Role.APPLICANT, full_name="牡丹")
    assert applicant.tenant.code == "luoyang" and applicant.organisation.key == "firm1"

    # --- The applicant logs in by ID number and files (the draft filled by the helpers).
    mine = new_page()
    log_in(mine, id_number, id_number[-6:])
    change_initial_password(mine, id_number[-6:], APPLICANT_PASSWORD)
    eligible_record(applicant)
    draft = filing.application_create(actor=applicant, series="engineering", level="assistant")
    assert draft.ruleset_code == "luoyang-2020-junior"
    fill_required_slots(draft)
    mine.goto(f"/applications/{draft.pk}/")
    mine.get_by_label("本人已阅读并承诺").check()
    mine.get_by_label("签名（请输入您的姓名）").fill("牡丹")
    mine.get_by_role("button", name="签署承诺书").click()
    expect(mine.locator("#submit")).to_contain_text("可以提交")
    mine.get_by_role("button", name="提交申报").click()
    expect(mine).to_have_url(re.compile(rf"/applications/{draft.pk}/status/$"))

    steps = mine.locator(".review-timeline > li")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_contain_text("用人单位（洛阳某某科技有限公司）")
    expect(steps.nth(1)).to_contain_text("县（市、区）人社部门（老城区人力资源和社会保障局）")
    expect(mine.locator(".review-timeline")).not_to_contain_text("市人社部门")

    # --- The unit approves, then the county, and the county's approval is final.
    for username, page_ in (("luoyang-firm1", handler), ("luoyang-county", None)):
        if page_ is None:
            page_ = new_page()
            log_in(page_, username, passwords[username])
            change_initial_password(page_, passwords[username], NEW_PASSWORDS[username])
        page_.get_by_role("navigation", name="主导航").get_by_role("link", name="申报审核").click()
        page_.get_by_role("row").filter(has_text="牡丹").get_by_role("link", name="审核").click()
        page_.get_by_role("button", name="通过", exact=True).click()
        page_.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.status == Application.Status.APPROVED
    assert list(ReviewStep.objects.filter(application=draft).values_list("level", "status").order_by("order")) == [
        ("unit", "approved"),
        ("county", "approved"),
    ]
    mine.reload()
    expect(steps.nth(1)).to_contain_text("已通过")

    # The city bureau's admin issues the certificate; anyone verifies it through its QR code.
    admin.get_by_role("navigation", name="主导航").get_by_role("link", name="证书").click()
    expect(admin.get_by_text("其中1件尚未发证")).to_be_visible()
    admin.get_by_role("button", name="批量发证").click()
    expect(admin.get_by_text("发证完成：新发证书1张，失败0件。")).to_be_visible(timeout=20_000)
    certificate = Certificate.objects.get(holder_id=applicant.pk)
    assert certificate.tenant_id == tenant.pk and certificate.number.startswith("410300")
    [scanned] = decoded_qr_codes(PdfReader(io.BytesIO(certificate.file.open("rb").read())).pages[0].images[0].image)
    public = new_page()  # not logged in
    public.goto(urlsplit(scanned).path)
    expect(public.locator(".certificate-status")).to_have_text("有效")
    expect(public.get_by_text(certificate.number)).to_be_visible()
    expect(public.get_by_text("洛阳市人力资源和社会保障局").first).to_be_visible()
    assert Organisation.objects.filter(tenant=tenant, kind=Organisation.Kind.CITY_BUREAU).count() == 1
