"""The unit procedure's local steps as a specification: 002_743bb57fc6424707.txt 第一篇 第七条(三)
(《量化考核实施细则》须经单位职代会讨论通过，并连同职代会会议纪要报上级主管部门同意后，方可实施),
第七条(三)(四) 公开述职 and 考核答辩, and 第九条(一)2、3⑶、(三)2⑴ the 情况一览表 (附件二), the 量化赋分表 and
the 审查情况报告表 (附件四). Which tenants take these steps is their document's setting
``unit_procedure_steps``; a tenant without it is not asked for them."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from review import procedure as svc
from tests.applications.helpers import IN_WINDOW
from tests.factories import ApplicantFactory
from tests.review.helpers import build_city, submitted_application

pytestmark = pytest.mark.django_db

STEPS = {"rules_approval": True, "hearings": True, "documents": ["review_report", "summary_sheet", "scoring_sheet"]}


@pytest.fixture
def city():
    city = build_city()  # zhengzhou's filing rules, with the procedure steps of 唐山 (002 第一篇)
    city.tenant.review_group_min_size = 7
    city.tenant.unit_procedure_required = True
    city.tenant.settings = {**city.tenant.settings, "unit_procedure_steps": STEPS}
    city.tenant.save()
    return city


@pytest.fixture
def procedure(city):
    second = ApplicantFactory(organisation=city.unit, full_name="王晓燕")
    applications = [submitted_application(city.applicant), submitted_application(second)]
    procedure = svc.procedure_create(actor=city.handler, title="2026年度职称申报推荐")
    for n in range(7):
        svc.group_member_add(actor=city.handler, procedure=procedure, name=f"组员{n}", position="业务骨干")
    svc.candidates_add(actor=city.handler, procedure=procedure, application_ids=[a.pk for a in applications])
    return procedure


def approve_rules(city, procedure, **changes):
    values = {
        "congress_on": date(2026, 11, 2), "congress_document": "第三届职代会第五次会议纪要",
        "department_on": date(2026, 11, 5), "department_document": "唐教职改〔2026〕12号",
    } | changes
    return svc.rules_approval_record(actor=city.handler, procedure=procedure, at=IN_WINDOW, **values)


def score(city, procedure):
    member = procedure.members.first()
    candidate = procedure.candidates.first()
    return svc.scores_record(actor=city.handler, procedure=procedure, member_id=member.pk,
                             scores={candidate.pk: "90"})


# --- 002 第一篇 第七条(三): the 细则 approved before it is used ---------------------------------------


def test_002_7_3_scoring_is_refused_until_the_congress_and_the_department_approved_the_rules(city, procedure):
    with pytest.raises(ValidationError) as refused:
        score(city, procedure)
    message = refused.value.messages[0]
    assert "职代会讨论通过（日期、会议纪要）" in message and "上级主管部门同意（日期、文件）" in message
    assert not procedure.candidates.first().scores.exists()


def test_002_7_3_the_message_names_only_the_missing_approval(city, procedure):
    procedure.rules_congress_on, procedure.rules_congress_document = date(2026, 11, 2), "会议纪要"
    procedure.save()
    with pytest.raises(ValidationError) as refused:
        score(city, procedure)
    message = refused.value.messages[0]
    assert "上级主管部门同意（日期、文件）" in message and "职代会讨论通过（日期" not in message


def test_002_7_3_scoring_is_allowed_once_both_approvals_are_recorded_and_audited(city, procedure):
    approve_rules(city, procedure)
    assert score(city, procedure)
    procedure.refresh_from_db()
    assert procedure.rules_department_document == "唐教职改〔2026〕12号"
    assert AuditEvent.objects.filter(action="unit_scoring_rules_approved").count() == 1


def test_002_7_3_the_department_agrees_after_the_congress_and_neither_in_the_future(city, procedure):
    with pytest.raises(ValidationError) as refused:
        approve_rules(city, procedure, department_on=date(2026, 11, 1))
    assert "不能早于职代会通过日期" in refused.value.message_dict["department_on"][0]
    with pytest.raises(ValidationError) as refused:
        approve_rules(city, procedure, congress_on=date(2026, 12, 1), department_on=date(2026, 12, 2))
    assert "不能晚于今天" in refused.value.message_dict["congress_on"][0]
    with pytest.raises(ValidationError) as refused:
        approve_rules(city, procedure, congress_document=" ", department_document="文" * 101)
    assert "请填写职代会会议纪要" in refused.value.message_dict["congress_document"][0]
    assert "不能超过100字" in refused.value.message_dict["department_document"][0]


def test_002_7_3_a_tenant_without_the_step_scores_without_approvals(city, procedure):
    city.tenant.settings = {}
    city.tenant.save()
    procedure.refresh_from_db()
    assert svc.rules_approval_missing(procedure) == []
    assert score(city, procedure)


def test_002_7_3_tangshan_document_requires_the_approvals():
    import json
    from pathlib import Path

    document = json.loads((Path(__file__).resolve().parents[2] / "tenants" / "tangshan.json").read_text())
    assert document["settings"]["unit_procedure_steps"]["rules_approval"] is True


# --- 002 第一篇 第七条(三)(四): 公开述职 and 考核答辩 per candidate -------------------------------------


def hearing(city, procedure, candidate, **changes):
    values = {
        "report_on": date(2026, 11, 6), "report_place": "学校报告厅，全体专业技术人员大会",
        "defence_on": date(2026, 11, 9), "defence_notes": "第二会议室，5名相关专业骨干",
    } | changes
    return svc.hearing_record(actor=city.handler, procedure=procedure, candidate_id=candidate.pk, at=IN_WINDOW,
                              **values)


def test_002_7_3_4_report_and_defence_are_recorded_per_candidate_and_audited(city, procedure):
    first, second = procedure.candidates.all()
    hearing(city, procedure, first)
    hearing(city, procedure, second, defence_on=None, defence_notes="")  # the defence is still to come
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.report_on, first.defence_on) == (date(2026, 11, 6), date(2026, 11, 9))
    assert first.defence_notes == "第二会议室，5名相关专业骨干"
    assert second.report_on == date(2026, 11, 6) and second.defence_on is None
    assert AuditEvent.objects.filter(action="unit_candidate_hearing_recorded").count() == 2


def test_002_7_3_4_the_defence_follows_the_report_and_each_date_has_its_place(city, procedure):
    candidate = procedure.candidates.first()
    with pytest.raises(ValidationError) as refused:
        hearing(city, procedure, candidate, defence_on=date(2026, 11, 5))
    assert "不能早于述职日期" in refused.value.message_dict["defence_on"][0]
    with pytest.raises(ValidationError) as refused:
        hearing(city, procedure, candidate, report_place="", defence_on=date(2026, 12, 1))
    assert "请填写述职地点及情况" in refused.value.message_dict["report_place"][0]
    assert "不能晚于今天" in refused.value.message_dict["defence_on"][0]
    with pytest.raises(ValidationError) as refused:
        hearing(city, procedure, candidate, report_on=None, defence_on=None)
    assert "请填写公开述职日期或考核答辩日期" in refused.value.message_dict["report_on"][0]


def test_002_7_3_4_a_tenant_without_the_step_is_not_asked_for_hearings(city, procedure):
    city.tenant.settings = {}
    city.tenant.save()
    procedure.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        hearing(city, procedure, procedure.candidates.first())
    assert "不记录公开述职和考核答辩" in refused.value.messages[0]


def test_002_7_3_4_the_scores_page_shows_each_candidates_report_and_defence(city, procedure, client):
    hearing(city, procedure, procedure.candidates.first())
    client.force_login(city.handler)
    page = client.get(f"/review/unit/procedures/{procedure.pk}/scores/").content.decode()
    assert "2026年11月6日，学校报告厅，全体专业技术人员大会" in page
    assert "2026年11月9日，第二会议室，5名相关专业骨干" in page
    assert "尚未记录" in page  # the second candidate


# --- 002 第一篇 第九条(一)2、3⑶、(三)2⑴: the 情况一览表, 量化赋分表 and 审查情况报告表 as PDFs ---------------


def pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace(" ", "").replace("\n", "")


@pytest.fixture
def scored(city, procedure):
    approve_rules(city, procedure)
    first, second = procedure.candidates.all()
    hearing(city, procedure, first)
    for n, member in enumerate(procedure.members.all()):
        svc.scores_record(actor=city.handler, procedure=procedure, member_id=member.pk,
                          scores={first.pk: str(80 + n), second.pk: "91.5"})
    return procedure


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("scoring_sheet", "专业技术职务任职资格申报推荐量化赋分表"),
        ("summary_sheet", "申报评审专业技术职务任职资格情况一览表"),
        ("review_report", "高中级专业技术职务任职资格审查情况报告表"),
    ],
)
def test_002_9_each_document_is_downloaded_as_a_pdf_with_the_candidates_and_their_scores(
    city, scored, client, code, title
):
    client.force_login(city.handler)
    page = client.get(f"/review/unit/procedures/{scored.pk}/scores/").content.decode()
    url = f"/review/unit/procedures/{scored.pk}/documents/{code}.pdf"
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert city.tenant.name in text or code == "scoring_sheet"
    assert title in text
    assert city.applicant.full_name in text and "王晓燕" in text
    assert "91.50" in text  # 王晓燕's mean, first in the ranking
    assert "83.00" in text  # the first applicant's mean of 80..86
    assert city.applicant.id_number_masked in text
    assert AuditEvent.objects.filter(action="unit_procedure_document_downloaded").count() == 1


def test_002_9_1_3_the_scoring_sheet_shows_every_members_score_and_the_rules_approvals(city, scored):
    from certificates.procedure_documents import document_pdf

    text = pdf_text(document_pdf(scored, "scoring_sheet").content)
    for n in range(7):
        assert f"组员{n}" in text
    assert "86.00" in text  # the last member's score of the first applicant
    assert "第三届职代会第五次会议纪要" in text and "唐教职改〔2026〕12号" in text


def test_002_9_1_2_the_summary_sheet_shows_the_report_and_defence(city, scored):
    from certificates.procedure_documents import document_pdf

    text = pdf_text(document_pdf(scored, "summary_sheet").content)
    assert "2026年11月6日" in text and "学校报告厅" in text and "第二会议室" in text


def test_002_9_a_tenant_that_lists_no_documents_offers_none(city, scored, client):
    city.tenant.settings = {"unit_procedure_steps": {"documents": ["scoring_sheet"]}}
    city.tenant.save()
    client.force_login(city.handler)
    page = client.get(f"/review/unit/procedures/{scored.pk}/scores/").content.decode()
    assert "scoring_sheet.pdf" in page and "review_report.pdf" not in page
    assert client.get(f"/review/unit/procedures/{scored.pk}/documents/review_report.pdf").status_code == 404
    city.tenant.settings = {}
    city.tenant.save()
    assert "文书下载" not in client.get(f"/review/unit/procedures/{scored.pk}/scores/").content.decode()


def test_002_9_another_units_handler_cannot_download(city, scored, client):
    from accounts.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.UNIT_HANDLER, organisation=city.private_unit))
    assert client.get(f"/review/unit/procedures/{scored.pk}/documents/scoring_sheet.pdf").status_code == 404


def test_002_9_documents_are_written_in_chinese_when_the_page_asking_for_them_is_english(city, scored, client):
    """An official document is a Chinese authority's document: an English page's download of the 情况一览表
    gets the same Chinese text, dates and level names (core.official.official_language)."""
    from django.conf import settings

    from certificates.procedure_documents import document_pdf

    chinese = pdf_text(document_pdf(scored, "summary_sheet").content)
    client.force_login(city.handler)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/review/unit/procedures/{scored.pk}/scores/").content.decode()
    assert 'lang="en"' in page
    response = client.get(f"/review/unit/procedures/{scored.pk}/documents/summary_sheet.pdf")
    english_request = pdf_text(b"".join(response.streaming_content))
    assert "2026年11月6日" in english_request and "申报评审专业技术职务任职资格情况一览表" in english_request
    assert "November" not in english_request and "Nov" not in english_request
    assert english_request == chinese
