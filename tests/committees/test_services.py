"""Specifications of committees: jurisdiction, pool, plan filing, draw, votes, close and report."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.models import Application
from committees import selectors, services
from committees.models import AgendaItem, Committee, Expert, Meeting, MeetingExpert, Vote
from review.chain import Level
from review.models import ReviewStep
from tests.applications.helpers import cst
from tests.committees.helpers import CLOSE_AT, FILED_AT, FIRST_ALLOWED, build_world, draw, make_expert, plan, sign

pytestmark = pytest.mark.django_db


def drawn(world, count: int = 5, seed: str = "s1") -> Meeting:
    return draw(world, plan(world, count=count), seed)


def vote_all(meeting: Meeting, choices: list[str]) -> None:
    for assignment, choice in zip(meeting.assignments.order_by("draw_order"), choices, strict=False):
        for item in meeting.items.all():
            services.vote_cast(actor=assignment.expert.user, item=item, choice=choice)


# --- Jurisdiction --------------------------------------------------------------------------------


def test_it_routes_an_application_to_the_committee_of_its_series_and_level():
    world = build_world(experts=0)
    application = world.applications[0]
    assert selectors.committee_for_application(application) == world.committee
    assert selectors.jurisdiction_for(world.city.tenant, "engineering", "intermediate") == world.committee


def test_it_sends_series_without_authority_to_entrusted_review():
    world = build_world(experts=0, applications=0)
    assert selectors.jurisdiction_for(world.city.tenant, "school_teacher", "intermediate") == selectors.ENTRUSTED
    assert selectors.jurisdiction_for(world.city.tenant, "engineering", "senior") == selectors.ENTRUSTED


def test_it_prefers_a_self_reviewing_units_own_committee_for_its_people():
    world = build_world(experts=0, applications=0)
    own = services.committee_create(
        actor=world.secretary, name="某大学自主评审委员会", series=["engineering"], levels=["intermediate"],
        self_review_unit=world.city.unit,
    )
    tenant = world.city.tenant
    assert selectors.jurisdiction_for(tenant, "engineering", "intermediate", unit=world.city.unit) == own
    assert selectors.jurisdiction_for(tenant, "engineering", "intermediate", unit=world.city.private_unit) == (
        world.committee
    )


def test_it_uses_the_applications_chosen_committee_when_it_has_one():
    world = build_world(experts=0)
    other = Committee.objects.create(tenant=world.city.tenant, name="另一评委会", series=["health"], levels=["senior"])
    application = world.applications[0]
    application.committee_id = other.pk
    assert selectors.committee_for_application(application) == other


# --- Pool ----------------------------------------------------------------------------------------


def test_it_excludes_retired_out_of_specialty_and_removed_experts_from_selection():
    world = build_world(experts=2, applications=0)
    on = date(2026, 11, 20)
    old = make_expert(None, world.committee, world.secretary, birth=date(1966, 11, 1))  # 60 before the meeting
    left = make_expert(None, world.committee, world.secretary)
    services.expert_set_status(actor=world.secretary, expert=left, status=Expert.Status.LEFT_SPECIALTY,
                               reason="调离专业技术岗位")
    removed = make_expert(None, world.committee, world.secretary)
    services.expert_set_status(actor=world.secretary, expert=removed, status=Expert.Status.REMOVED,
                               reason="不能正确履行评审职责")
    Expert.objects.filter(pk=world.experts[1].pk).update(series="health")  # no longer in the committee's series
    eligible = selectors.eligible_experts(world.committee, on)
    assert [e.pk for e in eligible] == [world.experts[0].pk]
    assert old.is_retired(on)


def test_it_refuses_to_take_an_expert_out_of_the_pool_without_a_reason():
    world = build_world(experts=1, applications=0)
    with pytest.raises(ValidationError) as error:
        services.expert_set_status(actor=world.secretary, expert=world.experts[0], status=Expert.Status.REMOVED)
    assert "原因" in str(error.value)


def test_it_shows_the_share_of_young_and_external_experts():
    world = build_world(experts=2, applications=0)  # born 1980: 46, neither young nor external
    make_expert(None, world.committee, world.secretary, birth=date(1990, 1, 1))
    make_expert(None, world.committee, world.secretary, external=True)
    shares = selectors.pool_shares(world.committee, list(world.committee.experts.all()), date(2026, 11, 20))
    assert (shares.eligible, shares.young, shares.external) == (4, 1, 1)
    assert (shares.young_share, shares.external_share) == ("25%", "25%")


# --- Plan filing ---------------------------------------------------------------------------------


def test_it_refuses_a_plan_filed_less_than_five_working_days_before_the_meeting_naming_the_first_date():
    world = build_world()
    with pytest.raises(ValidationError) as error:
        plan(world, starts_at=cst(2026, 11, 19, 9, 0, 0))
    assert "至少5个工作日" in str(error.value) and "2026年11月20日" in str(error.value)
    assert not Meeting.objects.exists()


def test_it_accepts_a_plan_filed_exactly_five_working_days_before_the_meeting():
    world = build_world()
    meeting = plan(world, starts_at=FIRST_ALLOWED)
    assert meeting.status == Meeting.Status.PLANNED
    assert list(meeting.items.values_list("application_id", flat=True)) == [world.applications[0].pk]


def test_it_refuses_a_meeting_that_spans_two_years():
    world = build_world()
    with pytest.raises(ValidationError) as error:
        plan(world, starts_at=cst(2026, 12, 31, 20, 0, 0), ends_at=cst(2027, 1, 1, 10, 0, 0),
             at=cst(2026, 12, 1, 10, 0, 0))
    assert "跨年度" in str(error.value)


def test_it_refuses_applications_outside_the_committees_remit():
    world = build_world()
    other = services.committee_create(actor=world.secretary, name="卫生系列评委会", series=["health"],
                                       levels=["intermediate"])
    with pytest.raises(ValidationError) as error:
        services.meeting_plan_file(
            actor=world.secretary, committee=other, title="卫生评审会", starts_at=FIRST_ALLOWED,
            ends_at=CLOSE_AT, expert_count=3, application_ids=[world.applications[0].pk], at=FILED_AT,
        )
    assert "待评审范围" in str(error.value)


def test_it_refuses_a_secretary_of_another_tenant():
    world = build_world()
    foreign = build_world("xuchang", experts=0, applications=0)
    with pytest.raises(PermissionDenied):
        services.meeting_plan_file(
            actor=foreign.secretary, committee=world.committee, title="x", starts_at=FIRST_ALLOWED,
            ends_at=CLOSE_AT, expert_count=3, application_ids=[world.applications[0].pk], at=FILED_AT,
        )


# --- Draw ----------------------------------------------------------------------------------------


def test_it_draws_reproducibly_from_the_seed_and_records_the_draw():
    world = build_world(experts=8)
    meeting = drawn(world, count=5, seed="fixed-seed")
    chosen = meeting.draw_record["chosen"]
    assert len(chosen) == 5 and meeting.draw_seed == "fixed-seed"
    import random

    pool = selectors.eligible_experts(world.committee, date(2026, 11, 20))
    assert [e.pk for e in random.Random("fixed-seed").sample(pool, 5)] == chosen


def test_it_excludes_experts_of_an_applicants_unit_and_the_applicants_own_reviewers():
    world = build_world(experts=5)
    same_unit = make_expert(None, world.committee, world.secretary, unit=world.city.unit)
    reviewer_expert = make_expert(None, world.committee, world.secretary)
    step = ReviewStep.objects.get(application=world.applications[0], level=Level.CITY)
    ReviewStep.objects.filter(pk=step.pk).update(decided_by=reviewer_expert.user)
    meeting = drawn(world, count=5)
    chosen = set(meeting.draw_record["chosen"])
    assert same_unit.pk not in chosen and reviewer_expert.pk not in chosen
    assert meeting.draw_record["excluded"] == {
        str(same_unit.pk): "与申报人同一单位",
        str(reviewer_expert.pk): "曾在审核链中审核该申报",
    }


def test_it_refuses_a_draw_when_the_pool_shrank_below_the_plan_after_filing():
    world = build_world(experts=3)
    meeting = plan(world, count=3)
    services.expert_set_status(actor=world.secretary, expert=world.experts[0], status=Expert.Status.REMOVED,
                               reason="不能正确履行评审职责")
    sign(meeting, world.secretary)
    with pytest.raises(ValidationError) as error:
        services.meeting_draw_experts(actor=world.secretary, meeting=meeting)
    assert "可抽取的专家2人" in str(error.value) and "不足3人" in str(error.value)
    assert not MeetingExpert.objects.exists()


# --- Votes ---------------------------------------------------------------------------------------


def test_it_refuses_a_vote_from_an_expert_not_drawn_for_the_meeting():
    world = build_world(experts=6)
    meeting = drawn(world, count=5)
    outsider = Expert.objects.exclude(pk__in=meeting.draw_record["chosen"]).first()
    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=outsider.user, item=meeting.items.first(), choice="agree")


def test_it_refuses_a_vote_on_an_application_from_the_experts_own_unit():
    world = build_world(experts=5)
    meeting = drawn(world, count=5)
    expert = meeting.assignments.first().expert
    Expert.objects.filter(pk=expert.pk).update(unit=world.city.unit)  # moved to the applicant's unit after the draw
    with pytest.raises(ValidationError) as error:
        services.vote_cast(actor=expert.user, item=meeting.items.first(), choice="agree")
    assert "同一单位" in str(error.value)
    assert not Vote.objects.exists()


def test_it_lets_an_expert_change_a_vote_until_the_meeting_closes_and_never_after():
    world = build_world(experts=3)
    meeting = drawn(world, count=3)
    item = meeting.items.first()
    user = meeting.assignments.first().expert.user
    services.vote_cast(actor=user, item=item, choice="disagree")
    services.vote_cast(actor=user, item=item, choice="agree")
    assert Vote.objects.get().choice == "agree"
    vote_all(meeting, ["agree", "agree", "agree"])
    services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT)
    with pytest.raises(ValidationError) as error:
        services.vote_cast(actor=user, item=item, choice="disagree")
    assert "不可更改" in str(error.value)
    assert Vote.objects.filter(choice="agree").count() == 3


# --- Quorum, threshold and outcome ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("drawn_count", "present", "agree", "outcome"),
    [
        (6, 6, 4, AgendaItem.Outcome.PASSED),  # 4/6 is exactly two thirds
        (6, 6, 3, AgendaItem.Outcome.FAILED),
        (7, 5, 4, AgendaItem.Outcome.PASSED),  # quorum 5 of 7; 4/5 ≥ 2/3
        (7, 5, 3, AgendaItem.Outcome.FAILED),  # 3/5 < 2/3
    ],
)
def test_it_passes_with_two_thirds_of_the_experts_present(drawn_count, present, agree, outcome):
    world = build_world(experts=drawn_count)
    meeting = drawn(world, count=drawn_count)
    absent = [a.expert_id for a in meeting.assignments.order_by("-draw_order")[: drawn_count - present]]
    services.attendance_set(actor=world.secretary, meeting=meeting, absent_expert_ids=absent)
    vote_all(meeting, ["agree"] * agree + ["disagree"] * (present - agree))
    services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT, discussion="材料完整。")
    item = meeting.items.get()
    assert item.outcome == outcome and item.present == present and item.agree == agree


def test_it_refuses_to_close_without_a_quorum():
    world = build_world(experts=6)
    meeting = drawn(world, count=6)
    absent = [a.expert_id for a in meeting.assignments.all()[:3]]  # 3 of 6 present, quorum is 4
    services.attendance_set(actor=world.secretary, meeting=meeting, absent_expert_ids=absent)
    with pytest.raises(ValidationError) as error:
        services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT)
    assert "三分之二（4人）" in str(error.value)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAWN


def test_it_counts_a_missing_vote_as_not_agreeing():
    world = build_world(experts=3)
    meeting = drawn(world, count=3)
    vote_all(meeting, ["agree"])  # one of three
    services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT)
    item = meeting.items.get()
    assert (item.agree, item.abstain, item.outcome) == (1, 2, AgendaItem.Outcome.FAILED)


def test_it_decides_the_committee_step_through_the_chain_passed_approved_failed_rejected():
    world = build_world(experts=3, applications=2)
    meeting = drawn(world, count=3)
    first, second = meeting.items.order_by("order")
    for assignment in meeting.assignments.all():
        services.vote_cast(actor=assignment.expert.user, item=first, choice="agree")
        services.vote_cast(actor=assignment.expert.user, item=second, choice="disagree")
    services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT)
    passed, failed = (Application.objects.get(pk=i.application_id) for i in (first, second))
    assert passed.status == Application.Status.APPROVED
    assert failed.status == Application.Status.REJECTED
    step = ReviewStep.objects.get(application=failed, level=Level.COMMITTEE)
    assert step.decided_by == world.secretary and "同意0票，不同意3票" in step.opinion
    from certificates.selectors import certificates_pending_for

    assert list(certificates_pending_for(world.city.tenant.pk)) == [passed]


def test_it_reports_results_and_sets_the_publicity_period():
    world = build_world(experts=3)
    meeting = drawn(world, count=3)
    vote_all(meeting, ["agree"] * 3)
    services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT)
    assert meeting.report_due_on == date(2026, 11, 27)
    services.meeting_report(actor=world.secretary, meeting=meeting, at=cst(2026, 11, 23, 9, 0, 0))
    assert meeting.status == Meeting.Status.REPORTED and meeting.publicity_ends_on == date(2026, 11, 30)


def test_it_renders_the_minutes_pdf_once(django_capture_on_commit_callbacks):
    world = build_world(experts=3)
    meeting = drawn(world, count=3)
    vote_all(meeting, ["agree"] * 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT, discussion="一致同意。")
    meeting.refresh_from_db()
    assert meeting.minutes_pdf and meeting.minutes_pdf.read().startswith(b"%PDF")
    first = meeting.minutes_sha256
    services.minutes_render(meeting_id=meeting.pk)
    meeting.refresh_from_db()
    assert meeting.minutes_sha256 == first


def test_it_refuses_review_decide_at_the_committee_level_outside_a_meeting():
    from review.services import review_decide

    world = build_world(experts=0)
    with pytest.raises(ValidationError):
        review_decide(actor=world.secretary, application=world.applications[0], action="approve", opinion="x")
