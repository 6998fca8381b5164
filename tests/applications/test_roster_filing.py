"""A unit files its 推荐人员名单 (附件3) by the window's cut-off, or its applications are not reviewed online.

003_c25e803c7aeb4e62.txt 三(一)3: 单位考核结束后须填写《XX单位X年X季度初级职称考核推荐人员名单》（详见附件3），
于2024年8月29日前报送……未提前上报附件3名单的单位，不予网络审核.
The cut-off is the window's ``roster_closes_at`` in the tenant document, never a date in code.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from applications import services
from applications.models import UnitRosterFiling
from applications.selectors import roster_exclusion
from review.chain import Action
from review.services import review_decide
from rules.models import DeclarationWindow
from rules.windows import CST, roster_deadline, window_status
from tests.applications.helpers import eligible_record, fill_required_slots, pdf_upload
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory, UserFactory
from units.models import Organisation, Tenant
from units.tenant_documents import TenantDocumentError, tenant_apply, tenant_export

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
WINDOW = "2024年第三期（9月）初级职称考核认定"


def cst(*args: int) -> datetime:
    return datetime(*args, tzinfo=CST)


CUT_OFF = cst(2024, 8, 29, 23, 59, 59)
IN_TIME = cst(2024, 8, 28, 10, 0, 0)
FILING = cst(2024, 9, 5, 10, 0, 0)
REVIEWING = cst(2024, 9, 10, 10, 0, 0)
EXCLUDED = (
    "未在2024年8月29日23:59:59前报送“2024年第三期（9月）初级职称考核认定”的推荐人员名单（附件3），"
    "按规定该单位本批次的申报不予网络审核。"
)


@pytest.fixture
def kunming():
    tenant = TenantFactory(code="kunming-panlong", name="昆明市盘龙区", settings={})
    OrganisationFactory(tenant=tenant, city_bureau=True, name="盘龙区人力资源和社会保障局")
    DeclarationWindow.objects.create(
        tenant_code="kunming-panlong", name=WINDOW, opens_at=cst(2024, 9, 1, 9, 0, 0),
        submit_closes_at=cst(2024, 9, 20, 17, 0, 0), return_closes_at=cst(2024, 9, 27, 17, 0, 0),
        review_closes_at=cst(2024, 9, 30, 17, 0, 0), roster_closes_at=CUT_OFF, source="003 四",
    )
    return tenant


def unit_with_filing(tenant, name: str):
    unit = OrganisationFactory(tenant=tenant, unit_kind="non_public", name=name)
    handler = UserFactory(role=Role.UNIT_HANDLER, organisation=unit)
    applicant = ApplicantFactory(organisation=unit)
    eligible_record(applicant)
    application = services.application_create(actor=applicant, series="engineering", level="assistant", at=FILING)
    text = "负责项目施工技术管理并解决技术难题。" * 30
    services.application_save_draft(actor=applicant, application=application, data={"main_achievements": text})
    fill_required_slots(application)
    services.pledge_sign(actor=applicant, application=application, typed_name=applicant.full_name, agreed=True)
    services.application_submit(actor=applicant, application=application, at=FILING)
    application.refresh_from_db()
    return unit, handler, application


def test_the_cut_off_comes_from_the_tenants_window_not_from_code(kunming):
    """003 三(一)3: the window carries the cut-off; window_status keeps the contract's fields."""
    assert roster_deadline("kunming-panlong", WINDOW) == CUT_OFF
    assert roster_deadline("kunming-panlong", "另一批次") is None
    status = window_status("kunming-panlong", FILING)
    assert "roster_closes_at" not in status["window"]


def test_a_unit_that_filed_in_time_is_reviewed_and_one_that_did_not_is_excluded(kunming):
    """003_c25e803c7aeb4e62.txt 三(一)3: 未提前上报附件3名单的单位，不予网络审核."""
    _, filed_handler, filed_app = unit_with_filing(kunming, "按时报送的公司")
    _, late_handler, late_app = unit_with_filing(kunming, "未报送的公司")
    services.unit_roster_file(actor=filed_handler, window_name=WINDOW, upload=pdf_upload("名单.pdf"), at=IN_TIME)
    assert roster_exclusion(filed_app, REVIEWING) == ""
    assert roster_exclusion(late_app, REVIEWING) == f"未报送的公司{EXCLUDED}"
    # Before the cut-off nothing is excluded yet.
    assert roster_exclusion(late_app, cst(2024, 8, 29, 23, 59, 59)) == ""

    review_decide(actor=filed_handler, application=filed_app, action=Action.APPROVE, opinion="同意推荐。", at=REVIEWING)
    filed_app.refresh_from_db()
    assert filed_app.status == "in_review"

    for action in (Action.APPROVE, Action.RETURN):
        with pytest.raises(ValidationError) as caught:
            review_decide(actor=late_handler, application=late_app, action=action, opinion="同意。",
                          problems=[{"target": "field:main_achievements", "message": "请补充"}], at=REVIEWING)
        assert caught.value.messages == [f"未报送的公司{EXCLUDED}只能作出不通过的决定。"]
    late_app.refresh_from_db()
    assert late_app.status == "submitted"
    review_decide(actor=late_handler, application=late_app, action=Action.REJECT,
                  opinion="未按时报送推荐人员名单，不予网络审核。", at=REVIEWING)
    late_app.refresh_from_db()
    assert late_app.status == "rejected"


