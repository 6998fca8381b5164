"""The bench generator's rush applicants can submit (issue 18): ``benchmarks/generate.py`` prepares complete
drafts inside an open window - a recurring window (Zhengzhou's quarterly one, stored with no ``opens_at``)
counts as open, and when none is open it opens one. The page benchmarks submit these drafts; a generator
that fails here leaves ``make bench`` with nothing to submit."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from applications.services import submission_blockers
from benchmarks.generate import generate
from units.demo import load_demo


@pytest.mark.django_db
def test_its_rush_applicants_have_drafts_with_nothing_blocking_their_submission():
    load_demo()
    counts = generate(units=5, applicants=25, rush=2, seed=11)

    assert counts
    rush = User.objects.filter(username__startswith="bench-rush-").order_by("username")
    assert [u.username for u in rush] == ["bench-rush-00001", "bench-rush-00002"]
    for user in rush:
        application = Application.objects.get(applicant=user)
        assert application.status == Application.Status.DRAFT
        blockers, _ = submission_blockers(application, timezone.now())
        assert blockers == []
