"""Filing requirements of a rule set (``filing_rules``), checked when the applicant submits.

001_272b0a6ee81b04e4.txt 二(五)2: “现从事专业”应与“申报专业”保持一致，否则无法提交申报.
001_272b0a6ee81b04e4.txt 二(五)6: 中小学教师系列“业绩”须在“内容”一栏中注明相应文件的文号（未注明文号的业绩不予认可）.
"""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications import services
from applications.models import Achievement, Attachment, PersonalRecord, TitleHeld
from rules.catalog import RULESETS_DIR
from rules.engine import evaluate
from rules.validation import RuleSetDocumentError, validate_rule_set_document
from tests.applications.helpers import IN_WINDOW, eligible_record, fill_required_slots, open_window, pdf_bytes
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

MISMATCH = (
    "“现从事专业”（土木工程）与“申报专业”（建筑工程）不一致，无法提交申报："
    "“现从事专业”应与“申报专业”保持一致，否则无法提交申报；请修改个人信息中的“现从事专业”或本申报的“专业”。"
)


def _letter(person) -> Attachment:
    content = pdf_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    return Attachment.objects.create(
        owner=person, file=SimpleUploadedFile("聘书.pdf", content, content_type="application/pdf"),
        original_name="聘书.pdf", content_type="application/pdf", size=len(content), pages=1,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def xuchang_filing(series: str = "engineering"):
    """A Xuchang 中级 filing (001) by an 助理级 appointed since 2019, ready to submit."""
    tenant = TenantFactory(code="xuchang", name="许昌市")
    unit = OrganisationFactory(tenant=tenant, unit_kind="non_public")
    applicant = ApplicantFactory(organisation=unit)
    open_window("xuchang")
    eligible_record(applicant)
    TitleHeld.objects.create(person=applicant, series=series, level="assistant", name="助理级",
                             obtained_on=date(2019, 9, 1), appointed_on=date(2019, 12, 31),
                             appointment_letter=_letter(applicant))
    application = services.application_create(actor=applicant, series=series, level="intermediate", at=IN_WINDOW)
    fill_required_slots(application)
    services.pledge_sign(actor=applicant, application=application, typed_name=applicant.full_name, agreed=True)
    application.refresh_from_db()
    return application


def approved_achievement(person, *, title: str, description: str) -> Achievement:
    return Achievement.objects.create(
        person=person, kind=Achievement.Kind.AWARD, title=title, achieved_on=date(2024, 5, 1),
        description=description, proof=_letter(person), status=Achievement.Status.APPROVED,
        decided_at=timezone.now(),
    )


# --- 001 二(五)2 -------------------------------------------------------------------------------


def test_it_starts_the_field_applied_for_from_the_current_field_and_submits_when_they_match():
    """001_272b0a6ee81b04e4.txt 二(五)2: 申报专业 starts as the record's 现从事专业; equal, it files."""
    application = xuchang_filing()
    assert application.specialty == "建筑工程"
    assert services.submission_blockers(application, IN_WINDOW)[0] == []
    services.application_submit(actor=application.applicant, application=application, at=IN_WINDOW)
    application.refresh_from_db()
    assert application.status == "submitted"


def test_it_refuses_to_submit_when_the_current_field_differs_from_the_field_applied_for():
    """001_272b0a6ee81b04e4.txt 二(五)2: “现从事专业”应与“申报专业”保持一致，否则无法提交申报."""
    application = xuchang_filing()
    PersonalRecord.objects.filter(person=application.applicant).update(current_specialty="土木工程")
    blockers, _ = services.submission_blockers(application, IN_WINDOW)
    assert blockers == [MISMATCH]
    with pytest.raises(ValidationError) as caught:
        services.application_submit(actor=application.applicant, application=application, at=IN_WINDOW)
    assert MISMATCH in caught.value.messages
    application.refresh_from_db()
    assert application.status == "draft"
    # Whitespace is not a difference; the same field written with spaces files.
    PersonalRecord.objects.filter(person=application.applicant).update(current_specialty=" 建筑 工程 ")
    assert services.submission_blockers(application, IN_WINDOW)[0] == []


def test_it_asks_for_the_current_field_when_the_record_has_none():
    """001_272b0a6ee81b04e4.txt 二(五)2: without a 现从事专业 there is nothing to match."""
    application = xuchang_filing()
    PersonalRecord.objects.filter(person=application.applicant).update(current_specialty="")
    blockers, _ = services.submission_blockers(application, IN_WINDOW)
    assert blockers == ["请在个人信息中填写“现从事专业”：“现从事专业”应与“申报专业”保持一致，否则无法提交申报。"]


def test_it_shows_the_blocker_where_the_applicant_reads_why_it_cannot_submit(client):
    """001_272b0a6ee81b04e4.txt 二(五)2: the application page lists the mismatch with the other blockers."""
    application = xuchang_filing()
    PersonalRecord.objects.filter(person=application.applicant).update(current_specialty="土木工程")
    client.force_login(application.applicant)
    body = client.get(reverse("applications:detail", kwargs={"pk": application.pk})).content.decode()
    assert "“现从事专业”（土木工程）与“申报专业”（建筑工程）不一致，无法提交申报" in body


def test_the_record_form_saves_the_current_field():
    """001_272b0a6ee81b04e4.txt 二(五)2: 现从事专业 is part of the personal record (基本信息)."""
    applicant = ApplicantFactory()
    services.record_save(actor=applicant, data={"current_specialty": "小学数学"})
    assert PersonalRecord.objects.get(person=applicant).current_specialty == "小学数学"
    with pytest.raises(ValidationError) as caught:
        services.record_save(actor=applicant, data={"current_specialty": "专" * 61})
    assert "current_specialty" in caught.value.message_dict


def test_a_rule_set_without_the_filing_rule_does_not_ask_for_the_match():
    """The requirement is the rule set's (001 二(五)2), not every city's: Zhengzhou files with any field."""
    tenant = TenantFactory(code="zhengzhou", name="郑州市")
    applicant = ApplicantFactory(organisation=OrganisationFactory(tenant=tenant))
    open_window("zhengzhou")
    eligible_record(applicant)
    PersonalRecord.objects.filter(person=applicant).update(current_specialty="土木工程")
    application = services.application_create(
        actor=applicant, series="engineering", level="assistant", specialty="建筑工程", at=IN_WINDOW
    )
    fill_required_slots(application)
    services.pledge_sign(actor=applicant, application=application, typed_name=applicant.full_name, agreed=True)
    assert not any("现从事专业" in b for b in services.submission_blockers(application, IN_WINDOW)[0])


def test_the_filing_rules_do_not_change_the_eligibility_decision():
    """Filing rules are not eligibility checks: evaluate_eligibility of 001's rule set keeps its checks."""
    data = json.loads((RULESETS_DIR / "xuchang-2023.json").read_text(encoding="utf-8"))
    without = copy.deepcopy(data)
    without.pop("filing_rules")
    from rules.engine import build_rule_set

    profile = {"as_of": "2023-11-01", "target": {"series": "engineering", "level": "intermediate"},
               "person": {"birth_date": "1990-01-01", "gender": "M", "civil_servant": False, "retired": False},
               "employment": {"months_in_region": 12, "has_contract": True}}
    assert evaluate(build_rule_set(data), profile).as_dict() == evaluate(build_rule_set(without), profile).as_dict()


def test_the_schema_refuses_an_unknown_filing_rule_kind_naming_the_path():
    data = json.loads((RULESETS_DIR / "xuchang-2023.json").read_text(encoding="utf-8"))
    data["filing_rules"][0]["kind"] = "specialty_like"
    with pytest.raises(RuleSetDocumentError) as caught:
        validate_rule_set_document(data)
    assert caught.value.path == "filing_rules[0].kind"


# --- 001 二(五)6 -------------------------------------------------------------------------------


def test_it_refuses_a_school_teachers_achievement_without_a_document_number_naming_the_field():
    """001_272b0a6ee81b04e4.txt 二(五)6: 中小学教师系列业绩须注明相应文件的文号, else 不予认可."""
    application = xuchang_filing(series="school_teacher")
    uncited = approved_achievement(application.applicant, title="市级优质课一等奖", description="许昌市教育局颁发")
    with pytest.raises(ValidationError) as caught:
        services.application_save_draft(
            actor=application.applicant, application=application, data={"achievement_ids": [uncited.pk]}
        )
    assert caught.value.message_dict == {
        "achievement_ids": [
            "选用的业绩“市级优质课一等奖”未在“简要说明”中注明相应文件的文号（如“××〔2023〕12号”），"
            "未注明文号的业绩不予认可；请在业绩档案中补充注明文号的业绩后重新选用。"
        ]
    }
    assert list(application.achievements.all()) == []


def test_it_accepts_a_school_teachers_achievement_that_cites_its_document_number():
    """001_272b0a6ee81b04e4.txt 二(五)6: 文号 written as 〔2023〕, [2022] or （2021） all count."""
    application = xuchang_filing(series="school_teacher")
    cited = [
        approved_achievement(application.applicant, title="市级优质课一等奖", description="许教〔2023〕12号"),
        approved_achievement(application.applicant, title="省级骨干教师", description="见豫教师[2022]108号文件"),
        approved_achievement(application.applicant, title="教学能手（教人（2021）第5号）", description=""),
    ]
    services.application_save_draft(
        actor=application.applicant, application=application, data={"achievement_ids": [a.pk for a in cited]}
    )
    assert set(application.achievements.all()) == set(cited)
    assert services.submission_blockers(application, IN_WINDOW)[0] == []


def test_it_blocks_submitting_an_uncited_achievement_chosen_before_the_series_changed():
    """001_272b0a6ee81b04e4.txt 二(五)6: the submission is checked too, not only the choosing."""
    application = xuchang_filing(series="engineering")
    uncited = approved_achievement(application.applicant, title="县级优秀教师", description="县教育局表彰")
    services.application_save_draft(
        actor=application.applicant, application=application, data={"achievement_ids": [uncited.pk]}
    )  # engineering: no 文号 asked
    TitleHeld.objects.filter(person=application.applicant).update(series="school_teacher")
    services.application_save_draft(
        actor=application.applicant, application=application, data={"series": "school_teacher"}
    )
    application.refresh_from_db()
    blockers, _ = services.submission_blockers(application, IN_WINDOW)
    assert any(b.startswith("选用的业绩“县级优秀教师”未在“简要说明”中注明相应文件的文号") for b in blockers)


def test_the_unit_handler_sees_the_field_in_the_record_form(client):
    """001 二(五)2: the record page offers 现从事专业 to fill in."""
    applicant = ApplicantFactory()
    UserFactory(role=Role.UNIT_HANDLER, organisation=applicant.organisation)
    client.force_login(applicant)
    body = client.get(reverse("applications:record")).content.decode()
    assert "现从事专业" in body