def test_a_filing_after_the_cut_off_is_refused_and_does_not_lift_the_exclusion(kunming):
    """003 三(一)3: the list is filed by the cut-off (“于2024年8月29日前报送”)."""
    _, handler, application = unit_with_filing(kunming, "迟报的公司")
    with pytest.raises(ValidationError) as caught:
        services.unit_roster_file(actor=handler, window_name=WINDOW, upload=pdf_upload("名单.pdf"),
                                  at=cst(2024, 8, 30, 0, 0, 0))
    assert caught.value.message_dict == {"file": [
        "“2024年第三期（9月）初级职称考核认定”的推荐人员名单（附件3）须在2024年8月29日23:59:59前报送，已截止，"
        "不能再报送；未按时报送的单位，本批次的申报不予网络审核。"
    ]}
    assert not UnitRosterFiling.objects.exists()
    # On the last second it is in time.
    services.unit_roster_file(actor=handler, window_name=WINDOW, upload=pdf_upload("名单.pdf"), at=CUT_OFF)
    assert roster_exclusion(application, REVIEWING) == ""


def test_only_unit_staff_file_and_only_for_a_window_that_asks(kunming):
    _, handler, application = unit_with_filing(kunming, "某公司")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.unit_roster_file(actor=application.applicant, window_name=WINDOW, upload=pdf_upload(), at=IN_TIME)
    with pytest.raises(ValidationError) as caught:
        services.unit_roster_file(actor=handler, window_name="另一批次", upload=pdf_upload(), at=IN_TIME)
    assert caught.value.message_dict == {"window_name": ["申报批次“另一批次”不要求报送推荐人员名单。"]}


def test_the_reason_is_shown_to_the_unit_and_to_the_reviewer(kunming, client, monkeypatch):
    """003 三(一)3: the unit's roster page and every level's review page say why there is no online review."""
    _, handler, application = unit_with_filing(kunming, "未报送的公司")
    import django.utils.timezone as tz

    monkeypatch.setattr(tz, "now", lambda: REVIEWING)
    client.force_login(handler)
    body = client.get(reverse("applications:unit_roster")).content.decode()
    assert "报送截止：2024年8月29日 23:59:59" in body
    assert "未在截止时间前报送推荐人员名单，本单位本批次的申报不予网络审核。" in body
    assert 'type="file"' not in body  # closed: no more filing
    body = client.get(reverse("review:detail", kwargs={"pk": application.pk})).content.decode()
    assert f"未报送的公司{EXCLUDED}" in body
    bureau = Organisation.objects.get(tenant=kunming, kind="city_bureau")
    city = UserFactory(role=Role.CITY_REVIEWER, organisation=bureau)
    client.force_login(city)
    body = client.get(reverse("review:detail", kwargs={"pk": application.pk})).content.decode()
    assert f"未报送的公司{EXCLUDED}" in body


def test_the_unit_files_through_its_page_before_the_cut_off(kunming, client, monkeypatch):
    unit, handler, _ = unit_with_filing(kunming, "按时报送的公司")
    import django.utils.timezone as tz

    monkeypatch.setattr(tz, "now", lambda: IN_TIME)
    client.force_login(handler)
    url = reverse("applications:unit_roster")
    assert 'type="file"' in client.get(url).content.decode()
    response = client.post(url, {"window_name": WINDOW, "file": pdf_upload("推荐人员名单.pdf")})
    assert response.status_code == 302
    filing = UnitRosterFiling.objects.get()
    assert (filing.unit, filing.window_name, filing.filed_by) == (unit, WINDOW, handler)
    body = client.get(url).content.decode()
    assert "已于2024年8月28日 10:00:00报送：推荐人员名单.pdf" in body


def test_kunmings_document_carries_the_cut_off_and_exports_it():
    """tenants/kunming-panlong.json: the 8月29日 cut-off of 003 三(一)3 is the window's data."""
    document = json.loads((ROOT / "tenants" / "kunming-panlong.json").read_text(encoding="utf-8"))
    tenant_apply(document=document)
    assert roster_deadline("kunming-panlong", WINDOW) == CUT_OFF
    exported = tenant_export(tenant=Tenant.objects.get(code="kunming-panlong"))
    assert exported["windows"][0]["roster_closes_at"] == "2024-08-29T23:59:59+08:00"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"roster_closes_at": "2024-09-21T00:00:00+08:00"}, "windows[0].roster_closes_at"),
        ({"roster_closes_at": "2024-08-29"}, "windows[0].roster_closes_at"),
    ],
)
def test_a_bad_cut_off_is_refused_naming_the_path(change, path):
    document = json.loads((ROOT / "tenants" / "kunming-panlong.json").read_text(encoding="utf-8"))
    document["windows"][0].update(change)
    with pytest.raises(TenantDocumentError) as caught:
        tenant_apply(document=document)
    assert path in str(caught.value)
