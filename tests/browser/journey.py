"""Steps of the browser journeys (issue 17): each role walks from the login page to the certificate
by the links and buttons on the pages themselves, and every page it lands on is read for what a
person should never see (the patterns of tests/test_plain_words.py: seed file names, ISO dates and
timestamps, rule-set, level, series and snake_case codes, Django's ``---------``, another city's
document number). Console errors and CSP violations fail the test through conftest's watcher."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from rules.models import RuleSet
from tests.applications.helpers import jpeg_bytes, pdf_bytes
from tests.browser.conftest import label, log_in
from tests.test_plain_words import problems, visible_text


class Reader:
    """Reads every page a journey lands on for raw codes, as a person of ``tenant_code`` would."""

    def __init__(self, tenant_code: str) -> None:
        self.tenant_code = tenant_code
        self.codes = set(RuleSet.objects.values_list("code", flat=True))

    def __call__(self, page) -> str:
        """The page's visible text once it has loaded, after checking it reads plainly."""
        page.wait_for_load_state()
        found = problems(visible_text(page.content()), self.tenant_code, self.codes)
        assert not found, f"{page.url} 页面显示了不该给人看的内容：\n" + "\n".join(found)
        return page.locator("main").inner_text()


def click(page, read: Reader, role: str, name: str, *, exact: bool = True, within=None) -> str:
    """Click the link or button ``name`` (as a person does), then read the page it leads to."""
    (within or page).get_by_role(role, name=name, exact=exact).first.click()
    return read(page)


def nav(page, read: Reader, name: str) -> str:
    """One of the main navigation's links."""
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True).click()
    return read(page)


def staff_logs_in(new_page, read: Reader, username: str, password: str):
    page = new_page()
    log_in(page, username, password)
    read(page)
    return page


def first_login(page, read: Reader, login: str, initial: str, new_password: str) -> None:
    """Log in with the initial password and change it, as the first login asks."""
    log_in(page, login, initial)
    assert "修改密码" in read(page)
    page.get_by_label(label("原密码")).fill(initial)
    page.get_by_label(label("新密码")).fill(new_password)
    page.get_by_label(label("再次输入新密码")).fill(new_password)
    page.get_by_role("button", name="保存新密码").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    read(page)


def fill_personal_record(page, read: Reader, tmp_path, *, employer: str, assessed=None) -> None:
    """From the dashboard: the personal record an 助理级 applicant needs (a bachelor of 2012 in
    professional work since, each year of ``assessed`` assessed 合格)."""
    click(page, read, "link", "个人档案与业绩")
    page.get_by_label(label("出生日期")).fill("1990-03-15")
    page.get_by_label(label("性别")).select_option(label="男")
    page.get_by_label(label("已与单位签订聘用合同或劳动合同")).check()
    page.get_by_label(label("在本地工作月数")).fill("150")
    page.get_by_label(label("在本地缴纳社保月数")).fill("150")
    page.get_by_role("button", name="保存基本信息").click()
    read(page)
    expect(page.locator(".messages")).to_contain_text("个人基本信息已保存。")

    diploma = tmp_path / "本科毕业证书.pdf"
    diploma.write_bytes(pdf_bytes(1))
    click(page, read, "link", "添加学历（从第一学历到最高学历）")
    page.get_by_label(label("学历")).select_option(label="本科")
    page.get_by_label(label("毕业院校")).fill("河北工业大学")
    page.get_by_label(label("所学专业")).fill("土木工程")
    page.get_by_label(label("毕业日期")).fill("2012-06-30")
    page.get_by_label(label("学历学位证书扫描件")).set_input_files(str(diploma))
    click(page, read, "button", "保存")
    expect(page.locator("#education")).to_contain_text("河北工业大学")

    click(page, read, "link", "添加工作经历")
    page.get_by_label(label("起始日期")).fill("2012-07-01")
    page.get_by_label(label("工作单位")).fill(employer)
    page.get_by_label(label("岗位（职务）")).fill("技术员")
    click(page, read, "button", "保存")
    expect(page.locator("#work")).to_contain_text(employer)

    if assessed is None:  # the last three years
        from django.utils import timezone

        assessed = range(timezone.localdate().year - 3, timezone.localdate().year)
    for year in assessed:
        click(page, read, "link", "添加年度考核")
        page.get_by_label(label("年度")).fill(str(year))
        page.get_by_label(label("考核等次")).select_option(label="合格")
        click(page, read, "button", "保存")
        expect(page.locator("#assessment")).to_contain_text(f"{year}年度 · 合格")


