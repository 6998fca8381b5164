"""Issue #4 remainders: record scans reused in slots, the city bureau's approval of 破格 forms,
entrusted review's letter, and the materials the unit supplies."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from applications import materials, services
from applications.models import Application, ApplicationFile, Attachment, ExceptionalPromotionApproval, TitleHeld
from core.models import AuditEvent
from review import services as review
from review.chain import Action
from tests.applications.helpers import IN_WINDOW, eligible_record, fill_required_slots, open_window, pdf_upload
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant():
    return TenantFactory(code="zhengzhou", name="郑州市")


@pytest.fixture
def applicant(tenant):
    return ApplicantFactory(organisation=OrganisationFactory(tenant=tenant))


@pytest.fixture
def draft(applicant):
    return services.application_create(actor=applicant, series="engineering", level="assistant", at=IN_WINDOW)


@pytest.fixture
def ready(draft):
    open_window("zhengzhou")
    eligible_record(draft.applicant)
    fill_required_slots(draft, unit_materials=False)
    services.pledge_sign(actor=draft.applicant, application=draft, typed_name=draft.applicant.full_name, agreed=True)
    return draft


def with_diploma_scan(person):
    entry = person.education_entries.first()
    return services.record_entry_update(
        actor=person, kind="education", entry=entry, data={}, proof=pdf_upload("本科毕业证.pdf")
    )


# --- Record scans reused ------------------------------------------------------------------------


def test_it_puts_a_record_scan_into_its_slot_and_freezes_it_on_submission(ready):
    person = ready.applicant
    entry = with_diploma_scan(person)
    ready.files.filter(slot="diploma").delete()
    attachments = Attachment.objects.count()
    item = services.application_attach_record_scan(actor=person, application=ready, slot="diploma", entry=entry)
    assert (item.attachment_id, item.reused_from) == (entry.diploma_id, f"education:{entry.pk}")
    assert Attachment.objects.count() == attachments  # a reference, not a second upload
    assert AuditEvent.objects.filter(action="application_record_scan_reused").count() == 1
    submission = services.application_submit(actor=person, application=ready, at=IN_WINDOW)
    frozen = [f for f in submission.snapshot["files"] if f["slot"] == "diploma"]
    assert frozen == [
        {
            **entry.diploma.metadata(),
            "slot": "diploma",
            "reused_from": f"education:{entry.pk}",
            "supplied_by_unit": False,
        }
    ]


def test_it_refuses_a_scan_for_a_slot_it_does_not_answer_or_twice(ready):
    person = ready.applicant
    entry = with_diploma_scan(person)
    with pytest.raises(ValidationError) as caught:
        services.application_attach_record_scan(actor=person, application=ready, slot="labour_contract", entry=entry)
    assert caught.value.messages == ["“劳动合同”不能选用该项个人档案的扫描件。"]
    services.application_attach_record_scan(actor=person, application=ready, slot="diploma", entry=entry)
    with pytest.raises(ValidationError) as caught:
        services.application_attach_record_scan(actor=person, application=ready, slot="diploma", entry=entry)
    assert caught.value.messages == ["“本科毕业证.pdf”已在“学历证书、学位证书”中。"]


def test_it_answers_404_for_another_persons_record_scan(client, ready, tenant):
    stranger = ApplicantFactory(organisation=OrganisationFactory(tenant=tenant))
    eligible_record(stranger)
    foreign = with_diploma_scan(stranger)
    client.force_login(ready.applicant)
    url = reverse("applications:reuse_scan", kwargs={"pk": ready.pk})
    response = client.post(url, {"slot": "diploma", "kind": "education", "entry": foreign.pk})
    assert response.status_code == 404
    assert not ready.files.filter(attachment=foreign.diploma).exists()
    with pytest.raises(PermissionDenied):
        services.application_attach_record_scan(actor=ready.applicant, application=ready, slot="diploma", entry=foreign)


def test_it_offers_record_scans_on_the_form_and_reuses_one_with_a_click(client, ready):
    person = ready.applicant
    entry = with_diploma_scan(person)
    title = TitleHeld.objects.create(person=person, series="engineering", level="yuan", obtained_on="2023-07-01")
    services.record_entry_update(actor=person, kind="title", entry=title, data={}, proof=pdf_upload("聘书.pdf"))
    client.force_login(person)
    body = client.get(reverse("applications:detail", kwargs={"pk": ready.pk})).content.decode()
    assert "选用“本科 郑州大学”的本科毕业证.pdf" in body
    assert "选用“工程员级聘书”的聘书.pdf" in body  # under 聘任证书
    response = client.post(
        reverse("applications:reuse_scan", kwargs={"pk": ready.pk}),
        {"slot": "diploma", "kind": "education", "entry": entry.pk},
        follow=True,
    )
    assert "已从个人档案选用“本科毕业证.pdf”。" in response.content.decode()
    assert ready.files.filter(slot="diploma", reused_from=f"education:{entry.pk}").exists()


# --- Exceptional promotion (破格) ---------------------------------------------------------------


@pytest.fixture
def city(tenant):
    return UserFactory(role=Role.CITY_REVIEWER, tenant=tenant, organisation=None)


@pytest.fixture
def exceptional(ready):
    """An applicant short of the required experience, filing 破格 with the form uploaded."""
    ready.applicant.work_periods.update(start="2026-07-01")
    services.application_save_draft(actor=ready.applicant, application=ready, data={"exceptional_promotion": True})
    item = services.application_upload(
        actor=ready.applicant, application=ready, slot=materials.EXCEPTIONAL_FORM, upload=pdf_upload("破格审批表.pdf")
    )
    ready.refresh_from_db()
    return ready, item.exception_approval


def test_it_blocks_exceptional_promotion_until_the_city_bureau_approves(exceptional, city):
    application, approval = exceptional
    assert approval.status == ExceptionalPromotionApproval.Status.PENDING
    blockers, _ = services.submission_blockers(application, IN_WINDOW)
    assert (
        "破格申报须经市人社局审批：《破格推荐专业技术职务任职资格审批表》已上传，正在等待审批，批准后才能提交。"
        in blockers
    )
    assert any(b.startswith("申报条件预审未通过：") for b in blockers)
    services.exceptional_approval_decide(actor=city, approval=approval, approve=True, reason="同意破格")
    blockers, precheck = services.submission_blockers(application, IN_WINDOW)
    assert blockers == [] and not precheck.eligible
    assert AuditEvent.objects.filter(action="exceptional_promotion_approved").count() == 1


def test_it_refuses_with_reasons_and_says_so_to_the_applicant(client, exceptional, city):
    application, approval = exceptional
    with pytest.raises(ValidationError) as caught:
        services.exceptional_approval_decide(actor=city, approval=approval, approve=False)
    assert caught.value.message_dict == {"reason": ["不批准时须写明理由。"]}
    services.exceptional_approval_decide(actor=city, approval=approval, approve=False, reason="业绩不突出")
    blockers, _ = services.submission_blockers(application, IN_WINDOW)
    assert (
        "破格申报未获市人社局批准（意见：业绩不突出），请按意见重新上传《破格推荐专业技术职务任职资格审批表》，"
        "批准后才能提交。"
    ) in blockers
    assert AuditEvent.objects.get(action="exceptional_promotion_refused").detail.get("reason") == "业绩不突出"
    with pytest.raises(ValidationError):
        services.exceptional_approval_decide(actor=city, approval=approval, approve=True)
    client.force_login(application.applicant)
    body = client.get(reverse("applications:detail", kwargs={"pk": application.pk})).content.decode()
    assert "市人社局未批准" in body and "意见：业绩不突出" in body


def test_it_lets_only_the_tenants_city_bureau_decide(client, exceptional, city, applicant):
    _, approval = exceptional
    other_city = UserFactory(role=Role.CITY_REVIEWER, tenant=TenantFactory(code="xuchang"), organisation=None)
    handler = UserFactory(role=Role.UNIT_HANDLER, organisation=applicant.organisation)
    for outsider in (other_city, handler, applicant):
        with pytest.raises(PermissionDenied):
            services.exceptional_approval_decide(actor=outsider, approval=approval, approve=True)
        client.force_login(outsider)
        decide = reverse("applications:exceptional_decide", kwargs={"pk": approval.pk})
        assert client.post(decide, {"decision": "approve"}).status_code == 404
        assert client.get(reverse("applications:download", kwargs={"pk": approval.attachment_id})).status_code == (
            200 if outsider == applicant else 404
        )
    client.force_login(city)
    assert client.get(reverse("applications:download", kwargs={"pk": approval.attachment_id})).status_code == 200
    client.post(decide, {"decision": "approve", "reason": ""})
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by) == ("approved", city)


def test_it_lists_the_queue_in_a_fixed_number_of_queries(client, exceptional, city, django_assert_num_queries):
    client.force_login(city)
    url = reverse("applications:exceptional_queue")
    client.get(url)
    # session, user, pending (joined), decided (joined), the tenant's rule set (the form's citation).
    with django_assert_num_queries(5):
        body = client.get(url).content.decode()
    assert body.count('value="approve"') == 1
    application, _ = exceptional
    for _ in range(3):
        services.application_upload(
            actor=application.applicant, application=application, slot=materials.EXCEPTIONAL_FORM, upload=pdf_upload()
        )
    with django_assert_num_queries(5):
        body = client.get(url).content.decode()
    assert body.count('value="approve"') == 4


def test_it_requires_the_entrustment_letter_for_entrusted_review(ready):
    services.application_save_draft(actor=ready.applicant, application=ready, data={"entrusted_review": True})
    ready.refresh_from_db()
    blockers, _ = services.submission_blockers(ready, IN_WINDOW)
    assert blockers == ["缺少材料：委托评审函。"]
    services.application_upload(
        actor=ready.applicant, application=ready, slot=materials.ENTRUSTMENT_LETTER, upload=pdf_upload("委托函.pdf")
    )
    assert services.submission_blockers(ready, IN_WINDOW)[0] == []


# --- Materials the unit supplies ----------------------------------------------------------------


@pytest.fixture
def submitted(ready):
    services.application_submit(actor=ready.applicant, application=ready, at=IN_WINDOW)
    ready.refresh_from_db()
    return ready


@pytest.fixture
def handler(applicant):
    return UserFactory(role=Role.UNIT_HANDLER, organisation=applicant.organisation)


def test_it_shows_unit_supplied_items_to_the_applicant_without_blocking_submission(client, ready):
    client.force_login(ready.applicant)
    body = client.get(reverse("applications:detail", kwargs={"pk": ready.pk})).content.decode()
    for name in ("单位考核报告", "年度考核表", "职称申报推荐诚信承诺书"):
        assert name in body
    assert body.count("由单位提供</span>") == 3 and body.count("单位尚未上传") == 3
    assert "它们不影响您提交申报" in body
    assert services.submission_blockers(ready, IN_WINDOW)[0] == []


def test_it_lets_the_unit_upload_its_materials_and_then_approve(client, submitted, handler):
    with pytest.raises(ValidationError) as caught:
        review.review_decide(actor=handler, application=submitted, action=Action.APPROVE, at=IN_WINDOW)
    assert caught.value.messages == ["请先上传单位提供的材料：单位考核报告、年度考核表、职称申报推荐诚信承诺书。"]
    client.force_login(handler)
    url = reverse("applications:unit_materials", kwargs={"pk": submitted.pk})
    assert "尚缺：单位考核报告、年度考核表、职称申报推荐诚信承诺书。" in client.get(url).content.decode()
    for slot in ("unit_assessment_report", "annual_assessment_forms", "integrity_pledge"):
        client.post(url, {"slot": slot, "file": pdf_upload(f"{slot}.pdf")})
    files = submitted.files.filter(supplied_by_unit=True)
    assert files.count() == 3 and {f.uploaded_by for f in files} == {handler}
    assert AuditEvent.objects.filter(action="unit_material_uploaded").count() == 3
    assert "单位必传材料已齐。" in client.get(url).content.decode()
    review.review_decide(actor=handler, application=submitted, action=Action.APPROVE, at=IN_WINDOW)
    submitted.refresh_from_db()
    assert submitted.status != Application.Status.SUBMITTED
    client.force_login(submitted.applicant)
    status = reverse("applications:status", kwargs={"pk": submitted.pk})
    body = client.get(status).content.decode()
    assert body.count("单位已上传") == 3
    report = files.get(slot="unit_assessment_report").attachment
    assert reverse("applications:download", kwargs={"pk": report.pk}) not in body  # links are for staff
    client.force_login(handler)
    assert reverse("applications:download", kwargs={"pk": report.pk}) in client.get(status).content.decode()


def test_it_refuses_bad_unit_files_with_a_message_and_stores_nothing(client, submitted, handler):
    client.force_login(handler)
    url = reverse("applications:unit_materials", kwargs={"pk": submitted.pk})
    exe = SimpleUploadedFile("单位考核报告.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    before = Attachment.objects.count()
    body = client.post(url, {"slot": "unit_assessment_report", "file": exe}, follow=True).content.decode()
    assert "单位考核报告.pdf" in body and "PDF" in body
    assert Attachment.objects.count() == before
    with pytest.raises(ValidationError) as caught:
        services.unit_material_upload(actor=handler, application=submitted, slot="diploma", upload=pdf_upload())
    assert caught.value.messages == ["本次申报不需要单位提供该项材料。"]


def test_it_answers_404_to_another_units_handler_and_keeps_the_applicant_out(client, submitted, handler, tenant):
    item = services.unit_material_upload(
        actor=handler, application=submitted, slot="unit_assessment_report", upload=pdf_upload("考核报告.pdf")
    )
    other = UserFactory(role=Role.UNIT_HANDLER, organisation=OrganisationFactory(tenant=tenant))
    client.force_login(other)
    assert client.get(reverse("applications:unit_materials", kwargs={"pk": submitted.pk})).status_code == 404
    upload = client.post(
        reverse("applications:unit_materials", kwargs={"pk": submitted.pk}),
        {"slot": "integrity_pledge", "file": pdf_upload()},
    )
    assert upload.status_code == 404
    assert client.get(reverse("applications:download", kwargs={"pk": item.attachment_id})).status_code == 404
    remove = reverse("applications:unit_material_remove", kwargs={"pk": submitted.pk, "file_pk": item.pk})
    assert client.post(remove).status_code == 404
    with pytest.raises(PermissionDenied):
        services.unit_material_upload(actor=other, application=submitted, slot="integrity_pledge", upload=pdf_upload())
    with pytest.raises(PermissionDenied):
        services.application_file_remove(actor=submitted.applicant, item=item)
    assert ApplicationFile.objects.filter(pk=item.pk).exists()


def test_it_keeps_drafts_out_of_the_units_reach(client, ready, handler):
    client.force_login(handler)
    assert client.get(reverse("applications:unit_materials", kwargs={"pk": ready.pk})).status_code == 404


# --- Committee choice ---------------------------------------------------------------------------


@pytest.fixture
def by_committee(ready):
    Application.objects.filter(pk=ready.pk).update(evaluation_method=Application.EvaluationMethod.COMMITTEE_REVIEW)
    ready.refresh_from_db()
    return ready


def make_committee(tenant, name: str, series=("engineering",), levels=("assistant",), **extra):
    from committees.models import Committee

    return Committee.objects.create(tenant=tenant, name=name, series=list(series), levels=list(levels), **extra)


def test_it_offers_only_committees_that_accept_the_series_and_level(client, by_committee, tenant):
    civil = make_committee(tenant, "工程系列初级评委会")
    make_committee(tenant, "卫生系列评委会", series=("health",))
    make_committee(tenant, "工程系列高级评委会", levels=("senior",))
    make_committee(TenantFactory(code="xuchang"), "许昌工程评委会")
    make_committee(tenant, "某公司自主评审委员会", self_review_unit=OrganisationFactory(tenant=tenant))
    assert materials.committee_choices(by_committee) == [civil]
    client.force_login(by_committee.applicant)
    body = client.get(reverse("applications:detail", kwargs={"pk": by_committee.pk})).content.decode()
    assert "工程系列初级评委会" in body and "卫生系列评委会" not in body and "许昌工程评委会" not in body
    assert "自主评审" not in body


def test_it_refuses_a_committee_outside_the_jurisdiction_and_keeps_a_valid_one(by_committee, tenant):
    health = make_committee(tenant, "卫生系列评委会", series=("health",))
    civil = make_committee(tenant, "工程系列初级评委会")
    with pytest.raises(ValidationError) as caught:
        services.application_save_draft(
            actor=by_committee.applicant, application=by_committee, data={"committee": str(health.pk)}
        )
    assert caught.value.message_dict == {
        "committee": ["所选评审委员会不评审该系列、级别，请在列出的评审委员会中选择。"]
    }
    services.application_save_draft(
        actor=by_committee.applicant, application=by_committee, data={"committee": str(civil.pk)}
    )
    by_committee.refresh_from_db()
    assert by_committee.committee == civil
    submission = services.application_submit(actor=by_committee.applicant, application=by_committee, at=IN_WINDOW)
    assert submission.snapshot["application"]["committee"] == {"id": civil.pk, "name": "工程系列初级评委会"}


def test_it_blocks_committee_review_without_a_committee_when_there_is_a_choice(by_committee, tenant):
    make_committee(tenant, "工程系列初级评委会（一）")
    make_committee(tenant, "工程系列初级评委会（二）")
    with pytest.raises(ValidationError) as caught:
        services.application_submit(actor=by_committee.applicant, application=by_committee, at=IN_WINDOW)
    assert caught.value.messages == ["请选择评审委员会（工程系列初级评委会（一）、工程系列初级评委会（二））。"]


def test_it_takes_the_only_committee_that_accepts_the_title(by_committee, tenant):
    only = make_committee(tenant, "工程系列初级评委会")
    submission = services.application_submit(actor=by_committee.applicant, application=by_committee, at=IN_WINDOW)
    by_committee.refresh_from_db()
    assert by_committee.committee == only
    assert submission.snapshot["application"]["committee"]["name"] == "工程系列初级评委会"
