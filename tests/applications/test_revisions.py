"""After a return, the applicant sees each problem next to its field or slot, and everyone who
may see the application sees what changed between the two submissions, side by side."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.revisions import snapshot_differences
from review import services
from review.chain import Action
from tests.review.helpers import DAY_2, build_city, resubmit, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned():
    city = build_city()
    application = submitted_application(city.applicant)
    slot = application.files.first().slot
    services.review_decide(
        actor=city.handler,
        application=application,
        action=Action.RETURN,
        opinion="请修改",
        at=DAY_2,
        problems=[
            {"target": "field:self_statement", "message": "述职内容过于简略。"},
            {"target": f"slot:{slot}", "message": "扫描件不清晰，请重新上传。"},
        ],
    )
    application.refresh_from_db()
    return city, application, slot


def test_it_shows_each_returned_problem_next_to_its_field_and_slot(client, returned):
    city, application, slot = returned
    client.force_login(city.applicant)
    body = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    statement = body.index('name="self_statement"')
    field_block = body[body.rindex('<div class="field', 0, statement) : body.index("</div>", statement)]
    assert "退回意见：述职内容过于简略。" in field_block
    slot_block = body[body.index(f'id="slot-{slot}"') :]
    assert "退回意见：扫描件不清晰，请重新上传。" in slot_block[: slot_block.index("</li>")]


def test_it_compares_the_two_submissions_side_by_side(client, returned):
    city, application, _ = returned
    resubmit(application)
    client.force_login(city.handler)
    body = client.get(reverse("applications:revisions", args=[application.pk])).content.decode()
    assert "修改前后对照" in body and "第1次提交" in body and "第2次提交" in body
    client.force_login(city.applicant)
    assert client.get(reverse("applications:revisions", args=[application.pk])).status_code == 200


def test_it_lists_changed_text_and_replaced_files_only():
    before = {
        "application": {"self_statement": "短", "level": "assistant"},
        "files": [{"slot": "diploma", "name": "a.pdf", "sha256": "1"}],
    }
    after = {
        "application": {"self_statement": "长一些的述职", "level": "assistant"},
        "files": [{"slot": "diploma", "name": "b.pdf", "sha256": "2"}],
    }
    differences = snapshot_differences(before, after, {"diploma": "学历证书"})
    assert [(d.label, d.before, d.after) for d in differences] == [
        ("本人述职", "短", "长一些的述职"),
        ("材料：学历证书", "文件“a.pdf”", "文件“b.pdf”"),
    ]


def test_it_has_nothing_to_compare_before_a_second_submission(client, returned):
    city, application, _ = returned
    client.force_login(city.applicant)
    assert client.get(reverse("applications:revisions", args=[application.pk])).status_code == 404