def add_title_held(page, read: Reader, tmp_path, *, series: str, level: str, name: str, obtained: str) -> None:
    """From the personal record: a title already held, with its 聘书 scan."""
    letter = tmp_path / "聘书.pdf"
    letter.write_bytes(pdf_bytes(1))
    click(page, read, "link", "添加已取得职称")
    page.get_by_label(label("职称系列")).select_option(label=series)
    page.get_by_label(label("级别")).select_option(label=level)
    page.get_by_label(label("职称名称")).fill(name)
    page.get_by_label(label("取得资格日期")).fill(obtained)
    page.get_by_label(label("聘任日期")).fill(obtained)
    page.get_by_label(label("聘书扫描件")).set_input_files(str(letter))
    click(page, read, "button", "保存")
    expect(page.locator("#title")).to_contain_text(name)


def add_continuing_education(page, read: Reader, years: dict[int, int]) -> None:
    """From the personal record: continuing-education hours of each year."""
    for year, hours in years.items():
        click(page, read, "link", "添加继续教育学时")
        page.get_by_label(label("年度")).fill(str(year))
        page.get_by_label(label("学时")).fill(str(hours))
        click(page, read, "button", "保存")


def start_application(page, read: Reader, *, series: str, level: str) -> str:
    """From 我的申报: a new application of ``series`` at ``level`` (their Chinese names)."""
    nav(page, read, "我的申报")
    page.get_by_label(label("职称系列")).select_option(label=series)
    page.get_by_label(label("申报级别")).select_option(label=level)
    return click(page, read, "button", "开始填写申报")


def upload_every_missing_slot(page, read: Reader, tmp_path) -> list[str]:
    """Upload a real scan to each required slot still missing (a JPG where the slot asks for a
    photo); returns the slots' names."""
    names = []
    while page.locator("li.slot.missing").count():
        slot = page.locator("li.slot.missing").first
        name = slot.locator("h3").inner_text().split("（")[0].strip()
        requirement = slot.inner_text()
        if "JPG" in requirement and "PDF" not in requirement:
            path = tmp_path / f"{name}.jpg"
            path.write_bytes(jpeg_bytes(330, 450))
        else:
            path = tmp_path / f"{name}.pdf"
            path.write_bytes(pdf_bytes(1))
        slot_id = slot.get_attribute("id")
        slot.locator("input[type=file]").set_input_files(str(path))
        slot.get_by_role("button", name="上传", exact=True).click()
        read(page)
        assert name not in names, f"“{name}”上传后仍显示缺少：{page.locator('#' + slot_id).inner_text()}"
        names.append(name)
    expect(page.locator("#materials h2")).to_contain_text("必传材料已齐")
    return names


def sign_and_submit(page, read: Reader, full_name: str) -> str:
    """Pre-check, pledge and submit from the application form; returns the status page's text."""
    text = click(page, read, "link", "查看预审结果")
    assert "预审通过" in page.locator(".precheck-result").inner_text(), text
    click(page, read, "link", "返回申报")
    page.get_by_label("本人已阅读并承诺").check()
    page.get_by_label("签名（请输入您的姓名）").fill(full_name)
    click(page, read, "button", "签署承诺书")
    expect(page.locator("#submit")).to_contain_text("可以提交")
    click(page, read, "button", "提交申报")
    expect(page).to_have_url(re.compile(r"/applications/\d+/status/$"))
    return read(page)


def open_in_queue(page, read: Reader, applicant_name: str) -> str:
    """申报审核 in the navigation, then the applicant's row's 审核 link."""
    nav(page, read, "申报审核")
    page.get_by_role("row").filter(has_text=applicant_name).get_by_role("link", name="审核").click()
    return read(page)


def supply_unit_materials(page, read: Reader, tmp_path) -> list[str]:
    """From the review page: the unit uploads what the rules ask the unit to provide."""
    click(page, read, "link", "上传单位提供的材料")
    names = []
    while page.locator("li.slot.missing").count():
        slot = page.locator("li.slot.missing").first
        name = slot.locator("h3").inner_text().split("（")[0].strip()
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf_bytes(1))
        slot.locator("input[type=file]").set_input_files(str(path))
        slot.get_by_role("button", name="上传", exact=True).click()
        read(page)
        assert name not in names, f"单位材料“{name}”上传后仍显示缺少"
        names.append(name)
    expect(page.locator("p.success")).to_contain_text("单位必传材料已齐")
    return names


