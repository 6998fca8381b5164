"""Inside one tenant: another applicant, another unit's staff and the bureau's experts never reach
an applicant's filing; a unit sees its own applicants' submitted applications, never their drafts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role, User
from applications.models import Application
from tests.test_isolation import FOREIGN_KWARGS, filing_for, world
from units.models import Organisation

pytestmark = pytest.mark.django_db

FILING_ROUTES = [name for name in FOREIGN_KWARGS if name.startswith(("applications:", "application-", "achievement-"))]


def leaks_for(client, users, objects) -> list:
    leaks = []
    for user in users:
        client.force_login(user)
        for name in FILING_ROUTES:
            url = reverse(name, kwargs=FOREIGN_KWARGS[name](objects))
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code not in (404, 405):
                    leaks.append((user.username or user.full_name, method, name, response.status_code))
        client.logout()
    return leaks


def test_it_hides_a_filing_from_everyone_outside_its_applicants_unit(client):
    home, _ = world()
    owner = User.objects.get(tenant=home, role=Role.APPLICANT)
    objects = filing_for(owner)
    private_unit = Organisation.objects.get(tenant=home, name__endswith="智远科技有限公司")
    neighbour = User(full_name="别单位的人", role=Role.APPLICANT, tenant=home, organisation=private_unit)
    neighbour.set_id_number("410105199001010018")
    neighbour.save()
    outsiders = [
        neighbour,
        *User.objects.filter(
            username__in=["zhengzhou-private-handler", "zhengzhou-expert", "zhengzhou-secretary", "zhengzhou-county"]
        ),
    ]
    assert leaks_for(client, outsiders, objects) == []


def test_it_hides_a_draft_from_the_applicants_own_unit(client):
    home, _ = world()
    owner = User.objects.get(tenant=home, role=Role.APPLICANT)
    objects = filing_for(owner)
    Application.objects.filter(pk=objects["application"].pk).update(status=Application.Status.DRAFT)
    handler = User.objects.get(username="zhengzhou-unit-handler")
    client.force_login(handler)
    assert client.get(reverse("applications:status", kwargs={"pk": objects["application"].pk})).status_code == 404
    assert client.get(reverse("application-detail", kwargs={"pk": objects["application"].pk})).status_code == 404
    Application.objects.filter(pk=objects["application"].pk).update(status=Application.Status.SUBMITTED)
    assert client.get(reverse("applications:status", kwargs={"pk": objects["application"].pk})).status_code == 200
    # Seeing an application is not changing it: the applicant's own pages stay closed to the unit.
    for name in ("applications:detail", "applications:upload", "applications:submit", "application-submit"):
        response = client.post(reverse(name, kwargs=FOREIGN_KWARGS[name](objects)))
        assert response.status_code == 404, name
