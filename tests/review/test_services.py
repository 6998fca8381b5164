"""The review chain as a specification: chain on submission, one transition service, its rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.models import Application, Submission
from core.models import AuditEvent
from review import services
from review.chain import Action, Level
from review.models import ReturnProblem, ReviewStep, ReviewTransition
from tests.applications.helpers import IN_WINDOW, cst
from tests.factories import ApplicantFactory
from tests.review.helpers import DAY_2, RETURN_CLOSES, build_city, resubmit, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return build_city()


@pytest.fixture
def application(city):
    return submitted_application(city.applicant)


def states(application):
    return [
        (step.level, step.status)
        for step in ReviewStep.objects.filter(application=application).order_by("-revision", "order")
        if step.revision == application.submissions.count()
    ]


def approve(actor, application, at=DAY_2):
    return services.review_decide(actor=actor, application=application, action=Action.APPROVE, opinion="同意", at=at)


def give_back(actor, application, problems=None, at=DAY_2):
    problems = problems or [
        {"target": "field:self_statement", "message": "述职内容过于简略。"},
        {"target": "slot:" + application.files.first().slot, "message": "扫描件不清晰。"},
    ]
    return services.review_decide(
        actor=actor, application=application, action=Action.RETURN, opinion="请修改", problems=problems, at=at
    )


def test_it_lays_out_the_chain_when_the_application_is_submitted(city, application):
    assert states(application) == [
        (Level.UNIT, "active"),
        (Level.DEPARTMENT, "waiting"),
        (Level.COUNTY, "waiting"),
        (Level.CITY, "waiting"),
    ]
    first = ReviewStep.objects.get(application=application, order=1)
    assert first.organisation == city.unit
    assert first.submission == Submission.objects.get(application=application)
    assert first.active_since == IN_WINDOW
    assert first.deadline is not None
    assert ReviewTransition.objects.filter(application=application, kind="start").count() == 1


def test_it_skips_the_department_for_a_non_public_unit(city):
    applicant = ApplicantFactory(organisation=city.private_unit)
    application = submitted_application(applicant)
    assert [level for level, _ in states(application)] == [Level.UNIT, Level.COUNTY, Level.CITY]


def test_it_walks_every_level_to_approval(city, application):
    approve(city.handler, application)
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    approve(city.department_reviewer, application)
    approve(city.county_reviewer, application)
    approve(city.city_reviewer, application)
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert {status for _, status in states(application)} == {"approved"}
    step = ReviewStep.objects.get(application=application, level=Level.CITY)
    assert step.decided_by == city.city_reviewer and step.opinion == "同意"
    assert AuditEvent.objects.filter(action="review_approve", target_id=str(application.pk)).count() == 4


def test_it_leaves_the_committee_level_active_for_the_committee(city):
    committee = submitted_application(city.applicant, method="committee_review")
    assert [level for level, _ in states(committee)][-1] == Level.COMMITTEE
    for reviewer in (city.handler, city.department_reviewer, city.county_reviewer, city.city_reviewer):
        approve(reviewer, committee)
    committee.refresh_from_db()
    assert committee.status == Application.Status.IN_REVIEW
    assert ReviewStep.objects.get(application=committee, level=Level.COMMITTEE).status == "active"


def test_it_lays_out_a_revision_only_once(application):
    steps = services.chain_start(application=application, submission=application.submissions.get())
    assert len(steps) == 4
    assert ReviewStep.objects.filter(application=application).count() == 4


def test_it_lets_only_the_holding_level_act(city, application):
    with pytest.raises(PermissionDenied):
        approve(city.department_reviewer, application)
    other_unit_handler = build_city("kunming", "昆明市").handler
    with pytest.raises(PermissionDenied):
        approve(other_unit_handler, application)
    with pytest.raises(PermissionDenied):
        approve(city.applicant, application)
    assert ReviewTransition.objects.filter(application=application).exclude(kind="start").count() == 0


def test_it_returns_with_every_problem_at_once_tied_to_its_field_or_slot(city, application):
    slot = application.files.first().slot
    give_back(city.handler, application)
    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED
    problems = list(ReturnProblem.objects.filter(application=application).order_by("id"))
    assert [(p.target_kind, p.target) for p in problems] == [("field", "self_statement"), ("slot", slot)]
    assert problems[0].target_label == "本人述职"
    assert ReviewStep.objects.get(application=application, order=1).status == "returned"


def test_it_refuses_a_return_without_problems_or_with_unknown_targets_reporting_all(city, application):
    with pytest.raises(ValidationError) as empty:
        services.review_decide(actor=city.handler, application=application, action=Action.RETURN, at=DAY_2)
    assert "problems" in empty.value.message_dict
    with pytest.raises(ValidationError) as bad:
        give_back(city.handler, application, [{"target": "field:salary", "message": ""}])
    assert set(bad.value.message_dict) == {"problems.0.target", "problems.0.message"}
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_it_refuses_a_return_after_the_tenants_return_deadline(city, application):
    with pytest.raises(ValidationError) as late:
        give_back(city.handler, application, at=cst(2026, 11, 27, 17, 0, 1))
    assert "退回修改截止" in late.value.messages[0]
    give_back(city.handler, application, at=RETURN_CLOSES)  # 17:00:00 itself is still in time


def test_it_refuses_a_return_once_the_level_has_approved_and_passed_it_up(city, application):
    approve(city.handler, application)
    approve(city.department_reviewer, application)
    with pytest.raises(ValidationError) as refused:
        give_back(city.handler, application)
    assert "不能再退回" in refused.value.messages[0]


def test_it_rejects_only_with_reasons(city, application):
    with pytest.raises(ValidationError):
        services.review_decide(actor=city.handler, application=application, action=Action.REJECT, at=DAY_2)
    services.review_decide(
        actor=city.handler, application=application, action=Action.REJECT, opinion="学历不符合条件。", at=DAY_2
    )
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert ReviewStep.objects.get(application=application, order=1).status == "rejected"


def test_it_restarts_the_chain_at_the_unit_on_resubmission(city, application):
    approve(city.handler, application)
    give_back(city.department_reviewer, application)
    resubmit(application)
    assert application.submissions.count() == 2
    assert application.status == Application.Status.SUBMITTED
    assert states(application)[0] == (Level.UNIT, "active")
    assert {status for _, status in states(application)[1:]} == {"waiting"}
    assert ReviewStep.objects.filter(application=application, revision=1, level=Level.DEPARTMENT).get().status == (
        "returned"
    )


def test_it_closes_the_filing_for_the_year_after_the_tenants_maximum_of_returns(city, application):
    city.tenant.max_returns_per_year = 3
    city.tenant.save()
    give_back(city.handler, application)
    resubmit(application)
    give_back(city.handler, application)
    resubmit(application)
    assert not services.filing_closed(city.applicant, DAY_2)
    third = give_back(city.handler, application)
    application.refresh_from_db()
    assert third.closes_filing
    assert application.status == Application.Status.REJECTED
    assert services.returns_in_year(city.applicant, DAY_2) == 3
    assert services.filing_closed(city.applicant, DAY_2)
    assert not services.filing_closed(city.applicant, cst(2027, 1, 2, 9, 0, 0))
    # Filing reads the restriction review wrote, and says why and until when.
    from django.core.exceptions import ValidationError

    from applications import services as filing

    with pytest.raises(ValidationError) as refused:
        filing.application_create(actor=city.applicant, series="engineering", level="assistant", at=DAY_2)
    assert "本年度已被退回修改3次" in refused.value.messages[0]
    assert f"{DAY_2.year}年12月31日之后可再申报" in refused.value.messages[0]
    assert filing.application_create(
        actor=city.applicant, series="engineering", level="assistant", at=cst(DAY_2.year + 1, 1, 2, 9, 0, 0)
    )


def test_it_never_changes_what_the_applicant_filed(city, application):
    before = Application.objects.filter(pk=application.pk).values(
        "self_statement", "main_achievements", "series", "level", "specialty"
    )[0]
    snapshot = application.submissions.get().snapshot
    give_back(city.handler, application)
    after = Application.objects.filter(pk=application.pk).values(
        "self_statement", "main_achievements", "series", "level", "specialty"
    )[0]
    assert before == after
    assert application.submissions.get().snapshot == snapshot


def test_it_is_idempotent_for_a_repeated_decision(city, application):
    first = approve(city.handler, application)
    again = approve(city.head, application)
    assert again.pk == first.pk
    assert ReviewTransition.objects.filter(application=application, kind="approve").count() == 1
    assert AuditEvent.objects.filter(action="review_approve").count() == 1


def test_it_keeps_transitions_append_only(city, application):
    transition = approve(city.handler, application)
    with pytest.raises(ValidationError):
        transition.save()
    with pytest.raises(ValidationError):
        transition.delete()


def test_it_approves_in_bulk_and_reports_what_it_could_not(city, application):
    other = submitted_application(ApplicantFactory(organisation=city.unit))
    approve(city.handler, other)
    result = services.review_bulk_approve(actor=city.handler, applications=[application, other], opinion="同意推荐")
    assert result.approved == [application.pk, other.pk]  # the second is the recorded decision replayed
    result = services.review_bulk_approve(actor=city.department_reviewer, applications=[application, other])
    assert sorted(result.approved) == sorted([application.pk, other.pk])
    foreign = submitted_application(ApplicantFactory(organisation=city.private_unit))
    result = services.review_bulk_approve(actor=city.handler, applications=[foreign])
    assert result.approved == [] and foreign.pk in result.failed
