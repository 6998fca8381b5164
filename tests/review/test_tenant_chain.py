"""The review chain per tenant, as data (tenant contract ``chain``): levels in order with ``when``,
``final_for`` and ``deadline``; an application keeps the chain it was laid out with; a level cannot
approve, return or reject after its own deadline (inclusive to the second) while it can still read.

Sources: 000_09f0e4863c323892.txt 二 分级管理 (a county's junior titles are decided by the county
bureau); 003_c25e803c7aeb4e62.txt 四 (units by 20 Sep 17:00, the bureau by 30 Sep 17:00)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from review import services
from review.chain import Action, plan_chain
from review.models import ReviewStep
from rules.windows import CST
from tests.factories import ApplicantFactory, UserFactory
from tests.review.helpers import submitted_application
from units.models import Organisation
from units.tenant_documents import tenant_apply

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent

OPENS = datetime(2027, 3, 1, 9, 0, 0, tzinfo=CST)
SUBMIT_CLOSES = datetime(2027, 3, 20, 17, 0, 0, tzinfo=CST)
RETURN_CLOSES = datetime(2027, 3, 27, 17, 0, 0, tzinfo=CST)
REVIEW_CLOSES = datetime(2027, 3, 31, 17, 0, 0, tzinfo=CST)
FILED = datetime(2027, 3, 10, 10, 0, 0, tzinfo=CST)
SECOND = timedelta(seconds=1)


def document(name: str) -> dict:
    return json.loads((ROOT / name).read_text(encoding="utf-8"))


def luoyang_document() -> dict:
    doc = document("tests/fixtures/luoyang.json")
    doc["windows"] = [
        {
            "name": "2027年第一期",
            "opens_at": OPENS.isoformat(),
            "submit_closes_at": SUBMIT_CLOSES.isoformat(),
            "return_closes_at": RETURN_CLOSES.isoformat(),
            "review_closes_at": REVIEW_CLOSES.isoformat(),
        }
    ]
    return doc


@pytest.fixture
def luoyang():
    tenant = tenant_apply(document=luoyang_document()).tenant
    return {org.key: org for org in Organisation.objects.filter(tenant=tenant)}


def reviewer(org: Organisation, role: str):
    return UserFactory(role=role, organisation=org, tenant=org.tenant)


def test_it_ends_zhengzhous_county_units_at_the_county_bureau_for_junior_titles():
    tenant = tenant_apply(document=document("tenants/zhengzhou.json")).tenant
    hospital = Organisation.objects.get(tenant=tenant, key="hospital")  # a county unit with a department
    junior = plan_chain(unit=hospital, evaluation_method="assessment")
    assert [step.level for step in junior] == ["unit", "department", "county"]
    senior = plan_chain(unit=hospital, evaluation_method="committee_review")
    assert [step.level for step in senior] == ["unit", "department", "county", "city", "committee"]
    school = Organisation.objects.get(tenant=tenant, key="school")  # a city-level unit
    assert [step.level for step in plan_chain(unit=school, evaluation_method="assessment")] == [
        "unit",
        "department",
        "city",
    ]


def test_it_looks_the_county_bureau_up_once_while_planning_a_chain(django_assert_num_queries):
    # Issue 18: the ``unit_in_district`` condition and the county level's holder ask for the same bureau.
    tenant = tenant_apply(document=document("tenants/zhengzhou.json")).tenant
    hospital = Organisation.objects.select_related("competent_department", "tenant").get(tenant=tenant, key="hospital")
    county = Organisation.objects.get(tenant=tenant, kind=Organisation.Kind.COUNTY_BUREAU, district=hospital.district)
    chain = tenant.settings.get("chain")
    with django_assert_num_queries(1):
        steps = plan_chain(unit=hospital, evaluation_method="assessment", chain=chain)
    assert [(step.level, step.organisation) for step in steps][2] == ("county", county)


def test_it_makes_kunming_panlongs_bureau_final_with_the_levels_own_deadlines():
    tenant = tenant_apply(document=document("tenants/kunming-panlong.json")).tenant
    private = Organisation.objects.get(tenant=tenant, key="private")  # non-public: no department
    chain = plan_chain(unit=private, evaluation_method="assessment")
    assert [(step.level, step.deadline) for step in chain] == [
        ("unit", "submit_closes_at"),
        ("city", "review_closes_at"),
    ]


def test_it_lays_out_each_levels_deadline_from_the_window(luoyang):
    application = submitted_application(ApplicantFactory(organisation=luoyang["school1"]), at=FILED)
    steps = list(ReviewStep.objects.filter(application=application).order_by("order"))
    assert [(s.level, s.deadline, s.deadline_enforced) for s in steps] == [
        ("unit", SUBMIT_CLOSES, True),
        ("department", REVIEW_CLOSES, True),
        ("city", REVIEW_CLOSES, True),
    ]
    firm = submitted_application(ApplicantFactory(organisation=luoyang["firm1"]), at=FILED)
    assert list(firm.review_steps.order_by("order").values_list("level", flat=True)) == ["unit", "county"]


@pytest.mark.parametrize("action", [Action.APPROVE, Action.RETURN, Action.REJECT])
def test_it_lets_the_unit_decide_at_its_deadline_and_not_a_second_later(luoyang, action):
    handler = reviewer(luoyang["school1"], Role.UNIT_HANDLER)
    extra = {"opinion": "不符合条件"} if action == Action.REJECT else {}
    if action == Action.RETURN:
        extra = {"problems": [{"target": "field:specialty", "message": "请填写专业"}]}
    late = submitted_application(ApplicantFactory(organisation=luoyang["school1"]), at=FILED)
    with pytest.raises(ValidationError) as refused:
        services.review_decide(actor=handler, application=late, action=action, at=SUBMIT_CLOSES + SECOND, **extra)
    assert "本级审核已于2027年3月20日 17:00截止" in refused.value.messages[0]
    assert "洛阳市人力资源和社会保障局" in refused.value.messages[0]  # whom to contact
    assert late.review_steps.get(level="unit").status == ReviewStep.Status.ACTIVE  # nothing decided
    in_time = submitted_application(ApplicantFactory(organisation=luoyang["school1"]), at=FILED)
    services.review_decide(actor=handler, application=in_time, action=action, at=SUBMIT_CLOSES, **extra)
    assert in_time.review_steps.get(level="unit").status != ReviewStep.Status.ACTIVE


def test_it_gives_the_city_bureau_until_the_review_deadline(luoyang):
    application = submitted_application(ApplicantFactory(organisation=luoyang["school1"]), at=FILED)
    services.review_decide(
        actor=reviewer(luoyang["school1"], Role.UNIT_HANDLER), application=application, action=Action.APPROVE, at=FILED
    )
    services.review_decide(
        actor=reviewer(luoyang["edu"], Role.DEPARTMENT_REVIEWER),
        application=application,
        action=Action.APPROVE,
        at=FILED,
    )
    city = reviewer(luoyang["city"], Role.CITY_REVIEWER)
    with pytest.raises(ValidationError):
        services.review_decide(actor=city, application=application, action=Action.APPROVE, at=REVIEW_CLOSES + SECOND)
    services.review_decide(actor=city, application=application, action=Action.APPROVE, at=REVIEW_CLOSES)
    application.refresh_from_db()
    assert application.status == application.Status.APPROVED


def test_it_still_shows_the_file_after_the_deadline_and_says_why_it_cannot_decide(client, luoyang, settings):
    application = submitted_application(ApplicantFactory(organisation=luoyang["school1"]), at=FILED)
    step = application.review_steps.get(level="unit")
    ReviewStep.objects.filter(pk=step.pk).update(deadline=datetime(2020, 1, 1, 17, tzinfo=CST))
    client.force_login(reviewer(luoyang["school1"], Role.UNIT_HANDLER))
    page = client.get(reverse("review:detail", kwargs={"pk": application.pk})).content.decode()
    assert "本级审核已于2020年1月1日 17:00截止" in page and "请联系洛阳市人力资源和社会保障局" in page
    assert 'name="action" value="approve"' not in page
    assert application.applicant.full_name in page  # still readable


def test_it_keeps_the_chain_an_application_was_laid_out_with(luoyang):
    from tests.review.helpers import resubmit

    application = submitted_application(ApplicantFactory(organisation=luoyang["firm1"]), at=FILED)
    handler = reviewer(luoyang["firm1"], Role.UNIT_HANDLER)
    services.review_decide(
        actor=handler,
        application=application,
        action=Action.RETURN,
        problems=[{"target": "field:specialty", "message": "请填写专业"}],
        at=FILED,
    )
    # The city changes its chain: the county is no longer final.
    changed = luoyang_document()
    changed["chain"][2].pop("final_for")
    assert tenant_apply(document=changed).version == 2
    resubmit(application, at=FILED + timedelta(days=1))
    latest = application.review_steps.order_by("-revision").first().revision
    levels = application.review_steps.filter(revision=latest).order_by("order").values_list("level", flat=True)
    assert list(levels) == ["unit", "county"]  # as first laid out (version 1)
    fresh = plan_chain(
        unit=luoyang["firm1"].__class__.objects.get(pk=luoyang["firm1"].pk), evaluation_method="assessment"
    )
    assert [step.level for step in fresh] == ["unit", "county", "city"]
