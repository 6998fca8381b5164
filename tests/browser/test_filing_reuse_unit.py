"""A diploma kept in the personal record goes into its slot with one click; the unit uploads the
materials it supplies, and the applicant sees them as “由单位提供”."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications import services as filing
from tests.applications.helpers import eligible_record, fill_required_slots, open_window, pdf_bytes, pdf_upload
from tests.browser.conftest import STAFF_PASSWORD, demo_applicant_ready, log_in

NEW_PASSWORD = "Lvzhou#Qiuyu2026"


def ready_applicant(demo):
    id_number, applicant = demo_applicant_ready(demo, NEW_PASSWORD)
    now = timezone.now()
    open_window("zhengzhou", opens=now - timedelta(days=1), closes=now + timedelta(days=1))
    eligible_record(applicant)
    return id_number, applicant


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_reuses_the_diploma_scan_of_the_record_with_one_click(page, demo):
    id_number, applicant = ready_applicant(demo)
    entry = applicant.education_entries.first()
    filing.record_entry_update(
        actor=applicant, kind="education", entry=entry, data={}, proof=pdf_upload("本科毕业证.pdf")
    )
    draft = filing.application_create(actor=applicant, series="engineering", level="assistant")

    log_in(page, id_number, NEW_PASSWORD)
    page.goto(f"/applications/{draft.pk}/")
    slot = page.locator("#slot-diploma")
    expect(slot.locator(".badge.missing")).to_be_visible()
    slot.get_by_role("button", name="选用“本科 郑州大学”的本科毕业证.pdf").click()
    expect(page.locator(".messages")).to_contain_text("已从个人档案选用“本科毕业证.pdf”。")
    slot = page.locator("#slot-diploma")
    expect(slot).to_contain_text("（选用自个人档案）")
    expect(slot.locator(".badge.done")).to_be_visible()
    expect(slot.get_by_role("button", name="选用“本科 郑州大学”的本科毕业证.pdf")).to_have_count(0)
    assert draft.files.get(slot="diploma").attachment_id == entry.diploma_id


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_the_unit_upload_its_materials_which_the_applicant_then_sees(demo, new_page, tmp_path):
    id_number, applicant = ready_applicant(demo)
    draft = filing.application_create(actor=applicant, series="engineering", level="assistant")
    fill_required_slots(draft, unit_materials=False)
    filing.pledge_sign(actor=applicant, application=draft, typed_name=applicant.full_name, agreed=True)
    filing.application_submit(actor=applicant, application=draft)
    report = tmp_path / "单位考核报告.pdf"
    report.write_bytes(pdf_bytes(2))

    unit = new_page()
    log_in(unit, "zhengzhou-unit-handler", STAFF_PASSWORD)
    unit.goto(f"/applications/unit/{draft.pk}/materials/")
    expect(unit.get_by_role("alert")).to_contain_text("尚缺：单位考核报告、年度考核表、职称申报推荐诚信承诺书。")
    item = unit.locator("#unit-unit_assessment_report")
    item.get_by_label("上传“单位考核报告”").set_input_files(str(report))
    item.get_by_role("button", name="上传", exact=True).click()
    expect(unit.locator(".messages")).to_contain_text("已上传“单位考核报告.pdf”。")
    expect(unit.locator("#unit-unit_assessment_report")).to_contain_text("单位考核报告.pdf")
    expect(unit.get_by_role("alert")).to_contain_text("尚缺：年度考核表、职称申报推荐诚信承诺书。")

    mine = new_page()
    log_in(mine, id_number, NEW_PASSWORD)
    mine.goto(f"/applications/{draft.pk}/status/")
    expect(mine.locator("#unit-unit_assessment_report")).to_contain_text("单位已上传")
    expect(mine.locator("#unit-integrity_pledge")).to_contain_text("单位尚未上传")
    expect(mine.locator("#unit-items")).to_contain_text("由单位提供")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_sends_the_exceptional_promotion_form_to_the_city_bureau_for_approval(demo, new_page):
    from applications.models import ExceptionalPromotionApproval

    id_number, applicant = ready_applicant(demo)
    draft = filing.application_create(actor=applicant, series="engineering", level="assistant")
    filing.application_save_draft(actor=applicant, application=draft, data={"exceptional_promotion": True})
    filing.application_upload(
        actor=applicant, application=draft, slot="exceptional_promotion_form", upload=pdf_upload("破格审批表.pdf")
    )

    mine = new_page()
    log_in(mine, id_number, NEW_PASSWORD)
    mine.goto(f"/applications/{draft.pk}/")
    expect(mine.locator("ul.blockers")).to_contain_text("破格申报须经市人社局审批")
    expect(mine.locator("#slot-exceptional_promotion_form")).to_contain_text("待市人社局审批")

    city = new_page()
    log_in(city, "zhengzhou-city", STAFF_PASSWORD)
    city.goto("/dashboard/")
    city.get_by_role("link", name="破格申报审批").click()
    row = city.get_by_role("row").filter(has_text=applicant.full_name)
    expect(row).to_contain_text("破格审批表.pdf")
    row.get_by_label("不批准").check()
    row.get_by_label("审批意见").fill("近三年业绩不突出")
    row.get_by_role("button", name="确定").click()
    expect(city.locator(".messages")).to_contain_text("已审批")
    expect(city.locator("body")).to_contain_text("市人社局未批准（近三年业绩不突出）")
    assert ExceptionalPromotionApproval.objects.get(application=draft).status == "refused"

    mine.reload()
    expect(mine.locator("ul.blockers")).to_contain_text("破格申报未获市人社局批准（意见：近三年业绩不突出）")
    expect(mine.locator("#slot-exceptional_promotion_form")).to_contain_text("市人社局未批准")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_lets_the_applicant_choose_among_the_committees_that_accept_the_title(page, demo):
    from applications.models import Application
    from committees.models import Committee

    id_number, applicant = ready_applicant(demo)
    civil = Committee.objects.create(
        tenant=applicant.tenant, name="工程系列初级评委会（测试）", series=["engineering"], levels=["assistant"]
    )
    Committee.objects.create(
        tenant=applicant.tenant, name="卫生系列评委会（测试）", series=["health"], levels=["assistant"]
    )
    draft = filing.application_create(actor=applicant, series="engineering", level="assistant")
    Application.objects.filter(pk=draft.pk).update(evaluation_method=Application.EvaluationMethod.COMMITTEE_REVIEW)

    log_in(page, id_number, NEW_PASSWORD)
    page.goto(f"/applications/{draft.pk}/")
    choice = page.get_by_label("评审委员会", exact=True)
    expect(choice.locator("option")).to_contain_text(["请选择评审委员会", "工程系列初级评委会（测试）"])
    expect(choice).not_to_contain_text("卫生系列评委会")
    choice.select_option(label="工程系列初级评委会（测试）")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("草稿已保存。")
    draft.refresh_from_db()
    assert draft.committee == civil
