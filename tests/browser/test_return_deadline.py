"""A Kunming-timed return in the browser (003_c25e803c7aeb4e62.txt 四: submitting closes 20 Sep
17:00, returns are fixed until 27 Sep 17:00, unfixed returns are 逾期未补正，视为不具备申报资格).

The live server runs on the real clock, so the window is Kunming's shape placed around now: submitting
closed an hour ago, returns close in two days. One applicant fixes the return and resubmits after
submitting closed; the other's return deadline passes unfixed, and the sweep one second later closes it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications import services as filing
from applications.models import Application
from review import services as review
from review.chain import Action
from rules.models import DeclarationWindow
from tests.applications.helpers import eligible_record, fill_required_slots
from tests.browser.conftest import log_in
from tests.factories import ApplicantFactory, UserFactory, make_id_number
from tests.review.helpers import build_city

PASSWORD = "Shenbao@2026x"


def kunming_window(*, returns_close):
    now = timezone.now().replace(microsecond=0)
    DeclarationWindow.objects.filter(tenant_code="kunming-panlong").delete()
    return DeclarationWindow.objects.create(
        tenant_code="kunming-panlong",
        name="第三期初级职称考核认定",
        opens_at=now - timedelta(days=20),
        submit_closes_at=now - timedelta(hours=1),
        return_closes_at=returns_close,
        review_closes_at=now + timedelta(days=5),
    )


def returned_application(city, filed_at):
    number = make_id_number("530103", "19950302")
    applicant = ApplicantFactory(organisation=city.unit, full_name="赵丽华", number=number)
    applicant.set_password(PASSWORD)
    applicant.must_change_password = False
    applicant.save()
    application = filing.application_create(actor=applicant, series="engineering", level="assistant", at=filed_at)
    eligible_record(applicant)
    fill_required_slots(application)
    filing.application_save_draft(actor=applicant, application=application, data={"main_achievements": "业绩" * 210})
    filing.pledge_sign(actor=applicant, application=application, typed_name=applicant.full_name, agreed=True)
    filing.application_submit(actor=applicant, application=application, at=filed_at)
    review.review_decide(
        actor=city.handler,
        application=application,
        action=Action.RETURN,
        problems=[{"target": "field:self_statement", "message": "述职内容过于简略。"}],
        at=filed_at + timedelta(days=1),
    )
    return applicant, number, application


@pytest.mark.browser
def test_it_takes_a_fixed_return_after_submitting_closed_until_the_return_deadline(transactional_db, new_page):
    city = build_city("kunming-panlong", "昆明市盘龙区")
    kunming_window(returns_close=timezone.now() + timedelta(days=2))
    _applicant, number, application = returned_application(city, timezone.now() - timedelta(days=10))

    page = new_page()
    log_in(page, number, PASSWORD)
    page.goto(f"/applications/{application.pk}/")
    expect(page.locator("body")).to_contain_text("述职内容过于简略。")
    page.get_by_label("本人述职").fill("近三年主持完成两项市政道路设计，负责施工图审查与现场技术服务。")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="提交申报").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED  # after submitting closed, before the return deadline
    assert application.submissions.count() == 2


@pytest.mark.browser
def test_it_closes_a_return_left_unfixed_one_second_after_the_deadline(transactional_db, new_page):
    city = build_city("kunming-panlong", "昆明市盘龙区")
    deadline = timezone.now().replace(microsecond=0) - timedelta(seconds=1)
    kunming_window(returns_close=deadline)
    _applicant, number, application = returned_application(city, timezone.now() - timedelta(days=10))
    assert filing.close_overdue_returns(at=deadline) == []  # at 17:00:00 itself it is still open
    assert [a.pk for a in filing.close_overdue_returns(at=deadline + timedelta(seconds=1))] == [application.pk]

    page = new_page()
    log_in(page, number, PASSWORD)
    page.goto("/applications/")
    expect(page.locator("body")).to_contain_text("已关闭（逾期未补正）")
    page.goto(f"/applications/{application.pk}/status/")
    expect(page.locator("body")).to_contain_text("逾期未补正，视为不具备申报资格")

    unit = new_page()
    handler = UserFactory(role=city.handler.role, organisation=city.unit, tenant=city.tenant, username="km-handler")
    handler.set_password(PASSWORD)
    handler.save()
    log_in(unit, "km-handler", PASSWORD)
    unit.goto(f"/review/{application.pk}/")
    expect(unit.locator("body")).to_contain_text("逾期未补正")
