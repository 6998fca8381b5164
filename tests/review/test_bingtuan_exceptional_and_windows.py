"""Bingtuan (tenants/bingtuan-division.json), 002_743bb57fc6424707.txt 第三篇:

- 一(五)4 破格: "申请破格评审者，需提供两个考核为优秀的考核表，并填写《破格推荐评审专业技术职务审批表》……“参加审查
  评估的同行专家”一栏，由职改部门委托专家进行鉴定（中级由师职改办委托、高级由兵团职改办委托），个人或单位委托专家
  鉴定无效。"
- 二、2 初聘认定: "高级专业技术职务任职资格由兵团职改办办理初聘认定手续，每年办理两次（3月和9月）；中、初级……
  由师职改办负责审批，每年办理一次。"
- 二、4(1): "《专业技术职务任职资格考核认定申报表》初级一式两份……填写“情况属实”并加盖公章。"

All of it is the tenant document's data (settings ``exceptional_promotion``, ``assessment_form``,
``assessment_form_levels`` and its ``windows``); the code reads settings only."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from applications import materials, services
from applications.models import AnnualAssessment, Application
from core.models import AuditEvent
from review import exceptional
from review.models import ExceptionalAppraisal
from rules.windows import CST, window_status
from tests.applications.helpers import IN_WINDOW, eligible_record, fill_required_slots, open_window, pdf_upload
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory, UserFactory
from units.tenant_documents import tenant_apply, tenant_export
from units.tenant_settings import setting

pytestmark = pytest.mark.django_db

DOCUMENT = Path(__file__).resolve().parent.parent.parent / "tenants" / "bingtuan-division.json"
APPRAISAL = {"commissioned_by": "reform_office", "experts": "李工、王工、赵工", "conclusion": "业绩突出，同意破格。",
             "appraised_on": "2026-11-05"}


def bingtuan() -> dict:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


# --- 二、2: the windows, and 二、4(1): the form, as the document's data -----------------------------------


def test_002_3_2_2_senior_windows_in_march_and_september_junior_and_intermediate_once_a_year():
    tenant_apply(document=bingtuan())
    code = "bingtuan-division"

    def open_for(level: str, month: int) -> bool:
        return window_status(code, datetime(2027, month, 10, 10, tzinfo=CST), level=level)["submit_open"]

    for month in (3, 9):
        assert open_for("senior", month) and open_for("associate_senior", month)
        assert not open_for("assistant", month) and not open_for("intermediate", month)
    assert [m for m in range(1, 13) if open_for("assistant", m)] == [6]  # once a year
    assert [m for m in range(1, 13) if open_for("intermediate", m)] == [6]
    assert [m for m in range(1, 13) if open_for("senior", m)] == [3, 9]


def test_002_3_2_2_the_windows_and_settings_round_trip_through_tenant_apply_and_export():
    document = bingtuan()
    tenant = tenant_apply(document=document).tenant
    exported = tenant_export(tenant=tenant)
    assert [
        {k: w[k] for k in ("name", "recurring", "levels", "source")} for w in exported["windows"]
    ] == document["windows"]
    for name in ("exceptional_promotion", "assessment_form", "assessment_form_levels"):
        assert exported["settings"][name] == document["settings"][name], name
    again = tenant_apply(document=exported)
    assert again.version == tenant.version  # the export reproduces the tenant: applying it changes nothing


def test_002_3_2_4_1_the_assessment_form_bears_the_bingtuan_title_and_instruction():
    from certificates.documents import kinds_for

    tenant = tenant_apply(document=bingtuan()).tenant
    assert setting(tenant, "assessment_form")["title"] == "专业技术职务任职资格考核认定申报表"
    application = Application(tenant=tenant, level="assistant")
    assert "assessment_form" in [kind.code for kind in kinds_for(application)]
    from django.template.loader import render_to_string

    html = render_to_string(
        "certificates/documents/assessment_form/default.html", {"form": setting(tenant, "assessment_form")}
    )
    assert "<h1>专业技术职务任职资格考核认定申报表</h1>" in html and "填写“情况属实”并加盖公章" in html
    assert "<h1>初级专业技术职务考核认定表</h1>" in render_to_string(
        "certificates/documents/assessment_form/default.html", {"form": {}}
    )


# --- 一(五)4: 破格 ------------------------------------------------------------------------------------


@pytest.fixture
def tenant():
    # Zhengzhou's filing rules (a rule set to file under), Bingtuan's 破格 requirements from its document.
    tenant = TenantFactory(code="zhengzhou", name="郑州市")
    tenant.settings = {"exceptional_promotion": bingtuan()["settings"]["exceptional_promotion"]}
    tenant.save(update_fields=["settings"])
    return tenant


@pytest.fixture
def bureau(tenant):
    return UserFactory(role=Role.CITY_REVIEWER, tenant=tenant, organisation=None)


@pytest.fixture
def approval(tenant):
    """An assistant-level 破格 application with its form uploaded (pending at the bureau)."""
    applicant = ApplicantFactory(organisation=OrganisationFactory(tenant=tenant))
    draft = services.application_create(actor=applicant, series="engineering", level="assistant", at=IN_WINDOW)
    open_window("zhengzhou")
    eligible_record(applicant)
    fill_required_slots(draft, unit_materials=False)
    services.application_save_draft(actor=applicant, application=draft, data={"exceptional_promotion": True})
    item = services.application_upload(
        actor=applicant, application=draft, slot=materials.EXCEPTIONAL_FORM, upload=pdf_upload("破格审批表.pdf")
    )
    return item.exception_approval


def excellent(approval, *years: int) -> None:
    AnnualAssessment.objects.filter(person=approval.application.applicant, year__in=years).update(grade="excellent")


def test_002_3_1_5_4_the_form_slot_bears_the_tenants_form_name(approval):
    slots, _ = materials.checklist(approval.application)
    assert [s.name for s in slots if s.id == materials.EXCEPTIONAL_FORM] == ["《破格推荐评审专业技术职务审批表》"]


def test_002_3_1_5_4_approval_needs_two_excellent_assessments(approval, bureau):
    excellent(approval, 2024)
    record_appraisal(approval, bureau)
    with pytest.raises(ValidationError) as error:
        services.exceptional_approval_decide(actor=bureau, approval=approval, approve=True)
    assert "破格申报须提供2个考核为“优秀”的年度考核表：申报人的年度考核中“优秀”现有1个（2024年度），至少须有2个" in (
        " ".join(error.value.messages)
    )
    excellent(approval, 2025)
    services.exceptional_approval_decide(actor=bureau, approval=approval, approve=True)
    approval.refresh_from_db()
    assert approval.status == approval.Status.APPROVED
    # Refusing needs neither.


def test_002_3_1_5_4_approval_needs_the_appraisal_the_office_commissioned(approval, bureau):
    excellent(approval, 2024, 2025)
    with pytest.raises(ValidationError, match="须由师职改办委托专家鉴定，个人或单位委托专家鉴定无效"):
        services.exceptional_approval_decide(actor=bureau, approval=approval, approve=True)
    for who, label in (("applicant", "申报人本人"), ("unit", "用人单位")):
        with pytest.raises(ValidationError) as error:
            exceptional.appraisal_record(actor=bureau, approval=approval, **{**APPRAISAL, "commissioned_by": who})
        assert error.value.message_dict["commissioned_by"] == [
            f"{label}委托的专家鉴定无效：同行专家鉴定须由职改部门委托，本级别由师职改办委托。"
        ]
    assert not ExceptionalAppraisal.objects.exists()
    row = record_appraisal(approval, bureau)
    assert row.commissioned_by == "师职改办"
    assert AuditEvent.objects.filter(action="exceptional_appraisal_recorded").count() == 1
    services.exceptional_approval_decide(actor=bureau, approval=approval, approve=True)
    approval.refresh_from_db()
    assert approval.status == approval.Status.APPROVED


def record_appraisal(approval, bureau):
    return exceptional.appraisal_record(actor=bureau, approval=approval, **APPRAISAL)


def test_002_3_1_5_4_the_senior_levels_appraisal_is_the_bingtuan_offices(tenant):
    assert exceptional.commissioner(Application(tenant=tenant, level="intermediate")) == "师职改办"
    assert exceptional.commissioner(Application(tenant=tenant, level="associate_senior")) == "兵团职改办"
    assert exceptional.commissioner(Application(tenant=tenant, level="senior")) == "兵团职改办"
    plain = TenantFactory(code="plain", name="某市")
    assert exceptional.commissioner(Application(tenant=plain, level="senior")) == ""


def test_002_3_1_5_4_each_missing_field_is_named(approval, bureau):
    with pytest.raises(ValidationError) as error:
        exceptional.appraisal_record(actor=bureau, approval=approval, commissioned_by="", experts=" ",
                                     conclusion="", appraised_on="2999-01-01")
    assert set(error.value.message_dict) == {"commissioned_by", "experts", "conclusion", "appraised_on"}
    assert "鉴定日期不能晚于今天" in error.value.message_dict["appraised_on"][0]
    other = UserFactory(role=Role.CITY_REVIEWER, tenant=TenantFactory(code="other", name="他市"), organisation=None)
    with pytest.raises(PermissionDenied):
        record_appraisal(approval, other)


def test_002_3_1_5_4_the_bureau_records_the_appraisal_from_its_queue(client, approval, bureau):
    excellent(approval, 2024, 2025)
    client.force_login(bureau)
    queue = client.get(reverse("applications:exceptional_queue")).content.decode()
    url = reverse("review:exceptional_appraisal", args=[approval.pk])
    assert "须由师职改办委托同行专家鉴定" in queue and url in queue
    page = client.post(url, {**APPRAISAL, "commissioned_by": "unit"})
    assert page.status_code == 400 and "用人单位委托的专家鉴定无效" in page.content.decode()
    assert client.post(url, APPRAISAL).status_code == 302
    queue = client.get(reverse("applications:exceptional_queue")).content.decode()
    assert "专家鉴定已录入（师职改办委托，2026年11月5日）" in queue
    applicant = approval.application.applicant
    client.force_login(applicant)
    assert client.get(url).status_code == 404
