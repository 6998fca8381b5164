"""Schemathesis drives every operation of the project's own OpenAPI schema with generated input
(a bounded number of examples each) as a logged-in unit handler and finds no server error."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core.wsgi import get_wsgi_application  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def session_cookie(db, client):
    from accounts.models import Role
    from tests.factories import ApplicantFactory, UserFactory

    handler = UserFactory(role=Role.UNIT_HANDLER)
    ApplicantFactory(organisation=handler.organisation)
    client.force_login(handler)
    return client.cookies["sessionid"].value


CSRF = "Zc0fuzz1csrf2token3for4tests5abc"  # any 32 letters and digits: Django compares cookie and header


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_it_answers_generated_api_calls_without_a_server_error(case, session_cookie):
    response = case.call(headers={"Cookie": f"sessionid={session_cookie}; csrftoken={CSRF}", "X-CSRFToken": CSRF})
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
