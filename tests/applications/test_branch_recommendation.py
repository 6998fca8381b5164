"""Branches of out-of-province companies attach the parent company's recommendation report.

003_c25e803c7aeb4e62.txt 三(一)2: 在昆明市盘龙区工商登记的外省企业分公司（不含中央、省属和市属单位）……还需提供
具有企业法人资格的上级单位的推荐报告（详见附件2）; 五(五)2(5): 需上传由总公司出具的推荐报告原件.
The unit is flagged in the tenant document (``organisations[].out_of_province_branch``); the rule set's
material says ``when: {"out_of_province_branch": true}``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from applications import materials, services
from rules.catalog import shipped_rule_set_documents
from rules.engine import build_rule_set
from rules.materials import materials_checklist
from tests.applications.helpers import IN_WINDOW, eligible_record, open_window, pdf_upload
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory
from units.models import Organisation, Tenant
from units.tenant_documents import TenantDocumentError, tenant_apply, tenant_export
from units.tenant_forms import OrganisationForm

pytestmark = pytest.mark.django_db

SLOT = "parent_company_recommendation"
NAME = "总公司（具有企业法人资格的上级单位）出具的《初级职称考核认定推荐报告》原件"
LUOYANG = Path(__file__).resolve().parent.parent / "fixtures" / "luoyang.json"


def kunming_application(*, branch: bool):
    tenant = TenantFactory(code="kunming-panlong", name="昆明市盘龙区")
    unit = OrganisationFactory(tenant=tenant, unit_kind="non_public", out_of_province_branch=branch)
    applicant = ApplicantFactory(organisation=unit)
    open_window("kunming-panlong")
    eligible_record(applicant)
    return services.application_create(actor=applicant, series="engineering", level="assistant", at=IN_WINDOW)


def test_a_branch_of_an_out_of_province_company_needs_the_parent_companys_report():
    """003_c25e803c7aeb4e62.txt 三(一)2: the report is a required slot of the branch's applicants."""
    application = kunming_application(branch=True)
    slots, _ = materials.checklist(application)
    slot = next(s for s in slots if s.id == SLOT)
    assert (slot.name, slot.required) == (NAME, True)
    assert slot.source == "003_c25e803c7aeb4e62.txt 三(一)2、五(五)2(5)"
    blockers, _ = services.submission_blockers(application, IN_WINDOW)
    assert f"缺少材料：{NAME}。" in blockers
    services.application_upload(
        actor=application.applicant, application=application, slot=SLOT, upload=pdf_upload("推荐报告.pdf")
    )
    assert f"缺少材料：{NAME}。" not in services.submission_blockers(application, IN_WINDOW)[0]


def test_other_units_are_not_asked_for_it():
    """003 三(一)2 concerns only such branches: a local company's applicants have no such slot."""
    application = kunming_application(branch=False)
    slots, _ = materials.checklist(application)
    assert SLOT not in {s.id for s in slots}
    assert not any(NAME in b for b in services.submission_blockers(application, IN_WINDOW)[0])


def test_the_checklist_reads_the_flag_from_the_rule_sets_condition():
    """A material with when.out_of_province_branch false is for every other unit (the condition is data)."""
    data = copy.deepcopy(shipped_rule_set_documents()["kunming-panlong-2024q3"])
    data["materials"].append({"id": "local_only", "kind": "attachment", "name": "本地单位证明", "required": True,
                              "when": {"out_of_province_branch": False}, "source": "003 三(一)2"})
    rule_set = build_rule_set(data)
    ids = {i.id for i in materials_checklist(rule_set=rule_set, series="engineering", level="assistant",
                                             unit_kind="non_public", out_of_province_branch=True)}
    assert SLOT in ids and "local_only" not in ids
    ids = {i.id for i in materials_checklist(rule_set=rule_set, series="engineering", level="assistant",
                                             unit_kind="non_public")}
    assert SLOT not in ids and "local_only" in ids


def test_the_tenant_document_flags_the_unit_and_exports_the_flag():
    """tenant-contract.md: organisations[].out_of_province_branch, applied and exported."""
    document = json.loads(LUOYANG.read_text(encoding="utf-8"))
    firm = next(o for o in document["organisations"] if o["key"] == "firm1")
    firm["out_of_province_branch"] = True
    tenant_apply(document=document)
    assert Organisation.objects.get(tenant__code="luoyang", key="firm1").out_of_province_branch is True
    assert Organisation.objects.get(tenant__code="luoyang", key="school1").out_of_province_branch is False
    exported = {o["key"]: o for o in tenant_export(tenant=Tenant.objects.get(code="luoyang"))["organisations"]}
    assert exported["firm1"]["out_of_province_branch"] is True
    assert "out_of_province_branch" not in exported["school1"]


def test_only_a_unit_can_be_flagged_naming_the_path():
    document = json.loads(LUOYANG.read_text(encoding="utf-8"))
    document["organisations"][0]["out_of_province_branch"] = True  # the city bureau
    with pytest.raises(TenantDocumentError) as caught:
        tenant_apply(document=document)
    assert "organisations[0].out_of_province_branch" in str(caught.value)
    assert "只有用人单位才能标记为外省企业分公司" in str(caught.value)


def test_the_tenant_admins_organisation_form_keeps_the_flag():
    document = json.loads(LUOYANG.read_text(encoding="utf-8"))
    firm = next(o for o in document["organisations"] if o["key"] == "firm1")
    firm["out_of_province_branch"] = True
    form = OrganisationForm(data={"name": firm["name"], "unit_kind": "non_public", "district": firm["district"],
                                  "credit_code": firm["credit_code"], "out_of_province_branch": "on"},
                            document=document, existing=firm)
    assert form.is_valid(), form.errors
    assert form.spec()["out_of_province_branch"] is True
    unflagged = OrganisationForm(data={"name": firm["name"], "unit_kind": "non_public",
                                       "district": firm["district"], "credit_code": firm["credit_code"]},
                                 document=document, existing=firm)
    assert unflagged.is_valid(), unflagged.errors
    assert "out_of_province_branch" not in unflagged.spec()
