"""The tenant admin's pages for changing the rules: each form, every refusal shown next to its
field with the JSON path in plain Chinese, the bench, publishing, differences and history."""

from __future__ import annotations

import copy
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from core.models import AuditEvent
from rules import services
from rules.catalog import get_rule_set
from rules.models import RuleSet
from tests.factories import UserFactory
from tests.rules.authoring_helpers import (
    CODE,
    form_values,
    four_months_case,
    make_admin,
    pdf_upload,
    social_insurance_index,
)
from tests.rules.helpers import CODES

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(admin, shipped):
    return services.ruleset_start_draft(rule_set=shipped, actor=admin)


def text(response) -> str:
    return response.content.decode()


def field_box(html: str, input_id: str) -> str:
    """The ``<div class="field">`` holding the input ``input_id`` (label, input, help, errors)."""
    at = html.index(f'id="{input_id}"')
    start = html.rfind('<div class="field', 0, at)
    return html[start:html.index("</div>\n", html.index("</div>", at) + 1) + 6]


# --- the list ----------------------------------------------------------------------------------


def test_it_lists_the_versions_with_a_fixed_number_of_queries(client, admin, shipped, django_assert_num_queries):
    client.force_login(admin)
    client.get(reverse("rules:ruleset_list"))  # the first page after logging in also writes the session
    # 1 session, 2 user, 3 the user's tenant (scoping and the import form), 4 every version of the
    # tenant's rule sets, their documents deferred. (The unread count of the navigation bar is cached.)
    with django_assert_num_queries(4):
        client.get(reverse("rules:ruleset_list"))
    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    services.ruleset_publish(rule_set=draft, actor=admin)
    services.ruleset_start_draft(rule_set=draft, actor=admin)
    with django_assert_num_queries(4):  # still 4 with three versions
        page = client.get(reverse("rules:ruleset_list"))
    html = text(page)
    assert "继续修改草稿（第3版）" in html
    assert html.count("<td>现行</td>") == 1 and "<td>已发布</td>" in html and "<td>草稿</td>" in html
    assert "导入规则集文件" in html


def test_it_offers_no_authoring_to_reviewers(client, shipped):
    reviewer = make_admin(role=Role.CITY_REVIEWER)
    client.force_login(reviewer)
    html = text(client.get(reverse("rules:ruleset_list")))
    assert "新建草稿" not in html and "导入规则集文件" not in html
    assert client.post(reverse("rules:draft_start", args=[shipped.pk])).status_code == 403
    assert client.get(reverse("rules:bench", args=[shipped.pk])).status_code == 200  # reading is fine


# --- starting and editing a draft ------------------------------------------------------------------


def test_it_starts_a_draft_from_the_version_in_force(client, admin, shipped):
    client.force_login(admin)
    response = client.post(reverse("rules:draft_start", args=[shipped.pk]))
    draft = RuleSet.objects.get(code=CODE, version=2)
    assert response["Location"] == reverse("rules:draft_edit", args=[draft.pk])
    html = text(client.get(response["Location"]))
    assert "这是草稿（第2版）" in html
    assert "最后缴纳社保的单位与申报单位保持一致" in html
    assert "003_c25e803c7aeb4e62.txt 二(二)" in html


def test_it_generates_the_clause_form_from_the_schema_of_its_kind(client, admin, draft):
    client.force_login(admin)
    index = social_insurance_index(draft.data)
    html = text(client.get(reverse("rules:clause_edit", args=[draft.pk, index])))
    # numbers → number inputs, lists of enumerations → checkboxes with Chinese names, objects → fieldsets
    assert re.search(r'<input id="f-p-min_months" name="p.min_months" type="number"[^>]*value="6"', html)
    assert '<legend>高学历减免</legend>' in html
    assert re.search(r'name="p.reduced.education" value="master" checked> 硕士', html)
    assert 'name="p.reduced.education" value="bachelor"> 本科' in html
    assert 'value="003_c25e803c7aeb4e62.txt 二(二)、五(五)2(1)"' in html  # its citation, editable
    assert "申报日之前在昆明连续缴纳6个月社保" in html  # its label
    assert '<legend>适用条件</legend>' in html


