"""The re-examination's term (复查期限), 003_c25e803c7aeb4e62.txt 六(二)3: "行业主管部门应根据申诉、举报问题
进行复查……申诉人对复查结果不服的，可向盘龙区人力资源和社会保障局进行申诉", with the bureau supervising the
procedure (六(二)(三)). The clause names no term, so the tenant's document does (setting
``appeal_review_working_days``); an overdue appeal is flagged to its handler and to the city bureau, and a
conclusion after the term is still recorded, marked overdue on the timeline and in the audit log."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from review import appeals
from review.models import Appeal
from tests.review.helpers import build_city
from tests.review.test_appeals import LODGED_AT, lodge, rejected_by_city
from units.tenant_documents import TenantDocumentError, tenant_apply, tenant_export

pytestmark = pytest.mark.django_db

CONTRACT_EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "luoyang.json"


@pytest.fixture
def city():
    return build_city()


def overdue_appeal(city) -> Appeal:
    """An appeal lodged long enough ago that its term has run out whatever day the test runs."""
    application = rejected_by_city(city)
    return lodge(city, application, at=timezone.now() - timedelta(days=60))


def test_003_6_2_3_the_term_is_the_tenants_setting(city):
    """Default 15 working days; a tenant whose document says 5 gives 5 (17–23 Nov 2026, Tue–Mon)."""
    assert lodge(city, rejected_by_city(city)).due_on == date(2026, 12, 7)
    city.tenant.settings = {**city.tenant.settings, "appeal_review_working_days": 5}
    city.tenant.save(update_fields=["settings"])
    appeal = lodge(city, rejected_by_city(city), at=LODGED_AT)
    assert appeal.due_on == date(2026, 11, 23)
    assert appeals.working_days_of(appeal) == 5
    event = AuditEvent.objects.filter(action="appeal_lodged", target_id=str(appeal.application_id)).get()
    assert event.detail["working_days"] == 5 and event.detail["due_on"] == "2026-11-23"


def test_003_6_2_3_the_term_round_trips_through_the_tenant_document():
    document = json.loads(CONTRACT_EXAMPLE.read_text(encoding="utf-8"))
    document["settings"]["appeal_review_working_days"] = 10
    tenant_apply(document=document)
    from units.models import Tenant

    exported = tenant_export(tenant=Tenant.objects.get(code=document["code"]))
    assert exported["settings"]["appeal_review_working_days"] == 10
    bad = copy.deepcopy(document)
    bad["settings"]["appeal_review_working_days"] = 0
    with pytest.raises(TenantDocumentError, match=r"settings\.appeal_review_working_days"):
        tenant_apply(document=bad)


def test_003_6_2_3_an_overdue_appeal_is_flagged_to_its_handler_and_the_city_bureau(client, city):
    appeal = overdue_appeal(city)
    assert appeals.is_overdue(appeal) and appeals.days_overdue(appeal) > 0
    in_time = lodge(city, rejected_by_city(city), at=timezone.now())
    assert not appeals.is_overdue(in_time)

    client.force_login(city.department_reviewer)
    listing = client.get(reverse("review:appeals")).content.decode()
    assert f"已逾期{appeals.days_overdue(appeal)}天" in listing
    assert listing.count("已逾期") == 1  # the appeal still in time is not flagged
    page = client.get(reverse("review:appeal_decide", args=[appeal.application_id])).content.decode()
    assert "复查期限已过，已提示市人社部门督办" in page

    # The city bureau re-examines none of these (they are the department's) yet sees the overdue one.
    for supervisor in (city.city_reviewer,):
        client.force_login(supervisor)
        listing = client.get(reverse("review:appeals")).content.decode()
        assert "逾期未复查的申诉（督办）" in listing and city.department.name in listing
        assert listing.count(appeal.application.applicant.full_name) >= 1
    assert list(appeals.overdue_for_supervisor(city.city_reviewer)) == [appeal]
    assert list(appeals.overdue_for_supervisor(city.department_reviewer)) == []
    other = build_city("othercity", "另一市")
    assert list(appeals.overdue_for_supervisor(other.city_reviewer)) == []

    client.force_login(city.applicant)
    status = client.get(reverse("applications:status", args=[appeal.application_id])).content.decode()
    assert "尚未作出复查结论，已提示市人社部门督办" in status


def test_003_6_2_3_a_conclusion_after_the_term_is_recorded_as_overdue(client, city):
    appeal = overdue_appeal(city)
    late_by = appeals.days_overdue(appeal)
    appeals.appeal_decide(actor=city.department_reviewer, appeal=appeal, revoke=False, finding="经复查，原决定无误。")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD and appeals.is_overdue(appeal)
    event = AuditEvent.objects.get(action="appeal_upheld", target_id=str(appeal.application_id))
    assert event.detail["overdue"] is True and event.detail["days_overdue"] == late_by
    assert list(appeals.overdue_for_supervisor(city.city_reviewer)) == []  # concluded: no longer pending
    client.force_login(city.applicant)
    status = client.get(reverse("applications:status", args=[appeal.application_id])).content.decode()
    assert f"复查结论（逾期作出：超过复查期限{late_by}天）：维持原决定" in status


def test_003_6_2_3_a_conclusion_in_time_is_not_marked(city):
    appeal = lodge(city, rejected_by_city(city), at=timezone.now())
    appeals.appeal_decide(actor=city.department_reviewer, appeal=appeal, revoke=False, finding="维持。")
    event = AuditEvent.objects.get(action="appeal_upheld", target_id=str(appeal.application_id))
    assert event.detail["overdue"] is False and event.detail["days_overdue"] == 0
    assert not any("逾期" in line for _, line in appeals.notes(appeal.application))
