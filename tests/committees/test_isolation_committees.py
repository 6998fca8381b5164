"""Every committee route answers 404, for every role of one tenant, on another tenant's committee,
expert, meeting or agenda item (the committee slice of tests/test_isolation.py, runnable alone)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.test_isolation import FOREIGN_KWARGS, all_routes, foreign_objects, home_users, parameters, world

pytestmark = pytest.mark.django_db


def test_it_answers_404_for_another_tenants_committee_objects_for_every_role(client):
    home, foreign = world()
    objects = foreign_objects(foreign)
    routes = [name for name, route in all_routes() if parameters(route) and name.startswith("committees")]
    assert len(routes) >= 18
    leaks = []
    for user in home_users(home):
        client.force_login(user)
        for name in routes:
            url = reverse(name, kwargs=FOREIGN_KWARGS[name](objects))
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code not in (404, 405):
                    leaks.append((user.username, method, name, response.status_code))
        client.logout()
    assert leaks == []
