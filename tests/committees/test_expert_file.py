"""Issue 17: experts voted without seeing the file — the item page listed slot codes
(``appointment_letters``, ``photo``…) without links, and no title held, assessments or
continuing-education hours. Experts now see the frozen snapshot in full as a reviewer does
(record, achievements, every attachment inline through a permission-checked view, the lower
levels' opinions) and nothing of other experts' votes until the meeting closes; and, as
001_272b0a6ee81b04e4.txt 五(一) asks (评审专家和工作人员要签订保密承诺书), experts and the secretary sign a
保密承诺书 once per meeting, recorded and audited, before they see any file or draw any expert."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.models import Attachment
from committees import selectors, services
from committees.models import ConfidentialityPledge, Meeting
from core.models import AuditEvent
from tests.applications.helpers import cst
from tests.committees.helpers import CLOSE_AT, draw, plan, sign, xuchang_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ON_THE_DAY = cst(2026, 11, 20, 10, 0, 0)
SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z_]+\b")
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def visible_text(html: str) -> str:
    """The page's text as a person reads it: no tags, scripts, attributes or URLs."""
    body = html.split("<main", 1)[-1]
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


# --- The pledge ----------------------------------------------------------------------------------


def test_it_records_and_audits_one_pledge_per_person_and_meeting():
    world = xuchang_world(experts=3)
    meeting = draw(world, plan(world, count=3), pledged=False)
    expert = meeting.assignments.first().expert.user
    with pytest.raises(ValidationError) as error:
        services.pledge_sign(actor=expert, meeting=meeting, typed_name="别人", agreed=False)
    assert set(error.value.message_dict) == {"agreed", "typed_name"}
    services.pledge_sign(actor=expert, meeting=meeting, typed_name=expert.full_name, agreed=True)
    services.pledge_sign(actor=expert, meeting=meeting, typed_name=expert.full_name, agreed=True)
    pledge = ConfidentialityPledge.objects.get(user=expert)
    assert pledge.meeting == meeting and pledge.typed_name == expert.full_name and pledge.text_version
    assert AuditEvent.objects.filter(action="committee_pledge_signed", actor=expert).count() == 1


def test_it_refuses_a_pledge_from_someone_not_on_the_meeting():
    world = xuchang_world(experts=4)
    meeting = draw(world, plan(world, count=3), pledged=False)
    outsider = next(e.user for e in world.experts if e.pk not in meeting.draw_record["chosen"])
    for user in (outsider, world.city.city_reviewer, UserFactory(role="expert")):
        with pytest.raises(PermissionDenied):
            services.pledge_sign(actor=user, meeting=meeting, typed_name=user.full_name, agreed=True)


