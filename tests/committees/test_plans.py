"""Issue 17, Xuchang: a plan of seven was accepted with three experts in the pool, the draw then
failed and the plan could be neither edited nor withdrawn, so the application stayed at 评审委员会.
A plan is now checked against the pool drawable on the meeting day (after the automatic
exclusions, 回避) when it is filed, and until the draw it can be changed — a changed plan is filed
again, five working days ahead (001_272b0a6ee81b04e4.txt 五(四)) — or withdrawn."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from committees import selectors, services
from committees.models import AgendaItem, Meeting
from core.models import AuditEvent
from review.chain import Level
from review.models import ReviewStep
from tests.applications.helpers import cst
from tests.committees.helpers import (
    CLOSE_AT,
    FILED_AT,
    FIRST_ALLOWED,
    build_world,
    draw,
    make_expert,
    plan,
    xuchang_world,
)

pytestmark = pytest.mark.django_db


def test_it_refuses_xuchangs_plan_of_seven_with_three_drawable_and_says_how_many_can_be_drawn():
    world = xuchang_world(experts=3)
    with pytest.raises(ValidationError) as error:
        plan(world, count=7)
    message = error.value.message_dict["expert_count"][0]
    assert "按会议日期2026年11月20日，可抽取的专家3人" in message and "不足7人" in message
    assert "补充专家" in message
    assert not Meeting.objects.exists()
    assert plan(world, count=3).status == Meeting.Status.PLANNED


def test_it_counts_the_automatic_exclusions_when_a_plan_is_filed():
    world = xuchang_world(experts=3)
    make_expert(None, world.committee, world.secretary, unit=world.city.unit)  # the applicant's own unit
    reviewer = make_expert(None, world.committee, world.secretary)
    ReviewStep.objects.filter(application=world.applications[0], level=Level.CITY).update(decided_by=reviewer.user)
    with pytest.raises(ValidationError) as error:
        plan(world, count=4)
    message = error.value.message_dict["expert_count"][0]
    assert "可抽取的专家3人（专家库中符合条件的5人，须回避2人：" in message
    assert "与申报人同一单位1人、曾在审核链中审核该申报1人）" in message


def test_it_counts_the_pool_on_the_meeting_day_not_the_filing_day():
    from datetime import date

    world = xuchang_world(experts=3)
    # Turns 60 on 15 Nov: in the pool when the plan is filed, retired by the meeting (001 五(三)).
    make_expert(None, world.committee, world.secretary, birth=date(1966, 11, 15))
    with pytest.raises(ValidationError) as error:
        plan(world, count=4)
    assert "可抽取的专家3人" in str(error.value)


def test_it_lets_a_plan_be_changed_until_the_draw_and_files_it_again():
    world = xuchang_world(experts=3, applications=2)
    first, second = world.applications
    meeting = services.meeting_plan_file(
        actor=world.secretary, committee=world.committee, title="许昌工程评审会", starts_at=FIRST_ALLOWED,
        ends_at=CLOSE_AT, expert_count=3, application_ids=[first.pk], at=FILED_AT,
    )
    changed_at = cst(2026, 11, 13, 10, 0, 0)
    services.meeting_plan_update(
        actor=world.secretary, meeting=meeting, title="许昌工程评审会（调整）", starts_at=cst(2026, 11, 25, 9, 0, 0),
        ends_at=cst(2026, 11, 25, 17, 0, 0), expert_count=3, application_ids=[second.pk, first.pk], at=changed_at,
    )
    assert meeting.title == "许昌工程评审会（调整）" and meeting.plan_filed_at == changed_at
    assert list(meeting.items.order_by("order").values_list("application_id", flat=True)) == [second.pk, first.pk]
    assert AuditEvent.objects.filter(action="committee_plan_changed").get().detail["before"]["items"] == [first.pk]


def test_it_checks_a_changed_plan_like_a_new_one_counted_from_the_change():
    world = xuchang_world(experts=3)
    meeting = plan(world, count=3)
    with pytest.raises(ValidationError) as error:
        services.meeting_plan_update(
            actor=world.secretary, meeting=meeting, title="评审会", starts_at=FIRST_ALLOWED, ends_at=CLOSE_AT,
            expert_count=7, application_ids=[world.applications[0].pk], at=cst(2026, 11, 16, 9, 0, 0),
        )
    messages = error.value.message_dict
    assert "会议最早可安排在2026年11月24日" in messages["starts_at"][0]
    assert "不足7人" in messages["expert_count"][0]  # every problem at once (一次告知)
    meeting.refresh_from_db()
    assert meeting.expert_count == 3 and meeting.plan_filed_at == FILED_AT


def test_it_withdraws_a_plan_before_the_draw_and_frees_its_applications():
    world = xuchang_world(experts=3)
    meeting = plan(world, count=3)
    assert selectors.agenda_candidates(world.committee) == []
    with pytest.raises(ValidationError):
        services.meeting_plan_withdraw(actor=world.secretary, meeting=meeting, reason="")
    services.meeting_plan_withdraw(actor=world.secretary, meeting=meeting, reason="专家不足，另行安排")
    assert meeting.status == Meeting.Status.WITHDRAWN and meeting.withdrawn_reason == "专家不足，另行安排"
    assert selectors.agenda_candidates(world.committee) == world.applications
    again = plan(world, count=3)
    assert again.items.get().application == world.applications[0]
    sign_and_draw = draw(world, again)
    assert sign_and_draw.status == Meeting.Status.DRAWN
    with pytest.raises(ValidationError) as error:
        services.meeting_draw_experts(actor=world.secretary, meeting=meeting)
    assert "已撤回" in str(error.value)


def test_it_refuses_to_change_or_withdraw_a_plan_once_the_experts_are_drawn():
    world = xuchang_world(experts=3)
    meeting = draw(world, plan(world, count=3))
    for call in (
        lambda: services.meeting_plan_withdraw(actor=world.secretary, meeting=meeting, reason="x"),
        lambda: services.meeting_plan_update(
            actor=world.secretary, meeting=meeting, title="x", starts_at=FIRST_ALLOWED, ends_at=CLOSE_AT,
            expert_count=3, application_ids=[world.applications[0].pk], at=FILED_AT),
    ):
        with pytest.raises(ValidationError) as error:
            call()
        assert "专家已抽取" in str(error.value)
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_it_refuses_another_citys_secretary_to_change_or_withdraw_a_plan():
    world = xuchang_world(experts=3)
    meeting = plan(world, count=3)
    foreign = build_world("zhengzhou", experts=0, applications=0)
    with pytest.raises(PermissionDenied):
        services.meeting_plan_withdraw(actor=foreign.secretary, meeting=meeting, reason="x")


def test_it_shows_on_the_form_how_many_can_be_drawn_and_defaults_to_no_more(client, monkeypatch):
    world = xuchang_world(experts=3)
    monkeypatch.setattr("django.utils.timezone.now", lambda: FILED_AT)
    client.force_login(world.secretary)
    form = client.get(reverse("committees:meeting_new", args=[world.committee.pk])).content.decode()
    assert "可抽取的专家3人" in form and 'name="expert_count" value="3"' in form
    response = client.post(
        reverse("committees:meeting_new", args=[world.committee.pk]),
        {"title": "评审会", "starts_at": "2026-11-20T09:00", "ends_at": "2026-11-20T17:00", "expert_count": 7,
         "applications": [str(world.applications[0].pk)]},
    )
    assert "不足7人" in response.content.decode() and not Meeting.objects.exists()


def test_it_edits_and_withdraws_a_plan_through_the_pages(client, monkeypatch):
    world = xuchang_world(experts=3)
    meeting = plan(world, count=3)
    monkeypatch.setattr("django.utils.timezone.now", lambda: FILED_AT)
    client.force_login(world.secretary)
    detail = client.get(reverse("committees:meeting_detail", args=[meeting.pk])).content.decode()
    assert "修改评审方案" in detail and "撤回评审方案" in detail
    edit = client.get(reverse("committees:meeting_edit", args=[meeting.pk])).content.decode()
    assert 'value="2026-11-20T09:00"' in edit
    response = client.post(reverse("committees:meeting_edit", args=[meeting.pk]), {
        "title": "改名后的评审会", "starts_at": "2026-11-20T09:00", "ends_at": "2026-11-20T17:00", "expert_count": 3,
        "applications": [str(world.applications[0].pk)],
    })
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "改名后的评审会"
    client.post(reverse("committees:meeting_withdraw", args=[meeting.pk]), {"reason": "会期调整"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.WITHDRAWN
    assert "评审方案已撤回" in client.get(reverse("committees:meeting_detail", args=[meeting.pk])).content.decode()