def test_it_shows_a_refusal_next_to_the_field_with_the_json_path_in_plain_chinese(client, admin, draft):
    client.force_login(admin)
    index = social_insurance_index(draft.data)
    url = reverse("rules:clause_edit", args=[draft.pk, index])
    values = form_values(text(client.get(url)))
    response = client.post(url, values.as_post(**{"p.min_months": "三"}))
    assert response.status_code == 200
    box = field_box(text(response), "f-p-min_months")
    where = f"第{index + 1}条检查“社会保险” › 须满月数（checks[{index}].min_months）"
    assert f"{where}：应为整数，现为 &quot;三&quot;" in box
    assert 'value="三"' in box  # what was typed stays, to be corrected
    draft.refresh_from_db()
    assert draft.data["checks"][index]["min_months"] == 6


def test_it_names_an_empty_required_field_at_the_field(client, admin, draft):
    client.force_login(admin)
    index = social_insurance_index(draft.data)
    url = reverse("rules:clause_edit", args=[draft.pk, index])
    values = form_values(text(client.get(url)))
    response = client.post(url, values.as_post(**{"p.min_months": "", "p.source": ""}))
    assert response.status_code == 200
    html = text(response)
    # The first problem by path: checks[5]'s missing min_months, shown at the min_months input.
    where = f"第{index + 1}条检查“社会保险” › 须满月数（checks[{index}].min_months）"
    assert f"{where}：缺少必填字段“min_months”" in field_box(html, "f-p-min_months")


def test_it_saves_a_changed_clause(client, admin, draft):
    client.force_login(admin)
    index = social_insurance_index(draft.data)
    url = reverse("rules:clause_edit", args=[draft.pk, index])
    values = form_values(text(client.get(url)))
    response = client.post(url, values.as_post(**{"p.min_months": "3", "p.source": "盘人社〔2025〕5号 二(二)"}))
    assert response.status_code == 302
    draft.refresh_from_db()
    check = draft.data["checks"][index]
    assert (check["min_months"], check["source"]) == (3, "盘人社〔2025〕5号 二(二)")
    assert check["reduced"] == {"education": ["master", "doctor"], "months": 1, "label": "硕士及以上"}
    assert AuditEvent.objects.filter(action="ruleset_updated", actor=admin).exists()


@pytest.mark.parametrize("code", CODES)
def test_it_gives_back_every_clause_unchanged_when_its_form_is_sent_as_shown(client, code):
    """Every input of every clause of every shipped rule set reads back to the same JSON."""
    platform = UserFactory(role=Role.PLATFORM_ADMIN, tenant=None, organisation=None)
    client.force_login(platform)
    base = RuleSet.objects.get(code=code, version=1)
    draft = services.ruleset_start_draft(rule_set=base, actor=platform)
    for index, check in enumerate(base.data["checks"]):
        url = reverse("rules:clause_edit", args=[draft.pk, index])
        response = client.post(url, form_values(text(client.get(url))).as_post())
        assert response.status_code == 302, (code, index, re.findall(r'<p class="error">([^<]+)', text(response)))
        draft.refresh_from_db()
        assert draft.data["checks"][index] == check, (code, index)


def test_it_edits_the_paths_of_a_level_as_rows(client, admin, draft):
    client.force_login(admin)
    index = next(i for i, c in enumerate(draft.data["checks"]) if c["kind"] == "level_paths")
    url = reverse("rules:clause_edit", args=[draft.pk, index])
    html = text(client.get(url))
    assert "<legend>各级别的认定路径<span" in html
    assert "<legend>第2条路径</legend>" in html
    values = form_values(html)
    # The second path (助理级, 大专 36 months) is the flattened row 2; the first new row adds one.
    post = values.as_post(**{"p.levels{2}.months": "30"})
    new = "p.levels{6}"
    post.update({f"{new}.__key": ["assistant"], f"{new}.from": ["education"], f"{new}.education": ["doctor"],
                 f"{new}.rounding": ["on_start"], f"{new}.label": ["博士即可认定"], f"{new}.source": ["x 一"]})
    assert client.post(url, post).status_code == 302
    draft.refresh_from_db()
    paths = draft.data["checks"][index]["levels"]["assistant"]
    assert paths[1]["months"] == 30
    assert paths[-1] == {"from": "education", "label": "博士即可认定", "source": "x 一", "education": ["doctor"],
                         "rounding": "on_start"}