def test_it_refuses_the_draw_until_the_secretary_has_signed():
    world = xuchang_world(experts=3)
    meeting = plan(world, count=3)
    with pytest.raises(ValidationError) as error:
        services.meeting_draw_experts(actor=world.secretary, meeting=meeting)
    assert "保密承诺书" in str(error.value)
    sign(meeting, world.secretary)
    services.meeting_draw_experts(actor=world.secretary, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAWN


def test_it_refuses_a_vote_until_the_expert_has_signed():
    world = xuchang_world(experts=3)
    meeting = draw(world, plan(world, count=3), pledged=False)
    expert = meeting.assignments.first().expert.user
    with pytest.raises(ValidationError) as error:
        services.vote_cast(actor=expert, item=meeting.items.get(), choice="agree", at=ON_THE_DAY)
    assert "保密承诺书" in str(error.value)


def test_it_shows_an_unsigned_expert_the_pledge_and_nothing_of_the_agenda(client):
    world = xuchang_world(experts=3)
    meeting = draw(world, plan(world, count=3), pledged=False)
    expert = meeting.assignments.first().expert.user
    item = meeting.items.get()
    client.force_login(expert)
    page = client.get(reverse("committees:expert_meeting", args=[meeting.pk])).content.decode()
    assert "保密承诺书" in page and item.application.applicant.full_name not in page
    assert client.get(reverse("committees:item_detail", args=[item.pk])).status_code == 302
    attachment_id = next(iter(selectors.snapshot_attachments(item.submission.snapshot)))
    assert client.get(reverse("committees:item_file", args=[item.pk, attachment_id])).status_code == 404
    client.post(reverse("committees:meeting_pledge", args=[meeting.pk]),
                {"agreed": "on", "typed_name": expert.full_name})
    page = client.get(reverse("committees:expert_meeting", args=[meeting.pk])).content.decode()
    assert item.application.applicant.full_name in page
    assert client.get(reverse("committees:item_detail", args=[item.pk])).status_code == 200


def test_it_signs_the_pledge_through_the_api_before_the_draw(client):
    world = xuchang_world(experts=3)
    meeting = plan(world, count=3)
    client.force_login(world.secretary)
    url = reverse("committees_api:meeting_draw", args=[meeting.pk])
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 400 and "保密承诺书" in refused.content.decode()
    signed = client.post(reverse("committees_api:meeting_pledge", args=[meeting.pk]),
                         {"typed_name": world.secretary.full_name, "agreed": True}, content_type="application/json")
    assert signed.status_code == 201
    drawn = client.post(reverse("committees_api:meeting_draw", args=[meeting.pk]), {}, content_type="application/json")
    assert drawn.status_code == 200 and drawn.json()["status"] == "drawn"


# --- The frozen file -----------------------------------------------------------------------------


def test_it_shows_the_expert_the_whole_file_in_plain_words(client):
    world = xuchang_world(experts=3)
    meeting = draw(world, plan(world, count=3))
    item = meeting.items.get()
    client.force_login(meeting.assignments.first().expert.user)
    page = client.get(reverse("committees:item_detail", args=[item.pk])).content.decode()
    text = visible_text(page)
    # The title held with its appointment, assessments and continuing-education hours (001 二(四)).
    assert "助理工程师（工程系列 助理级），2019年9月1日取得资格，聘任：2019年12月31日" in text
    assert "聘书：聘书.pdf" in text
    for year in (2023, 2024, 2025):
        assert f"{year}年：合格" in text and f"{year}年：90学时" in text
    assert "本科 · 郑州大学 · 土木工程（2022年6月30日毕业，全日制，取得学位证书）" in text
    # Every material by its name, each a link to the permission-checked inline view.
    names = selectors.snapshot_attachments(item.submission.snapshot)
    for attachment_id in names:
        assert reverse("committees:item_file", args=[item.pk, attachment_id]) in page
    files = re.search(r'<ul id="files">(.*?)</ul>', page, re.S).group(1)
    labels = re.findall(r"<li>([^<]*?)：<a ", files)
    assert len(labels) == len(item.submission.snapshot["files"])
    assert "学历证书（从第一学历至最高学历）" in labels and "其他材料" not in labels, labels
    # The uploads here are named after their slots; apart from the file names no code is on screen.
    words = re.sub(r"<a [^>]*>.*?</a>", " ", page.split("<main", 1)[-1], flags=re.S)
    assert not SNAKE_CASE.search(visible_text(words)), SNAKE_CASE.findall(visible_text(words))
    assert not ISO_DAY.search(text), ISO_DAY.findall(text)
    # The lower levels' opinions, as the reviewers wrote them.
    assert text.count("审核意见：同意。") == 4


def test_it_serves_a_snapshot_file_inline_to_a_signed_expert_and_audits_it(client):
    world = xuchang_world(experts=3)
    meeting = draw(world, plan(world, count=3))
    item = meeting.items.get()
    expert = meeting.assignments.first().expert.user
    attachment_id = next(iter(selectors.snapshot_attachments(item.submission.snapshot)))
    client.force_login(expert)
    response = client.get(reverse("committees:item_file", args=[item.pk, attachment_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    event = AuditEvent.objects.get(action="committee_file_viewed")
    assert event.actor == expert and event.target_id == str(attachment_id)


def test_it_refuses_files_outside_the_snapshot_and_experts_not_drawn(client):
    world = xuchang_world(experts=4)
    meeting = draw(world, plan(world, count=3))
    item = meeting.items.get()
    frozen = selectors.snapshot_attachments(item.submission.snapshot)
    other = Attachment.objects.exclude(pk__in=list(frozen)).first()
    client.force_login(meeting.assignments.first().expert.user)
    if other is not None:
        assert client.get(reverse("committees:item_file", args=[item.pk, other.pk])).status_code == 404
    # A file changed after submission is not the file the committee judges.
    attachment_id = next(iter(frozen))
    Attachment.objects.filter(pk=attachment_id).update(sha256="f" * 64)
    assert client.get(reverse("committees:item_file", args=[item.pk, attachment_id])).status_code == 404
    outsider = next(e.user for e in world.experts if e.pk not in meeting.draw_record["chosen"])
    client.force_login(outsider)
    assert client.get(reverse("committees:item_file", args=[item.pk, next(iter(frozen))])).status_code == 404


def test_it_shows_nobody_elses_votes_until_the_meeting_closes(client):
    world = xuchang_world(experts=3)
    meeting = draw(world, plan(world, count=3))
    item = meeting.items.get()
    first, second, third = (a.expert.user for a in meeting.assignments.order_by("draw_order"))
    services.vote_cast(actor=first, item=item, choice="disagree", at=ON_THE_DAY)
    services.vote_cast(actor=second, item=item, choice="agree", at=ON_THE_DAY)
    client.force_login(third)
    page = visible_text(client.get(reverse("committees:item_detail", args=[item.pk])).content.decode())
    assert "不同意" not in page.split("表决")[0] and "同意0票" not in page and "评审通过" not in page
    services.vote_cast(actor=third, item=item, choice="agree", at=ON_THE_DAY)
    services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT)
    page = visible_text(client.get(reverse("committees:item_detail", args=[item.pk])).content.decode())
    assert "同意2票，不同意1票" in page and first.full_name not in page
