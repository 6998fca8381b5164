"""A return is fixed and resubmitted until the window's return deadline, after submitting has
closed; unfixed at the deadline, the application closes (003_c25e803c7aeb4e62.txt 四: 返回修改截止
时间为2024年9月27日17:00 … 逾期未补正的，视为申报人不具备相应申报资格; 001_272b0a6ee81b04e4.txt
二(三) 在相关部门审核截止时间前再次提交审核, 二(四) 逾期未补充完整的，视为放弃申报).

A Kunming-style window: opens 1 Sep 09:00, submitting closes 20 Sep 17:00:00, returns close
27 Sep 17:00:00, review closes 30 Sep 17:00:00 (+08:00). Every instant is passed as ``at=``.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import services as filing
from applications.models import Application
from core.models import AuditEvent
from notifications.models import Notification
from review import services as review
from review.chain import Action
from rules.models import DeclarationWindow
from tests.applications.helpers import cst, eligible_record, fill_required_slots
from tests.factories import ApplicantFactory
from tests.review.helpers import build_city

pytestmark = pytest.mark.django_db

OPENS = cst(2024, 9, 1, 9, 0, 0)
SUBMIT_CLOSES = cst(2024, 9, 20, 17, 0, 0)
RETURN_CLOSES = cst(2024, 9, 27, 17, 0, 0)
REVIEW_CLOSES = cst(2024, 9, 30, 17, 0, 0)
FILED = cst(2024, 9, 10, 10, 0, 0)
RETURNED = cst(2024, 9, 15, 10, 0, 0)
ONE_SECOND_LATE = cst(2024, 9, 27, 17, 0, 1)


@pytest.fixture
def city():
    DeclarationWindow.objects.update_or_create(
        tenant_code="kunming-panlong",
        name="2024年第三期（9月）初级职称考核认定",
        defaults={
            "opens_at": OPENS,
            "submit_closes_at": SUBMIT_CLOSES,
            "return_closes_at": RETURN_CLOSES,
            "review_closes_at": REVIEW_CLOSES,
        },
    )
    return build_city("kunming-panlong", "昆明市盘龙区")


def ready_draft(applicant, at=FILED) -> Application:
    application = filing.application_create(actor=applicant, series="engineering", level="assistant", at=at)
    eligible_record(applicant)
    fill_required_slots(application)
    # 003 五(一): 主要工作业绩不少于400字.
    filing.application_save_draft(actor=applicant, application=application, data={"main_achievements": "业绩" * 210})
    filing.pledge_sign(actor=applicant, application=application, typed_name=applicant.full_name, agreed=True)
    application.refresh_from_db()
    return application


@pytest.fixture
def returned(city) -> Application:
    """Filed on 10 Sep, returned by the unit on 15 Sep with the problems listed (一次告知)."""
    application = ready_draft(city.applicant)
    filing.application_submit(actor=city.applicant, application=application, at=FILED)
    review.review_decide(
        actor=city.handler,
        application=application,
        action=Action.RETURN,
        opinion="请修改",
        problems=[{"target": "field:self_statement", "message": "述职内容过于简略。"}],
        at=RETURNED,
    )
    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED
    return application


def fix_and_resubmit(application: Application, at):
    filing.application_save_draft(
        actor=application.applicant, application=application, data={"self_statement": "补充后的本人述职。"}
    )
    return filing.application_submit(actor=application.applicant, application=application, at=at)


def test_it_accepts_a_return_fixed_and_resubmitted_after_submitting_closed(returned):
    """003 四: 返回修改截止时间为9月27日17:00 — after submitting closed on 20 Sep."""
    submission = fix_and_resubmit(returned, cst(2024, 9, 25, 10, 0, 0))
    returned.refresh_from_db()
    assert submission.revision == 2
    assert returned.status == Application.Status.SUBMITTED
    assert returned.window_name == "2024年第三期（9月）初级职称考核认定"


def test_it_accepts_a_resubmission_at_the_return_deadline_itself(returned):
    """003 四: 17:00:00 on 27 Sep is still in time (deadlines inclusive to the second)."""
    submission = fix_and_resubmit(returned, RETURN_CLOSES)
    assert submission.revision == 2


def test_it_refuses_a_resubmission_one_second_after_the_return_deadline(returned):
    """003 四: 逾期未补正的，视为申报人不具备相应申报资格."""
    with pytest.raises(ValidationError) as late:
        fix_and_resubmit(returned, ONE_SECOND_LATE)
    assert (
        "已过退回修改截止时间：“2024年第三期（9月）初级职称考核认定”的退回修改已于2024年9月27日 17:00:00截止，"
        "不能再次提交；逾期未补正，视为不具备申报资格。"
    ) in late.value.messages
    returned.refresh_from_db()
    assert returned.status == Application.Status.RETURNED
    assert returned.submissions.count() == 1


def test_it_still_needs_submitting_open_for_a_first_submission(city):
    """003 四: 个人网络申报 9月1日9:00—20日17:00; only a return may come back after that."""
    draft = ready_draft(city.applicant)
    filing.application_submit(actor=city.applicant, application=draft, at=SUBMIT_CLOSES)  # 17:00:00 in time
    late = ready_draft(ApplicantFactory(organisation=city.unit), at=FILED)
    with pytest.raises(ValidationError) as refused:
        filing.application_submit(actor=late.applicant, application=late, at=cst(2024, 9, 20, 17, 0, 1))
    assert "当前不在申报时间内：“2024年第三期（9月）初级职称考核认定”已于2024年9月20日 17:00:00截止申报。" in (
        refused.value.messages
    )


def test_it_closes_an_unfixed_return_one_second_after_the_deadline_and_only_once(returned):
    """003 四 逾期未补正的，视为申报人不具备相应申报资格; 001 二(四) 逾期未补充完整的，视为放弃申报."""
    assert filing.close_overdue_returns(at=RETURN_CLOSES) == []
    returned.refresh_from_db()
    assert returned.status == Application.Status.RETURNED

    closed = filing.close_overdue_returns(at=ONE_SECOND_LATE)
    returned.refresh_from_db()
    assert [a.pk for a in closed] == [returned.pk]
    assert returned.status == Application.Status.CLOSED
    assert returned.get_status_display() == "已关闭（逾期未补正）"
    assert returned.closed_reason == "逾期未补正，视为不具备申报资格"
    assert returned.closed_at == ONE_SECOND_LATE
    event = AuditEvent.objects.get(action="application_closed_overdue_return", target_id=str(returned.pk))
    assert event.detail["return_closes_at"] == "2024-09-27T17:00:00+08:00"

    assert filing.close_overdue_returns(at=cst(2024, 9, 28, 9, 0, 0)) == []  # a second sweep: nothing
    assert AuditEvent.objects.filter(action="application_closed_overdue_return").count() == 1
    with pytest.raises(ValidationError) as refused:
        fix_and_resubmit(returned, cst(2024, 9, 28, 9, 0, 0))
    assert "已关闭（逾期未补正），不能再修改。" in refused.value.messages[0]


def test_it_leaves_a_resubmitted_return_alone(returned):
    """003 四: a return fixed in time goes on to review; the sweep closes only unfixed ones."""
    fix_and_resubmit(returned, cst(2024, 9, 25, 10, 0, 0))
    assert filing.close_overdue_returns(at=ONE_SECOND_LATE) == []
    returned.refresh_from_db()
    assert returned.status == Application.Status.SUBMITTED


def test_it_sweeps_from_the_beat_schedule_without_ids_and_tells_applicant_and_unit(city, returned, monkeypatch):
    """003 四 逾期未补正: the periodic task finds its own work; a repeat run sends nothing twice."""
    from applications.tasks import close_overdue_returns

    entry = settings.CELERY_BEAT_SCHEDULE["applications-close-overdue-returns"]
    assert entry["task"] == "applications.tasks.close_overdue_returns"
    monkeypatch.setattr("applications.tasks.timezone.now", lambda: ONE_SECOND_LATE)
    assert close_overdue_returns.apply().get() == 1
    assert close_overdue_returns.apply().get() == 0
    returned.refresh_from_db()
    assert returned.status == Application.Status.CLOSED
    told = Notification.objects.filter(key=f"closed_overdue:{returned.pk}")
    assert {n.recipient_id for n in told} >= {city.applicant.pk, city.handler.pk}
    assert told.count() == len({n.recipient_id for n in told})
    assert "逾期未补正，视为不具备申报资格" in told.get(recipient=city.applicant).body


def test_it_shows_the_closed_state_to_the_applicant_and_the_unit(client, city, returned):
    """003 四: the applicant and the unit see that it closed and why (逾期未补正)."""
    filing.close_overdue_returns(at=ONE_SECOND_LATE)
    client.force_login(city.applicant)
    index = client.get(reverse("applications:index")).content.decode()
    assert "已关闭（逾期未补正）" in index
    page = client.get(reverse("applications:detail", args=[returned.pk]), follow=True).content.decode()
    assert "申报已关闭" in page and "逾期未补正，视为不具备申报资格" in page
    assert "2024年9月27日 17:00:01关闭" in page
    client.force_login(city.handler)
    detail = client.get(reverse("review:detail", args=[returned.pk])).content.decode()
    assert "申报已关闭：" in detail and "逾期未补正，视为不具备申报资格" in detail
    queue = client.get(reverse("review:queue"), {"status": "returned"}).content.decode()
    assert "逾期未补正，已关闭" in queue


def test_it_tells_a_returned_applicant_until_when_to_resubmit(client, city, returned):
    """003 四 返回修改截止时间: the form says the deadline of the return."""
    client.force_login(city.applicant)
    page = client.get(reverse("applications:detail", args=[returned.pk])).content.decode()
    assert "请在退回修改截止时间2024年9月27日 17:00:00前修改并再次提交" in page
