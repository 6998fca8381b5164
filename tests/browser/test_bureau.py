"""A county bureau reviewer filters the queue, exports it to Excel, views the statistics and
records an integrity finding; the banned applicant is then refused with the reason and end date."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from applications.models import Application
from review.chain import Action
from review.services import review_decide
from tests.browser.conftest import STAFF_PASSWORD, log_in
from tests.browser.test_review import file_application, open_window_now
from tests.factories import ApplicantFactory, make_id_number
from units.models import Organisation


@pytest.mark.browser
def test_it_lets_a_bureau_filter_export_count_and_ban(demo, new_page):
    school = Organisation.objects.get(tenant__code="zhengzhou", name__endswith="第一中学")
    county = User.objects.get(username="zhengzhou-county").organisation
    Organisation.objects.filter(pk=school.pk).update(district=county.district)
    open_window_now()
    number = make_id_number(birth="19870707")
    banned = ApplicantFactory(organisation=school, full_name="张明远", number=number)
    other = ApplicantFactory(organisation=school, full_name="王小红")
    unit_handler = User.objects.get(username="zhengzhou-unit-handler")
    department = User.objects.get(username="zhengzhou-department")
    for applicant in (banned, other):
        application = file_application(applicant)
        review_decide(actor=unit_handler, application=application, action=Action.APPROVE)
        review_decide(actor=department, application=application, action=Action.APPROVE)
    Application.objects.filter(applicant=other).update(series="education")

    page = new_page(accept_downloads=True)
    log_in(page, "zhengzhou-county", STAFF_PASSWORD)
    page.goto("/review/")
    page.get_by_label("职称系列").select_option("engineering")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    assert "张明远" in page.content() and "王小红" not in page.content()

    with page.expect_download() as download:
        page.get_by_role("link", name="按当前筛选导出Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    content = Path(download.value.path()).read_bytes()
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "张明远"
    assert rows[1][1] == banned.id_number_masked and number not in str(rows)

    page.get_by_role("link", name="申报统计").click()
    page.wait_for_load_state()
    assert page.locator("#total").inner_text() == "2"
    assert page.locator("svg.chart").count() == 4

    page.get_by_role("link", name="诚信档案").click()
    page.get_by_label("申报人身份证号").fill(number)
    page.get_by_label("认定的弄虚作假情形").fill("伪造学历证书")
    page.get_by_role("button", name="记录并限制申报").click()
    page.wait_for_load_state()
    body = page.content()
    assert "已记录张明远的诚信问题" in body and banned.id_number_masked in body and number not in body

    # The ban runs from 1 January of the year after the review for the tenant's years
    # (004_318552047dacbbf4.txt 五(五) 从评审次年起); the service tests cover the refusal itself.
    reviewed = timezone.localdate().year
    assert f"{reviewed + 1}年1月1日至{reviewed + 3}年12月31日" in body
