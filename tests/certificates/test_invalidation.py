"""A form printed before a level decided is stale afterwards: a new request renders a fresh file
with the opinion, while the old file stays as history (still downloadable by its id)."""

from __future__ import annotations

import pytest

from certificates import selectors, services
from certificates.models import DocumentJob
from review import services as review_services
from review.chain import Action
from tests.certificates.helpers import pdf_text
from tests.review.helpers import DAY_2, build_city, submitted_application

pytestmark = pytest.mark.django_db

EVALUATION = DocumentJob.Kind.EVALUATION_FORM


def flat(text: str) -> str:
    return text.replace(" ", "").replace("\n", "")


def test_it_renders_a_fresh_form_after_a_level_decides_and_keeps_the_old_one(django_capture_on_commit_callbacks):
    city = build_city()
    application = submitted_application(city.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        before = services.document_request(actor=city.handler, application=application, kind=EVALUATION)
    before.refresh_from_db()
    assert before.status == DocumentJob.Status.DONE
    with before.file.open("rb") as handle:
        assert "经考核，同意推荐。" not in flat(pdf_text(handle.read()))

    review_services.review_decide(
        actor=city.handler, application=application, action=Action.APPROVE, opinion="经考核，同意推荐。", at=DAY_2
    )
    submission = application.submissions.get()
    # The page no longer offers the stale file: the kind has no current job.
    assert EVALUATION not in selectors.jobs_for_submission(submission)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        after = services.document_request(actor=city.handler, application=application, kind=EVALUATION)
    assert len(callbacks) == 1  # a new render was enqueued
    after.refresh_from_db()
    assert after.pk != before.pk and after.status == DocumentJob.Status.DONE
    assert after.file.name != before.file.name
    with after.file.open("rb") as handle:
        assert "经考核，同意推荐。" in flat(pdf_text(handle.read()))
    # History: the old job and its file are still there, unchanged.
    old = DocumentJob.objects.get(pk=before.pk)
    assert old.status == DocumentJob.Status.DONE and old.sha256 == before.sha256
    assert old.file.storage.exists(old.file.name)
    assert selectors.jobs_for_submission(submission)[EVALUATION].pk == after.pk

    # Asking again with the same opinions gives the same job.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        same = services.document_request(actor=city.handler, application=application, kind=EVALUATION)
    assert same.pk == after.pk and callbacks == []


def test_it_keeps_the_dossier_independent_of_the_opinions(submitted):
    from certificates.documents import subject_key_for

    _, submission = submitted
    assert subject_key_for(DocumentJob.Kind.DOSSIER, submission) == ""
