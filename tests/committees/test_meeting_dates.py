"""Issue 17: votes, closing and reporting went through on 2 December for a meeting set for
10 December, so the minutes said 会议时间 12月10日 and 会议结束 12月2日, and 报送截止 and 公示至 fell
before the meeting. Voting now opens on the meeting day (not before), the meeting closes only once
it has begun, and the results are due within 5 working days after the meeting ends
(001_272b0a6ee81b04e4.txt 五(四): 在评审会议结束后5个工作日内，向人力资源社会保障部门报送评审结果信息和评审
会议纪要), counted with rules.workdays.add_working_days."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committees import services
from committees.models import Meeting, Vote
from tests.applications.helpers import cst
from tests.committees.helpers import CLOSE_AT, FILED_AT, draw, plan, xuchang_world

pytestmark = pytest.mark.django_db

MEETING = cst(2026, 12, 10, 9, 0, 0)  # a Thursday
MEETING_ENDS = cst(2026, 12, 10, 17, 0, 0)
TOO_EARLY = cst(2026, 12, 2, 10, 0, 0)  # the day the votes went through


def dec_tenth(world) -> Meeting:
    return draw(world, plan(world, count=3, starts_at=MEETING, ends_at=MEETING_ENDS, at=FILED_AT))


def vote_all(meeting: Meeting, choice: str, at) -> None:
    for assignment in meeting.assignments.select_related("expert__user"):
        services.vote_cast(actor=assignment.expert.user, item=meeting.items.get(), choice=choice, at=at)


def test_it_refuses_a_vote_before_the_meeting_day_naming_the_day():
    world = xuchang_world(experts=3)
    meeting = dec_tenth(world)
    expert = meeting.assignments.first().expert.user
    for at in (TOO_EARLY, cst(2026, 12, 9, 23, 59, 59)):
        with pytest.raises(ValidationError) as error:
            services.vote_cast(actor=expert, item=meeting.items.get(), choice="agree", at=at)
        assert "评审会议定于2026年12月10日召开，会议当天起方可表决" in str(error.value)
    assert not Vote.objects.exists()


def test_it_opens_voting_at_the_start_of_the_meeting_day():
    world = xuchang_world(experts=3)
    meeting = dec_tenth(world)
    vote_all(meeting, "agree", cst(2026, 12, 10, 0, 0, 0))
    assert Vote.objects.count() == 3


def test_it_refuses_to_close_a_meeting_before_it_has_begun():
    world = xuchang_world(experts=3)
    meeting = dec_tenth(world)
    vote_all(meeting, "agree", cst(2026, 12, 10, 8, 0, 0))
    for at in (TOO_EARLY, cst(2026, 12, 10, 8, 59, 0)):
        with pytest.raises(ValidationError) as error:
            services.meeting_close(actor=world.secretary, meeting=meeting, at=at)
        assert "2026年12月10日 09:00开始" in str(error.value)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAWN and meeting.closed_at is None


def test_it_counts_the_report_deadline_from_the_meeting_and_the_publicity_from_the_report():
    world = xuchang_world(experts=3)
    meeting = dec_tenth(world)
    vote_all(meeting, "agree", MEETING)
    services.meeting_close(actor=world.secretary, meeting=meeting, at=MEETING_ENDS)
    # Five working days after Thursday 10 December: 11, 14, 15, 16, 17.
    assert meeting.report_due_on == date(2026, 12, 17)
    services.meeting_report(actor=world.secretary, meeting=meeting, at=cst(2026, 12, 11, 10, 0, 0))
    assert meeting.publicity_ends_on == date(2026, 12, 18)
    assert meeting.meeting_day <= meeting.report_due_on and meeting.meeting_day < meeting.publicity_ends_on
    assert not meeting.report_is_late


def test_it_counts_the_deadline_from_a_later_close_and_records_a_late_report():
    world = xuchang_world(experts=3)
    meeting = dec_tenth(world)
    vote_all(meeting, "agree", MEETING)
    services.meeting_close(actor=world.secretary, meeting=meeting, at=cst(2026, 12, 14, 10, 0, 0))
    assert meeting.report_due_on == date(2026, 12, 21)  # 15, 16, 17, 18, 21
    services.meeting_report(actor=world.secretary, meeting=meeting, at=cst(2026, 12, 22, 10, 0, 0))
    assert meeting.status == Meeting.Status.REPORTED and meeting.report_is_late
    from core.models import AuditEvent

    assert AuditEvent.objects.get(action="committee_results_reported").detail["late"] is True


def test_it_shows_the_minutes_with_dates_that_agree(client):
    world = xuchang_world(experts=3)
    meeting = dec_tenth(world)
    vote_all(meeting, "agree", MEETING)
    services.meeting_close(actor=world.secretary, meeting=meeting, at=MEETING_ENDS, discussion="一致同意。")
    services.meeting_report(actor=world.secretary, meeting=meeting, at=cst(2026, 12, 11, 10, 0, 0))
    client.force_login(world.secretary)
    page = client.get(reverse("committees:minutes", args=[meeting.pk])).content.decode()
    assert "2026年12月10日 09:00 至 2026年12月10日 17:00" in page
    assert "会议结束</th><td>2026年12月10日 17:00" in page
    assert "结果报送截止日：2026年12月17日" in page and "公示至2026年12月18日" in page
    assert "参会专家3人中3人已签署" in page


def test_it_tells_the_expert_and_the_secretary_when_voting_opens(client, monkeypatch):
    world = xuchang_world(experts=3)
    meeting = dec_tenth(world)
    monkeypatch.setattr("django.utils.timezone.now", lambda: TOO_EARLY)
    expert = meeting.assignments.first().expert.user
    client.force_login(expert)
    item = meeting.items.get()
    page = client.get(reverse("committees:item_detail", args=[item.pk])).content.decode()
    assert "评审会议定于2026年12月10日召开，会议当天起方可表决" in page and "提交表决意见" not in page
    refused = client.post(reverse("committees:item_vote", args=[item.pk]), {"choice": "agree"})
    assert refused.status_code == 400 and "会议当天起方可表决" in refused.content.decode()
    client.force_login(world.secretary)
    detail = client.get(reverse("committees:meeting_detail", args=[meeting.pk])).content.decode()
    assert "会议当天起方可表决" in detail and "结束会议并统计表决结果</button>" not in detail
    assert "会议开始（2026年12月10日 09:00）后才能结束会议" in detail


def test_it_still_counts_a_meeting_of_the_helpers_day(client):
    """The suite's usual meeting (20 November, 09:00–17:00) closes at 17:00 and reports by the 27th."""
    world = xuchang_world(experts=3)
    meeting = draw(world, plan(world, count=3))
    vote_all(meeting, "agree", cst(2026, 11, 20, 9, 30, 0))
    services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT)
    assert meeting.report_due_on == date(2026, 11, 27)
