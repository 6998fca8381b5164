"""Rules a bureau can change (issue 14): drafts from the version in force or a file, edits validated
like every rule-set document, a test bench that guards publishing, every step in the audit log."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEvent
from rules import services
from rules.bench import cases_of, shipped_cases
from rules.catalog import get_rule_set
from rules.engine import evaluate
from rules.models import PolicyDocument, RuleSet
from tests.rules.authoring_helpers import (
    CODE,
    four_months_case,
    make_admin,
    pdf_upload,
    social_insurance_index,
    with_social_insurance_months,
)
from tests.rules.helpers import base_profile

pytestmark = pytest.mark.django_db


def test_it_starts_a_draft_as_a_copy_of_the_version_in_force_with_its_cases(admin, shipped):
    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    assert (draft.version, draft.status, draft.tenant_code) == (2, RuleSet.Status.DRAFT, "kunming-panlong")
    assert draft.data["checks"] == shipped.data["checks"]
    # The shipped cases come along into the draft's own document.
    assert draft.data["cases"] == list(shipped_cases()[CODE])
    assert get_rule_set(CODE).version == 1  # a draft is not in force
    event = AuditEvent.objects.get(action="ruleset_draft_started")
    assert event.actor == admin and event.detail["from_version"] == 1


def test_it_keeps_one_draft_per_rule_set(admin, shipped):
    services.ruleset_start_draft(rule_set=shipped, actor=admin)
    with pytest.raises(ValidationError) as caught:
        services.ruleset_start_draft(rule_set=shipped, actor=admin)
    assert "已有未发布的草稿（第2版）" in caught.value.messages[0]


def test_it_refuses_another_tenants_admin_and_reviewers(shipped):
    with pytest.raises(PermissionDenied):
        services.ruleset_start_draft(rule_set=shipped, actor=make_admin("zhengzhou", "郑州市"))
    with pytest.raises(PermissionDenied):
        services.ruleset_start_draft(rule_set=shipped, actor=make_admin(role="city_reviewer"))


def test_it_refuses_an_edit_naming_the_json_path_and_saves_nothing(admin, shipped):
    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    data = copy.deepcopy(draft.data)
    index = social_insurance_index(data)
    data["checks"][index]["min_months"] = "三"
    with pytest.raises(services.DocumentRefused) as caught:
        services.ruleset_update_draft(rule_set=draft, data=data, actor=admin)
    assert caught.value.path == f"checks[{index}].min_months"
    where = f"第{index + 1}条检查“社会保险” › 须满月数（checks[{index}].min_months）"
    assert caught.value.explained == f'{where}：应为整数，现为 "三"'
    draft.refresh_from_db()
    assert draft.data["checks"][index]["min_months"] == 6


def test_it_refuses_to_change_the_code_of_a_draft(admin, shipped):
    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    with pytest.raises(services.DocumentRefused) as caught:
        services.ruleset_update_draft(rule_set=draft, data={**draft.data, "code": "other"}, actor=admin)
    assert caught.value.path == "code"


def test_it_refuses_to_publish_while_a_case_fails_and_publishes_once_the_rule_is_fixed(admin, shipped):
    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    draft = services.ruleset_add_case(rule_set=draft, case=four_months_case(), actor=admin)

    with pytest.raises(services.BenchFailed) as caught:
        services.ruleset_publish(rule_set=draft, actor=admin)
    failed = caught.value.result.failed
    assert [o.name for o in failed] == ["社保满4个月可以申报"]
    assert failed[0].differences == ("预期可以申报，实际不能申报（最早2024年11月10日可申报）",)
    assert [c.code for c in failed[0].checks] == ["social_insurance"]
    assert caught.value.messages[0] == (
        "测试用例未全部通过，不能发布：“社保满4个月可以申报”（预期可以申报，实际不能申报（最早2024年11月10日可申报））"
    )
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.DRAFT
    assert AuditEvent.objects.filter(action="ruleset_publish_refused").exists()

    # Three months now; the shipped case of five months no longer holds and has to go too.
    draft = services.ruleset_update_draft(rule_set=draft, data=with_social_insurance_months(draft.data, 3), actor=admin)
    with pytest.raises(services.BenchFailed) as caught:
        services.ruleset_publish(rule_set=draft, actor=admin)
    assert [o.name for o in caught.value.result.failed] == ["在昆明缴纳社保5个月不能申报"]
    stale = next(i for i, c in enumerate(draft.data["cases"]) if c["name"] == "在昆明缴纳社保5个月不能申报")
    draft = services.ruleset_remove_case(rule_set=draft, index=stale, actor=admin)

    published = services.ruleset_publish(rule_set=draft, actor=admin)
    assert published.status == RuleSet.Status.PUBLISHED
    assert get_rule_set(CODE).version == 2
    profile = base_profile(employment__social_insurance_months_in_region=4)
    assert evaluate(get_rule_set(CODE), profile).eligible is True
    shipped.refresh_from_db()
    assert shipped.status == RuleSet.Status.PUBLISHED  # the old version stays, for the applications filed under it


def test_it_records_who_changed_what_in_the_audit_log(admin, shipped):
    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    services.ruleset_update_draft(rule_set=draft, data=with_social_insurance_months(draft.data, 3), actor=admin,
                                  note="社保月数改为3个月")
    event = AuditEvent.objects.get(action="ruleset_updated")
    assert event.actor == admin
    assert event.detail["note"] == "社保月数改为3个月"
    assert "社会保险：须满月数由“6”改为“3”" in event.detail["changes"]


def test_it_imports_a_file_as_the_next_draft_keeping_the_cases_when_the_file_has_none(admin, shipped):
    data = with_social_insurance_months(shipped.data, 3)
    data["name"] = "昆明市盘龙区2025年第一期初级职称考核认定"
    draft = services.ruleset_import(actor=admin, tenant_code="kunming-panlong", data=data)
    assert draft.version == 2 and draft.name == data["name"]
    assert len(draft.data["cases"]) == len(shipped_cases()[CODE])
    assert "社会保险：须满月数由“6”改为“3”" in AuditEvent.objects.get(action="ruleset_draft_started").detail["changes"]


def test_it_imports_a_new_rule_set_for_the_tenant_and_refuses_a_code_of_another(admin):
    zhengzhou = copy.deepcopy(RuleSet.objects.get(code="zhengzhou-2020-junior").data)
    with pytest.raises(services.DocumentRefused) as caught:
        services.ruleset_import(actor=admin, tenant_code="kunming-panlong", data=zhengzhou)
    assert caught.value.path == "code"
    fresh = {**copy.deepcopy(RuleSet.objects.get(code=CODE).data), "code": "kunming-panlong-2025q1", "version": 7}
    draft = services.ruleset_import(actor=admin, tenant_code="kunming-panlong", data=fresh)
    assert (draft.code, draft.version, draft.status) == ("kunming-panlong-2025q1", 1, RuleSet.Status.DRAFT)


def test_it_refuses_a_case_whose_profile_the_engine_cannot_read(admin, shipped):
    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    case = four_months_case()
    case["profile"]["employment"]["unit_kind"] = "ministry"
    with pytest.raises(services.DocumentRefused) as caught:
        services.ruleset_add_case(rule_set=draft, case=case, actor=admin)
    index = len(draft.data["cases"])
    assert caught.value.path == f"cases[{index}].profile.employment.unit_kind"
    assert "申报人信息有误：未知取值 'ministry'" in caught.value.reason


def test_it_refuses_two_cases_with_one_name(admin, shipped):
    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    draft = services.ruleset_add_case(rule_set=draft, case=four_months_case(), actor=admin)
    with pytest.raises(services.DocumentRefused) as caught:
        services.ruleset_add_case(rule_set=draft, case=four_months_case(), actor=admin)
    assert caught.value.path.endswith(".name")


def test_it_never_changes_a_published_version(admin, shipped):
    with pytest.raises(ValidationError):
        services.ruleset_update_draft(rule_set=shipped, data=with_social_insurance_months(shipped.data, 3),
                                      actor=admin)
    with pytest.raises(ValidationError):
        services.ruleset_publish(rule_set=shipped, actor=admin)


def test_it_attaches_the_policy_pdf_to_the_draft_and_carries_it_to_the_next(admin, shipped):
    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    document = services.ruleset_attach_document(rule_set=draft, upload=pdf_upload(), title="2025年第一期考核认定通知",
                                                document_number="盘人社〔2025〕5号", actor=admin)
    assert document.pages == 1 and document.citation == "盘人社〔2025〕5号"
    # Stored through the encrypted storage: the bytes at rest are not the PDF.
    from django.core.files.storage import default_storage

    assert not default_storage.raw_bytes(document.file.name).startswith(b"%PDF")
    assert document.file.open("rb").read().startswith(b"%PDF")
    services.ruleset_publish(rule_set=draft, actor=admin)
    following = services.ruleset_start_draft(rule_set=draft, actor=admin)
    assert list(following.documents.all()) == [document]


def test_it_refuses_a_policy_document_that_is_not_a_pdf(admin, shipped):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    with pytest.raises(ValidationError) as caught:
        services.ruleset_attach_document(rule_set=draft, upload=SimpleUploadedFile("通知.pdf", b"MZ" + b"\0" * 100),
                                         title="通知", actor=admin)
    assert "只接受PDF文件" in caught.value.message_dict["file"][0]
    assert PolicyDocument.objects.count() == 0


def test_it_deletes_a_draft_but_keeps_its_history(admin, shipped):
    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    services.ruleset_delete_draft(rule_set=draft, actor=admin)
    assert not RuleSet.objects.filter(code=CODE, version=2).exists()
    from rules.selectors import family_history

    actions = [entry.action for entry in family_history(shipped)]
    assert actions == ["删除草稿", "新建草稿"]


def test_a_revision_without_cases_of_its_own_has_an_empty_bench(admin, shipped):
    # ruleset_revise is the low-level write: it takes the document as given.
    revised = services.ruleset_revise(rule_set=shipped, data=with_social_insurance_months(shipped.data, 3), actor=None)
    assert cases_of(revised.data, revised.content_hash) == []
    assert services.ruleset_bench(revised).summary == "尚无测试用例"
