"""The printed forms carry each level's opinion once it has approved (评审表 boxes)."""

from __future__ import annotations

import pytest

from certificates import documents, rendering
from review import services
from review.chain import Action
from tests.certificates.helpers import pdf_text
from tests.review.helpers import DAY_2, build_city, submitted_application

pytestmark = pytest.mark.django_db


def test_it_fills_the_unit_and_department_boxes_after_they_approve_and_leaves_the_bureau_empty():
    city = build_city()
    application = submitted_application(city.applicant)
    for actor, opinion in ((city.handler, "经考核，同意推荐。"), (city.department_reviewer, "材料齐全，同意上报。")):
        services.review_decide(actor=actor, application=application, action=Action.APPROVE, opinion=opinion, at=DAY_2)
    submission = application.submissions.get()
    context = documents.context_for(kind="evaluation_form", submission=submission, tenant_name=city.tenant.name)
    boxes = {box["code"]: box["opinion"] for box in context["opinions"]}
    assert boxes["unit"]["text"] == "经考核，同意推荐。" and boxes["unit"]["by"] == application.unit.name
    assert boxes["unit"]["on"] == f"{DAY_2.year}年{DAY_2.month}月{DAY_2.day}日"
    assert boxes["department"]["text"] == "材料齐全，同意上报。"
    assert boxes["bureau"] is None

    html = documents.render_html(kind="evaluation_form", submission=submission, tenant=city.tenant)
    assert "经考核，同意推荐。" in pdf_text(rendering.render_pdf(html).content).replace(" ", "").replace("\n", "")


def test_it_has_no_opinions_for_an_unsaved_preview_snapshot():
    from applications.models import Submission
    from review.selectors import document_opinions

    assert document_opinions(Submission(snapshot={})) == []
