"""Twenty simultaneous approvals by two reviewers of one unit: the row lock makes exactly one
transition and one audit record. Needs PostgreSQL (SQLite has no row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from core.models import AuditEvent
from review import services
from review.chain import Action
from review.models import ReviewStep, ReviewTransition
from tests.review.helpers import DAY_2, build_city, submitted_application


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_it_records_one_transition_when_twenty_approvals_arrive_at_once(postgres):
    city = build_city()
    application = submitted_application(city.applicant)
    start = threading.Barrier(20)
    results, errors = [], []

    def press_approve(reviewer):
        try:
            start.wait()
            transition = services.review_decide(
                actor=reviewer, application=application, action=Action.APPROVE, opinion="同意", at=DAY_2
            )
            results.append(transition.pk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    clicks = [threading.Thread(target=press_approve, args=(city.handler if i % 2 else city.head,)) for i in range(20)]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join()
    assert errors == []
    assert len(set(results)) == 1 and len(results) == 20
    assert ReviewTransition.objects.filter(application=application, kind="approve").count() == 1
    assert AuditEvent.objects.filter(action="review_approve", target_id=str(application.pk)).count() == 1
    assert list(
        ReviewStep.objects.filter(application=application).order_by("order").values_list("status", flat=True)
    ) == [
        "approved",
        "active",
        "waiting",
        "waiting",
    ]
