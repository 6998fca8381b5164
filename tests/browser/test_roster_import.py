"""A unit handler imports an Excel roster: every bad row is reported, and it is all or nothing."""

from __future__ import annotations

import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from accounts.models import User
from core.idnumbers import mask_id_number
from tests.browser.conftest import STAFF_PASSWORD, label, log_in
from tests.factories import make_id_number

HEADER = ("姓名", "身份证号", "手机号", "人员性质")


def write_roster(path, rows) -> str:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "申报人员花名册"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return str(path)


def upload_roster(page, path: str) -> None:
    page.goto("/dashboard/")
    page.get_by_role("link", name="导入花名册").click()
    expect(page.get_by_role("heading", name="导入申报人员花名册")).to_be_visible()
    page.get_by_label(label("花名册（Excel .xlsx）")).set_input_files(path)
    page.get_by_role("button", name="上传并导入").click()
    expect(page.get_by_role("heading", name=re.compile(r"^花名册导入："))).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lists_every_bad_roster_row_imports_nobody_then_imports_a_corrected_roster(page, demo, tmp_path):
    people = {name: make_id_number() for name in ("孙立平", "周芳", "吴刚", "郑洁")}
    wrong_check_digit = people["周芳"][:17] + ("0" if people["周芳"][17] != "0" else "1")
    log_in(page, "zhengzhou-unit-handler", STAFF_PASSWORD)

    bad_roster = write_roster(
        tmp_path / "花名册-有错.xlsx",
        [
            ("孙立平", people["孙立平"], "13800000001", "在编"),
            ("周芳", wrong_check_digit, "13800000002", "人事代理"),
            ("吴刚", people["吴刚"], "13800000003", "劳务派遣"),
            ("郑洁", people["郑洁"], "13800000004", "临时工"),
        ],
    )
    upload_roster(page, bad_roster)

    expect(page.get_by_role("alert")).to_contain_text("发现 2 处问题，本次未导入任何人员")
    expect(page.locator(".progress-label")).to_contain_text("有错误，未导入")
    problems = page.locator("table.list tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("第3行")
    expect(problems.nth(0)).to_contain_text("身份证号")
    expect(problems.nth(0)).to_contain_text("第18位校验码应为")
    expect(problems.nth(1)).to_contain_text("第5行")
    expect(problems.nth(1)).to_contain_text("人员性质")
    expect(problems.nth(1)).to_contain_text("人员性质应为：在编、人事代理、劳务派遣、其他。")
    assert not User.objects.filter(full_name__in=people).exists()

    good_roster = write_roster(
        tmp_path / "花名册.xlsx",
        [
            ("孙立平", people["孙立平"], "13800000001", "在编"),
            ("周芳", people["周芳"], "13800000002", "人事代理"),
            ("吴刚", people["吴刚"], "13800000003", "劳务派遣"),
            ("郑洁", people["郑洁"], "13800000004", "其他"),
        ],
    )
    upload_roster(page, good_roster)

    expect(page.locator(".success")).to_have_text("导入完成，共创建 4 个申报人账号。")
    expect(page.get_by_role("progressbar", name="导入进度")).to_have_attribute("value", "100")
    expect(page.locator(".progress-label")).to_have_text("已完成（100%）")
    page.screenshot(path="/tmp/zc-roster-done.png", full_page=True)

    page.get_by_role("link", name="查看申报人员").click()
    expect(page.get_by_role("heading", name="申报人员")).to_be_visible()
    for name, id_number in people.items():
        row = page.locator("table.list tbody tr").filter(has_text=name)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(mask_id_number(id_number))
        expect(row).to_contain_text("未修改初始密码")
    page.screenshot(path="/tmp/zc-people.png", full_page=True)
    content = page.content()
    assert all(id_number not in content for id_number in people.values())
    assert User.objects.filter(full_name__in=people, organisation__name="郑州市第一中学").count() == 4
