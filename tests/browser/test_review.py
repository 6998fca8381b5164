"""Reviewers walk an application up the chain in a browser, with a return and a resubmission."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from applications import services as filing
from rules.models import DeclarationWindow
from tests.applications.helpers import eligible_record, fill_required_slots
from tests.browser.conftest import STAFF_PASSWORD, log_in
from tests.factories import ApplicantFactory, make_id_number
from units.models import Organisation


def open_window_now() -> None:
    now = timezone.now()
    DeclarationWindow.objects.create(
        tenant_code="zhengzhou",
        name="浏览器测试申报批次",
        opens_at=now - timedelta(days=1),
        submit_closes_at=now + timedelta(days=5),
        return_closes_at=now + timedelta(days=7),
        review_closes_at=now + timedelta(days=9),
    )


def file_application(applicant):
    if not hasattr(applicant, "personal_record"):
        eligible_record(applicant)
    application = filing.application_create(actor=applicant, series="engineering", level="assistant")
    fill_required_slots(application)
    filing.pledge_sign(actor=applicant, application=application, typed_name=applicant.full_name, agreed=True)
    filing.application_submit(actor=applicant, application=application)
    return application


def decide(page, username: str, applicant_name: str, button: str, problem: tuple[str, str] | None = None) -> None:
    log_in(page, username, STAFF_PASSWORD)
    page.goto("/review/")
    page.get_by_role("row").filter(has_text=applicant_name).get_by_role("link", name="审核").click()
    if problem:
        page.get_by_label("第1项问题所在").select_option(label=problem[0])
        page.get_by_label("第1项需要修改的内容").fill(problem[1])
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/review/")


@pytest.mark.browser
def test_it_walks_an_application_from_the_unit_to_the_city_with_a_return_on_the_way(demo, new_page):
    school = Organisation.objects.get(tenant__code="zhengzhou", name__endswith="第一中学")
    county = User.objects.get(username="zhengzhou-county").organisation
    Organisation.objects.filter(pk=school.pk).update(district=county.district)
    open_window_now()
    number = make_id_number()
    applicant = ApplicantFactory(organisation=school, full_name="张明远", number=number)
    application = file_application(applicant)

    decide(new_page(), "zhengzhou-unit-handler", "张明远", "通过")
    decide(new_page(), "zhengzhou-department", "张明远", "退回修改", ("本人述职", "请写明近三年的主要工作。"))

    applicant.set_password("Shenbao@2026")
    applicant.must_change_password = False
    applicant.save()
    mine = new_page()
    log_in(mine, number, "Shenbao@2026")
    mine.goto(f"/applications/{application.pk}/status/")
    assert "请写明近三年的主要工作。" in mine.content()
    assert "需要修改的内容" in mine.content()

    filing.application_submit(actor=applicant, application=application)  # revision 2 restarts at the unit
    # A county unit's junior title ends at the county bureau (tenants/zhengzhou.json chain;
    # 000_09f0e4863c323892.txt 二 分级管理): the city never sees it.
    for username in ("zhengzhou-unit-handler", "zhengzhou-department", "zhengzhou-county"):
        decide(new_page(), username, "张明远", "通过")
    city = new_page()
    log_in(city, "zhengzhou-city", STAFF_PASSWORD)
    city.goto("/review/")
    assert "张明远" not in city.content()

    mine.goto(f"/applications/{application.pk}/status/")
    body = mine.content()
    assert "已通过" in body
    assert school.name in body and county.name in body


@pytest.mark.browser
def test_it_sends_a_non_public_units_application_straight_to_the_county(demo, new_page):
    private = Organisation.objects.get(tenant__code="zhengzhou", name__endswith="智远科技有限公司")
    open_window_now()
    applicant = ApplicantFactory(organisation=private, full_name="李思齐")
    file_application(applicant)

    decide(new_page(), "zhengzhou-private-handler", "李思齐", "通过")
    department = new_page()
    log_in(department, "zhengzhou-department", STAFF_PASSWORD)
    department.goto("/review/")
    assert "李思齐" not in department.content()
    decide(new_page(), "zhengzhou-county", "李思齐", "通过")  # and there it ends (junior, county unit)