def approve(page, read: Reader, opinion: str) -> str:
    """On the review page: approve with ``opinion``; back at the queue."""
    page.locator("#approve-opinion").fill(opinion)
    click(page, read, "button", "通过")
    expect(page).to_have_url(re.compile(r"/review/$"))
    return read(page)


def issue_certificates(page, read: Reader, count: int) -> str:
    """The city bureau: 证书 in the navigation, 批量发证, and the batch runs to the end."""
    text = nav(page, read, "证书")
    assert f"其中{count}件尚未发证" in text, text
    click(page, read, "button", "批量发证")
    expect(page.get_by_text(re.compile(rf"发证完成：新发证书{count}张，失败0件。"))).to_be_visible(timeout=20_000)
    return read(page)


def download_own_certificate(page, read: Reader) -> tuple[str, bytes]:
    """The holder: 我的证书 in the navigation, then 下载电子证书; (certificate number, PDF bytes)."""
    nav(page, read, "我的证书")
    row = page.locator("table.list tbody tr").first
    number = row.locator("td").first.inner_text().strip()
    with page.expect_download() as download:
        row.get_by_role("link", name="下载电子证书").click()
    assert download.value.suggested_filename == f"职称证书-{number}.pdf"
    with open(download.value.path(), "rb") as file:
        content = file.read()
    assert content.startswith(b"%PDF")
    return number, content


def public_verifies(page, read: Reader, number: str, holder_name: str, content: bytes) -> str:
    """Anyone, not logged in: from the site's front page to 证书核验, by number and name, then the PDF."""
    page.goto("/")
    read(page)
    click(page, read, "link", "职称证书核验", exact=False)
    page.get_by_label("证书编号").fill(number)
    page.get_by_label("持证人姓名").fill(holder_name)
    text = click(page, read, "button", "查询")
    expect(page.locator(".certificate-status")).to_have_text("有效")
    page.get_by_label("证书PDF").set_input_files(
        files=[{"name": "证书.pdf", "mimeType": "application/pdf", "buffer": content}]
    )
    click(page, read, "button", "核验文件")
    expect(page.locator(".verify-file-result")).to_contain_text("证书有效：电子签名完好")
    return text


def open_window_around_now(tenant_code: str, name: str = "2026年第四季度职称申报"):
    """The live server runs on the real clock: a declaration window open from yesterday, submitting
    for five more days, returns for seven, reviews for thirty."""
    from datetime import timedelta

    from django.utils import timezone

    from rules.models import DeclarationWindow

    now = timezone.now().replace(microsecond=0)
    return DeclarationWindow.objects.create(
        tenant_code=tenant_code,
        name=name,
        opens_at=now - timedelta(days=1),
        submit_closes_at=now + timedelta(days=5),
        return_closes_at=now + timedelta(days=7),
        review_closes_at=now + timedelta(days=30),
    )


def print_forms(page, read: Reader, forms: list[str]) -> None:
    """From the application's status page: 打印表格, then each of ``forms`` generated and
    downloaded as a PDF; back to the status page."""
    click(page, read, "link", "打印表格（评审表、考核认定表）")
    for form in forms:
        click(page, read, "button", f"生成{form}")
        with page.expect_download() as download:
            page.get_by_role("link", name=f"下载{form}").click()
        assert download.value.suggested_filename.startswith(form), download.value.suggested_filename
        with open(download.value.path(), "rb") as file:
            assert file.read(4) == b"%PDF"
    click(page, read, "link", "返回申报进度")


def from_inbox(page, read: Reader, title: str, saying: str = "") -> str:
    """消息 in the navigation (with its unread count), then 查看 on the message titled ``title``
    (which says ``saying``, when given)."""
    page.locator("nav a.inbox-link").click()
    read(page)
    note = page.locator("ul.inbox li").filter(has_text=title).first
    expect(note).to_be_visible()
    if saying:
        expect(note).to_contain_text(saying)
    return click(page, read, "link", "查看", within=note)
