"""Pages and API of committees: secrecy of votes, 404 outside the remit, refusals shown in Chinese,
and list pages whose query count does not grow with their rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees import services
from committees.models import Meeting, Vote
from tests.applications.helpers import cst
from tests.committees.helpers import CLOSE_AT, FILED_AT, FIRST_ALLOWED, build_world, draw, plan

pytestmark = pytest.mark.django_db


def drawn(world, count: int = 3) -> Meeting:
    return draw(world, plan(world, count=count), "pages")


def queries(client, url: str) -> int:
    client.get(url)  # the first request of a session also writes the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# --- Vote secrecy --------------------------------------------------------------------------------


def test_it_shows_an_expert_only_their_own_vote_before_the_meeting_closes(client):
    world = build_world(experts=3)
    meeting = drawn(world)
    first, second = (a.expert.user for a in meeting.assignments.order_by("draw_order")[:2])
    item = meeting.items.get()
    services.vote_cast(actor=first, item=item, choice="disagree")
    client.force_login(second)
    page = client.get(reverse("committees:item_detail", args=[item.pk])).content.decode()
    assert "不同意" not in page.split("表决意见")[0] and "您已表决" not in page
    listing = client.get(reverse("committees:expert_meeting", args=[meeting.pk])).content.decode()
    assert "未表决" in listing and "不同意" not in listing


def test_it_gives_applicants_and_undrawn_experts_nothing(client):
    world = build_world(experts=4)
    meeting = drawn(world)
    item = meeting.items.get()
    outsider = next(e.user for e in world.experts if e.pk not in meeting.draw_record["chosen"])
    for user in (world.city.applicant, outsider, world.city.city_reviewer):
        client.force_login(user)
        for name, pk in (("committees:item_detail", item.pk), ("committees:expert_meeting", meeting.pk),
                         ("committees:minutes", meeting.pk), ("committees:meeting_detail", meeting.pk)):
            assert client.get(reverse(name, args=[pk])).status_code == 404, (user, name)
        response = client.post(reverse("committees_api:item_vote", args=[item.pk]), {"choice": "agree"})
        assert response.status_code == 404
    assert not Vote.objects.exists()


def test_it_hides_tallies_from_the_api_until_the_meeting_closes(client):
    world = build_world(experts=3)
    meeting = drawn(world)
    item = meeting.items.get()
    for assignment in meeting.assignments.all():
        services.vote_cast(actor=assignment.expert.user, item=item, choice="agree")
    client.force_login(world.secretary)
    url = reverse("committees_api:meeting_detail", args=[meeting.pk])
    assert client.get(url).json()["items"][0]["agree"] is None
    services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT)
    body = client.get(url).json()
    assert body["items"][0]["agree"] == 3 and body["items"][0]["outcome"] == "passed"


def test_it_refuses_a_vote_after_close_through_the_page(client):
    world = build_world(experts=3)
    meeting = drawn(world)
    item = meeting.items.get()
    expert = meeting.assignments.first().expert.user
    client.force_login(expert)
    client.post(reverse("committees:item_vote", args=[item.pk]), {"choice": "agree"})
    services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT)
    response = client.post(reverse("committees:item_vote", args=[item.pk]), {"choice": "disagree"})
    assert response.status_code == 400 and "表决结果不可更改" in response.content.decode()
    assert Vote.objects.get().choice == "agree"


def test_it_refuses_an_experts_vote_on_their_own_units_application_on_the_page_and_the_api(client):
    from committees.models import Expert

    world = build_world(experts=3)
    meeting = drawn(world)
    item = meeting.items.get()
    expert = meeting.assignments.first().expert
    Expert.objects.filter(pk=expert.pk).update(unit=world.city.unit)  # moved to the applicant's unit after the draw
    client.force_login(expert.user)
    page = client.post(reverse("committees:item_vote", args=[item.pk]), {"choice": "agree"})
    assert page.status_code == 400 and "同一单位" in page.content.decode()
    api = client.post(reverse("committees_api:item_vote", args=[item.pk]), {"choice": "agree"})
    assert api.status_code == 400 and "同一单位" in api.content.decode()
    assert not Vote.objects.exists()


def test_it_never_shows_the_applicant_who_voted_how_even_after_the_meeting_closes(client):
    """The committee's opinion carries the tally, as the printed 评审表's committee box does; which
    expert voted how is never shown to the applicant, on the pages or the API."""
    world = build_world(experts=3)
    meeting = drawn(world)
    item = meeting.items.get()
    for assignment, choice in zip(meeting.assignments.order_by("draw_order"), ["agree", "agree", "disagree"],
                                  strict=True):
        services.vote_cast(actor=assignment.expert.user, item=item, choice=choice)
    services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT)
    client.force_login(world.city.applicant)
    application = item.application
    status = client.get(reverse("applications:status", args=[application.pk])).content.decode()
    api = client.get(f"/api/v1/applications/{application.pk}/").content.decode()
    for text in (status, api):
        assert "评审委员会" in text or "committee" in text
        for secret in ("agree", "disagree", "您的表决", "表决意见"):
            assert secret not in text, secret
        for expert in world.experts:
            assert expert.user.full_name not in text and expert.user.username not in text
    for name in ("committees:minutes", "committees:meeting_detail"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404
    assert client.get(reverse("committees_api:meeting_detail", args=[meeting.pk])).status_code == 404


# --- Plan filing ---------------------------------------------------------------------------------


def test_it_explains_a_too_early_meeting_with_the_first_allowed_date_through_the_api(client, monkeypatch):
    world = build_world()
    monkeypatch.setattr("django.utils.timezone.now", lambda: FILED_AT)
    client.force_login(world.secretary)
    response = client.post(
        reverse("committees_api:meeting_list"),
        {"committee": world.committee.pk, "title": "评审会", "starts_at": cst(2026, 11, 18, 9).isoformat(),
         "ends_at": cst(2026, 11, 18, 17).isoformat(), "expert_count": 3,
         "applications": [world.applications[0].pk]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "2026年11月20日" in response.content.decode()
    assert not Meeting.objects.exists()


def test_it_files_a_plan_through_the_page(client, monkeypatch):
    world = build_world()
    monkeypatch.setattr("django.utils.timezone.now", lambda: FILED_AT)
    client.force_login(world.secretary)
    form = client.get(reverse("committees:meeting_new", args=[world.committee.pk])).content.decode()
    assert "2026年11月20日" in form
    response = client.post(
        reverse("committees:meeting_new", args=[world.committee.pk]),
        {"title": "工程评审会", "starts_at": "2026-11-20T09:00", "ends_at": "2026-11-20T17:00", "expert_count": 3,
         "applications": [str(world.applications[0].pk)]},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.starts_at == FIRST_ALLOWED


# --- Query counts --------------------------------------------------------------------------------


def test_it_lists_the_secretarys_meetings_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    world = build_world(experts=3, applications=3)
    client.force_login(world.secretary)
    url = reverse("committees:home")
    services.meeting_plan_file(
        actor=world.secretary, committee=world.committee, title="一", starts_at=FIRST_ALLOWED, ends_at=CLOSE_AT,
        expert_count=3, application_ids=[world.applications[0].pk], at=FILED_AT,
    )
    assert queries(client, url) == 4
    for index in (1, 2):
        services.meeting_plan_file(
            actor=world.secretary, committee=world.committee, title=f"会{index}", starts_at=FIRST_ALLOWED,
            ends_at=CLOSE_AT, expert_count=3, application_ids=[world.applications[index].pk], at=FILED_AT,
        )
    # session, user, committees, meetings (one query with committee and item count)
    with django_assert_num_queries(4):
        client.get(url)


def test_it_lists_an_experts_meetings_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    world = build_world(experts=3, applications=2)
    meeting = services.meeting_plan_file(
        actor=world.secretary, committee=world.committee, title="一", starts_at=FIRST_ALLOWED, ends_at=CLOSE_AT,
        expert_count=3, application_ids=[world.applications[0].pk], at=FILED_AT,
    )
    draw(world, meeting)
    expert = world.experts[0].user
    client.force_login(expert)
    assert queries(client, reverse("committees:my_meetings")) == 3
    second = services.meeting_plan_file(
        actor=world.secretary, committee=world.committee, title="二", starts_at=FIRST_ALLOWED, ends_at=CLOSE_AT,
        expert_count=3, application_ids=[world.applications[1].pk], at=FILED_AT,
    )
    draw(world, second)
    # session, user, meetings (one query with committee and item count)
    with django_assert_num_queries(3):
        client.get(reverse("committees:my_meetings"))


def test_it_lists_results_for_the_bureau_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    world = build_world(experts=3, applications=2)
    client.force_login(world.city.city_reviewer)
    url = reverse("committees:results")
    for index, application in enumerate(world.applications):
        meeting = services.meeting_plan_file(
            actor=world.secretary, committee=world.committee, title=f"会{index}", starts_at=FIRST_ALLOWED,
            ends_at=CLOSE_AT, expert_count=3, application_ids=[application.pk], at=FILED_AT,
        )
        draw(world, meeting)
        for assignment in meeting.assignments.all():
            services.vote_cast(actor=assignment.expert.user, item=meeting.items.get(), choice="agree")
        services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT)
        services.meeting_report(actor=world.secretary, meeting=meeting, at=CLOSE_AT)
        if index == 0:
            assert queries(client, url) == 3
    # session, user, reported meetings (one query with committee, item and passed counts)
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.content.decode().count("结果与会议纪要") == 2
