"""Zhengzhou's 考核认定 (assessment) journey in a browser, every role from the login page to the
certificate, by the links and buttons the pages show (issue 17; 000_09f0e4863c323892.txt 六).

六(二)3 the applicant logs in with the ID number and the last six digits, changes the password,
fills the record, uploads the materials of 八(一) and submits; 六(三) the unit handler supplies the
unit's materials of 八(二) and passes the unit's assessment; 六(四) the competent department and
the city bureau approve online (a unit with no district goes from the department to the city, the
city being final for 考核认定); 六(五) the bureau issues the certificate, the holder downloads it and
anyone verifies it without logging in. Every page is read for raw codes (tests/test_plain_words.py);
console errors and CSP violations fail the test (conftest's watcher)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application
from certificates.models import Certificate
from tests.browser.conftest import STAFF_PASSWORD, demo_applicant_login, label
from tests.browser.journey import (
    Reader,
    approve,
    click,
    download_own_certificate,
    fill_personal_record,
    first_login,
    from_inbox,
    issue_certificates,
    nav,
    open_in_queue,
    open_window_around_now,
    print_forms,
    public_verifies,
    sign_and_submit,
    staff_logs_in,
    start_application,
    supply_unit_materials,
    upload_every_missing_slot,
)

NEW_PASSWORD = "Zhengzhou#Kaohe2026"
APPLICANT = "张明远"


@pytest.mark.browser
def test_zhengzhou_assessment_from_the_applicants_login_to_the_public_verifying_the_certificate(
    demo, new_page, tmp_path
):
    window = open_window_around_now("zhengzhou", "2026年12月市直单位初级职称申报")
    read = Reader("zhengzhou")

    # 六(二)3 The applicant: ID number, the last six digits, a new password at first login.
    id_number = demo_applicant_login(demo, "郑州市")
    applicant = new_page()
    first_login(applicant, read, id_number, id_number[-6:], NEW_PASSWORD)
    assert id_number not in applicant.content()  # shown masked only
    fill_personal_record(applicant, read, tmp_path, employer="郑州市第一中学")
    text = start_application(applicant, read, series="工程", level="助理级")
    assert "填写申报：工程 · 助理级" in text
    applicant.get_by_label(label("专业")).fill("建筑工程")
    applicant.get_by_label(label("本人述职")).fill("从事土木工程技术工作十余年，负责校舍维修和基建项目的技术管理。")
    applicant.get_by_role("button", name="保存草稿").click()
    read(applicant)
    uploaded = upload_every_missing_slot(applicant, read, tmp_path)
    assert {"学历证书、学位证书", "劳动合同", "继续教育证"} <= set(uploaded)  # 八(一)
    text = sign_and_submit(applicant, read, APPLICANT)
    expect(applicant.locator(".timeline .current")).to_contain_text("郑州市第一中学")
    application = Application.objects.get(applicant__full_name=APPLICANT, tenant__code="zhengzhou")
    assert application.status == Application.Status.SUBMITTED

    # 六(三) The unit: its own materials (八(二)), then its assessment opinion.
    unit = staff_logs_in(new_page, read, "zhengzhou-unit-handler", STAFF_PASSWORD)
    open_in_queue(unit, read, APPLICANT)
    supplied = supply_unit_materials(unit, read, tmp_path)
    assert {"单位考核报告", "年度考核表", "职称申报推荐诚信承诺书"} <= set(supplied)
    click(unit, read, "link", "返回审核")
    approve(unit, read, "经单位考核，该同志德、能、勤、绩均合格，同意推荐。")

    # 六(四) The competent department, then the city bureau (final for 考核认定 here).
    department = staff_logs_in(new_page, read, "zhengzhou-department", STAFF_PASSWORD)
    deadline = timezone.localtime(window.review_closes_at)  # the message says it as people write dates
    text = from_inbox(department, read, f"{APPLICANT}的申报待您审核",
                      f"审核截止：{deadline.year}年{deadline.month}月{deadline.day}日 {deadline:%H:%M}")
    assert "经单位考核，该同志德、能、勤、绩均合格" in text
    approve(department, read, "材料齐全，同意上报。")
    city = staff_logs_in(new_page, read, "zhengzhou-city", STAFF_PASSWORD)
    open_in_queue(city, read, APPLICANT)
    approve(city, read, "符合初级职称考核认定条件，同意认定。")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED

    # The applicant follows it on the status page.
    nav(applicant, read, "我的申报")
    assert "已通过" in click(applicant, read, "link", "查看进度")

    # 六(五) The bureau issues the 任职文件 (appointment notice) of the window, and the certificate.
    nav(city, read, "名单与统计")
    row = city.get_by_role("row").filter(has_text=application.window_name)
    row.get_by_role("button", name="生成任职资格文件").click()
    read(city)
    with city.expect_download() as download:
        city.get_by_role("link", name="下载任职资格文件").click()
    assert download.value.suggested_filename.endswith(".pdf")
    issue_certificates(city, read, 1)
    certificate = Certificate.objects.get(application=application)
    text = nav(city, read, "证书")
    assert certificate.number in text

    # 六(五) The applicant prints the 考核认定表 for the stamps of unit, department and bureau.
    print_forms(applicant, read, ["考核认定表"])

    # The holder downloads it; anyone verifies it, by number and name and by the PDF itself.
    from_inbox(applicant, read, "您的职称电子证书已签发")
    number, content = download_own_certificate(applicant, read)
    assert number == certificate.number
    # One filing per person and window: a second one is refused with the certified first named.
    text = start_application(applicant, read, series="工程", level="助理级")
    assert f"您在“{application.window_name}”已有一份申报" in text and "已取得证书" in text, text

    public = new_page()
    text = public_verifies(public, read, number, APPLICANT, content)
    assert "助理工程师" in public.locator(".certificate-title").inner_text()
    assert "郑州市人力资源和社会保障局" in text
    assert "张*远" in text and APPLICANT not in text