def test_it_adds_and_deletes_a_clause(client, admin, draft):
    client.force_login(admin)
    count = len(draft.data["checks"])
    url = reverse("rules:clause_new", args=[draft.pk]) + "?kind=months_in_region"
    html = text(client.get(url))
    assert "新增第10条" in html and 'name="p.min_months"' in html
    response = client.post(url, {"kind": "months_in_region", "p.source": "盘人社〔2025〕5号 二(一)",
                                 "p.label": "在盘龙区工作满6个月", "p.min_months": "6", "p.region": "盘龙区"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["checks"][count] == {"kind": "months_in_region", "label": "在盘龙区工作满6个月",
                                           "source": "盘人社〔2025〕5号 二(一)", "min_months": 6, "region": "盘龙区"}
    assert client.post(reverse("rules:clause_delete", args=[draft.pk, count])).status_code == 302
    draft.refresh_from_db()
    assert len(draft.data["checks"]) == count


def test_it_edits_the_document_fields_and_refuses_dates_out_of_order(client, admin, draft):
    client.force_login(admin)
    url = reverse("rules:draft_edit", args=[draft.pk])
    fields = {"name": "昆明市盘龙区2025年第一期初级职称考核认定", "issuer": "昆明市盘龙区人力资源和社会保障局",
              "document_number": "盘人社〔2025〕5号", "source_document": "盘人社〔2025〕5号",
              "effective_from": "2025-02-01", "effective_to": "2025-01-01", "covers_note": ""}
    response = client.post(url, fields)
    assert response.status_code == 200
    box = field_box(text(response), "id_effective_to")
    assert "失效日期（effective_to）：失效日期 2025-01-01 早于生效日期 2025-02-01" in box
    response = client.post(url, {**fields, "effective_to": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.document_number, draft.data["effective_from"]) == (fields["name"], "盘人社〔2025〕5号",
                                                                                   "2025-02-01")


def test_it_validates_the_raw_json_the_same_way(client, admin, draft):
    client.force_login(admin)
    url = reverse("rules:json_edit", args=[draft.pk])
    assert "kunming-panlong-2024q3" in text(client.get(url))
    response = client.post(url, {"document": '{"checks": ['})
    assert response.status_code == 200
    assert "整个文档（$）：不是有效的JSON（第1行第13列）" in text(response)
    data = copy.deepcopy(draft.data)
    index = social_insurance_index(data)
    data["checks"][index]["min_months"] = -1
    response = client.post(url, {"document": json.dumps(data, ensure_ascii=False)})
    where = f"第{index + 1}条检查“社会保险” › 须满月数（checks[{index}].min_months）"
    assert f"{where}：不能小于0，现为 -1" in text(response)
    data["checks"][index]["min_months"] = 3
    assert client.post(url, {"document": json.dumps(data, ensure_ascii=False)}).status_code == 302
    draft.refresh_from_db()
    assert draft.data["checks"][index]["min_months"] == 3


def test_it_imports_a_file_as_a_draft_and_names_the_path_of_a_bad_one(client, admin, shipped):
    client.force_login(admin)
    url = reverse("rules:ruleset_import")
    bad = copy.deepcopy(shipped.data)
    bad["checks"][0]["kind"] = "astrology"
    response = client.post(url, {"file": SimpleUploadedFile("x.json", json.dumps(bad).encode())})
    assert "checks[0].kind" in text(response) and "未知的取值" in text(response)
    good = {**copy.deepcopy(shipped.data), "name": "导入的版本"}
    response = client.post(url, {"file": SimpleUploadedFile("x.json", json.dumps(good, ensure_ascii=False).encode())})
    assert response.status_code == 302
    assert RuleSet.objects.get(code=CODE, version=2).name == "导入的版本"


# --- policy documents ---------------------------------------------------------------------------


def test_it_attaches_the_policy_pdf_and_serves_it_to_the_tenant_only(client, admin, draft):
    client.force_login(admin)
    response = client.post(reverse("rules:document_upload", args=[draft.pk]),
                           {"policy-title": "2025年第一期考核认定通知", "policy-document_number": "盘人社〔2025〕5号",
                            "policy-file": pdf_upload()})
    assert response.status_code == 302
    document = draft.documents.get()
    url = reverse("rules:document_download", args=[draft.pk, document.pk])
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # A clause citing it links to it on the rule set's page.
    data = copy.deepcopy(draft.data)
    data["checks"][social_insurance_index(data)]["source"] = "盘人社〔2025〕5号 二(二)"
    services.ruleset_update_draft(rule_set=draft, data=data, actor=admin)
    assert f'<a href="{url}">盘人社〔2025〕5号 二(二)</a>' in text(client.get(reverse("rules:ruleset_detail",
                                                                                     args=[draft.pk])))
    client.force_login(make_admin("zhengzhou", "郑州市"))
    assert client.get(url).status_code == 404


def test_it_refuses_a_file_that_is_not_a_pdf_with_the_reason(client, admin, draft):
    client.force_login(admin)
    response = client.post(reverse("rules:document_upload", args=[draft.pk]),
                           {"policy-title": "通知", "policy-file": SimpleUploadedFile("通知.pdf", b"MZ" + b"\0" * 64)},
                           follow=True)
    assert "只接受PDF文件" in text(response)
    assert not draft.documents.exists()


# --- bench and publishing -----------------------------------------------------------------------


CASE_FIELDS = {
    "name": "社保满4个月可以申报", "as_of": "2024-09-10", "series": "engineering", "level": "assistant",
    "birth_date": "1995-03-02", "gender": "M", "unit_kind": "non_public", "has_contract": "on",
    "months_in_region": "14", "social_insurance_months_in_region": "4", "insured_unit_is_applying_unit": "on",
    "professional_work_since": "2023-07-01", "education_level": "bachelor", "graduated_on": "2023-06-30",
    "full_time": "on", "major_related": "on", "assessment_grade": "qualified", "expected_eligible": "1",
}


def test_it_adds_a_case_from_the_profile_form_and_refuses_to_publish_while_it_fails(client, admin, draft):
    client.force_login(admin)
    url = reverse("rules:bench", args=[draft.pk])
    html = text(client.get(url))
    assert "25个用例全部通过" in html
    assert client.post(url, CASE_FIELDS).status_code == 302
    html = text(client.get(url))
    assert "26个用例中有1个未通过" in html
    assert "预期可以申报，实际不能申报" in html
    assert "须在昆明连续缴纳社保满6个月，现4个月" in html  # the check that differs
    response = client.post(reverse("rules:publish", args=[draft.pk]), follow=True)
    assert "测试用例未全部通过，不能发布：“社保满4个月可以申报”" in text(response)
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.DRAFT


def test_it_adds_a_case_from_pasted_contract_json(client, admin, draft):
    client.force_login(admin)
    url = reverse("rules:bench", args=[draft.pk])
    case = four_months_case("粘贴的用例")
    response = client.post(url, {"name": case["name"], "profile_json": json.dumps(case["profile"]),
                                 "expected_eligible": "0"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["cases"][-1]["profile"] == case["profile"]
    assert draft.data["cases"][-1]["expected"] == {"eligible": False, "level": None}
    response = client.post(url, {"name": "坏的", "profile_json": '{"as_of": "2024-09-10", "target": {"series": "x"}}',
                                 "expected_eligible": "1"})
    assert response.status_code == 200
    assert "申报人信息有误" in text(response) and "profile.target.series" in text(response)


def test_it_publishes_once_every_case_passes(client, admin, draft):
    client.force_login(admin)
    services.ruleset_add_case(rule_set=draft, case=four_months_case(), actor=admin)
    draft.refresh_from_db()
    data = copy.deepcopy(draft.data)
    data["checks"][social_insurance_index(data)]["min_months"] = 3
    data["cases"] = [c for c in data["cases"] if c["name"] != "在昆明缴纳社保5个月不能申报"]
    services.ruleset_update_draft(rule_set=draft, data=data, actor=admin)
    html = text(client.get(reverse("rules:bench", args=[draft.pk])))
    assert "25个用例全部通过，可以发布" in html
    response = client.post(reverse("rules:publish", args=[draft.pk]), follow=True)
    assert "第2版已发布" in text(response)
    assert get_rule_set(CODE).version == 2


# --- differences and history --------------------------------------------------------------------


def test_it_compares_two_versions_clause_by_clause(client, admin, draft, shipped):
    client.force_login(admin)
    data = copy.deepcopy(draft.data)
    data["checks"][social_insurance_index(data)]["min_months"] = 3
    services.ruleset_update_draft(rule_set=draft, data=data, actor=admin)
    html = text(client.get(reverse("rules:compare", args=[draft.pk])))
    assert "第1版 → 第2版" in html
    assert "<th scope=\"row\">须满月数</th><td><del>6</del></td><td><ins>3</ins></td>" in html
    same = text(client.get(reverse("rules:compare", args=[shipped.pk]) + f"?with={draft.pk}"))
    assert "<del>6</del>" in same


def test_it_shows_who_changed_what_and_when(client, admin, draft):
    client.force_login(admin)
    data = copy.deepcopy(draft.data)
    data["checks"][social_insurance_index(data)]["min_months"] = 3
    services.ruleset_update_draft(rule_set=draft, data=data, actor=admin, note="社保月数改为3个月")
    html = text(client.get(reverse("rules:history", args=[draft.pk])))
    assert admin.display_name in html
    assert "修改草稿（第2版）" in html and "新建草稿（第2版）" in html
    assert "社会保险：须满月数由“6”改为“3”" in html
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", html)


# --- another tenant -----------------------------------------------------------------------------


def test_it_answers_404_to_another_tenants_admin_on_every_authoring_page(client, admin, draft):
    document = services.ruleset_attach_document(rule_set=draft, upload=pdf_upload(), title="通知", actor=admin)
    client.force_login(make_admin("zhengzhou", "郑州市"))
    pk = draft.pk
    for name, kwargs in [
        ("rules:ruleset_detail", {"pk": pk}), ("rules:draft_start", {"pk": pk}), ("rules:draft_edit", {"pk": pk}),
        ("rules:clause_new", {"pk": pk}), ("rules:clause_edit", {"pk": pk, "index": 0}),
        ("rules:clause_delete", {"pk": pk, "index": 0}), ("rules:json_edit", {"pk": pk}),
        ("rules:json_download", {"pk": pk}), ("rules:document_upload", {"pk": pk}),
        ("rules:document_download", {"pk": pk, "document_pk": document.pk}),
        ("rules:document_detach", {"pk": pk, "document_pk": document.pk}), ("rules:bench", {"pk": pk}),
        ("rules:case_delete", {"pk": pk, "index": 0}), ("rules:publish", {"pk": pk}),
        ("rules:draft_delete", {"pk": pk}), ("rules:compare", {"pk": pk}), ("rules:history", {"pk": pk}),
    ]:
        for method in ("get", "post"):
            assert getattr(client, method)(reverse(name, kwargs=kwargs)).status_code in (404, 405), (name, method)
    assert RuleSet.objects.filter(pk=pk, status=RuleSet.Status.DRAFT).exists()


def test_the_pages_carry_no_inline_script_or_style(client, admin, draft):
    client.force_login(admin)
    for url in (reverse("rules:draft_edit", args=[draft.pk]), reverse("rules:clause_edit", args=[draft.pk, 8]),
                reverse("rules:bench", args=[draft.pk]), reverse("rules:compare", args=[draft.pk])):
        html = text(client.get(url))
        assert " style=" not in html and "<script>" not in html and " onclick=" not in html, url


def test_it_keeps_the_ruleset_code_off_the_applicants_check(client):
    from rules.templatetags.rules_tags import ruleset_cited

    assert ruleset_cited(CODE, 1) == (
        "昆明市盘龙区2024年第三期（9月）初级职称考核认定（盘龙区人社局2024年7月31日通知（依据盘人社〔2024〕37号），第1版）"
    )
    assert ruleset_cited("nothing-like-it") == "nothing-like-it"





def test_it_tells_the_applicant_on_their_draft_what_the_new_version_changed_for_them(client, admin, shipped):
    """A draft started under version 1 is checked under version 2 when it is next opened (the hook in
    applications/views.py ``application_detail``)."""
    from applications import services as filing
    from applications.models import PersonalRecord
    from tests.applications.helpers import eligible_record
    from tests.factories import ApplicantFactory, OrganisationFactory

    applicant = ApplicantFactory(organisation=OrganisationFactory(tenant=admin.tenant))
    eligible_record(applicant)
    PersonalRecord.objects.filter(person=applicant).update(social_insurance_months_in_region=4)
    application = filing.application_create(actor=applicant, series="engineering", level="assistant")
    assert application.ruleset_version == 1
    client.force_login(applicant)
    url = reverse("applications:detail", args=[application.pk])
    assert "申报规则已更新" not in text(client.get(url))

    draft = services.ruleset_start_draft(rule_set=shipped, actor=admin)
    data = copy.deepcopy(draft.data)
    data["checks"][social_insurance_index(data)].update(min_months=3, source="盘人社〔2025〕5号 二(二)")
    data["cases"] = [c for c in data["cases"] if c["name"] != "在昆明缴纳社保5个月不能申报"]
    data["document_number"] = "盘人社〔2025〕5号"
    services.ruleset_publish(rule_set=services.ruleset_update_draft(rule_set=draft, data=data, actor=admin),
                             actor=admin)

    html = text(client.get(url))
    assert "申报规则已更新" in html
    assert "本申报创建时依据第1版规则，现行为第2版" in html and "盘人社〔2025〕5号" in html
    assert "按新规则，您现在符合申报条件。" in html
    assert "社会保险：原为“须在昆明连续缴纳社保满6个月，现4个月”，" in html
    assert "现为“在昆明连续缴纳社保4个月，达到3个月的要求”" in html
