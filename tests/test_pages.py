"""Pages: every role's home page renders, lists run a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role, User
from tests.factories import ApplicantFactory, OrganisationFactory, UserFactory
from units.demo import load_demo

pytestmark = pytest.mark.django_db


def test_it_renders_a_home_page_for_every_role(client):
    load_demo()
    User.objects.filter(role=Role.APPLICANT).update(must_change_password=False)
    seen = set()
    for user in User.objects.filter(tenant__code="huzhou") | User.objects.filter(role=Role.PLATFORM_ADMIN):
        client.force_login(user)
        response = client.get(reverse("dashboard"))
        assert response.status_code == 200, user.role
        assert f"您好，{user.display_name}" in response.content.decode()
        seen.add(user.role)
    assert seen == set(Role.values)


def test_it_shows_the_unit_admin_what_to_do_next(client):
    handler = UserFactory(role=Role.UNIT_HANDLER)
    client.force_login(handler)
    body = client.get(reverse("dashboard")).content.decode()
    assert "添加申报人" in body and "导入花名册" in body


def test_it_lists_applicants_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    handler = UserFactory(role=Role.UNIT_HANDLER)
    ApplicantFactory.create_batch(3, organisation=handler.organisation)
    client.force_login(handler)
    client.get(reverse("units:people"))  # warm the session
    # 1 session, 2 user, 3 count for the paginator, 4 the user's unit, 5–6 guardian's user and
    # group grants for "may manage people", 7 the page of applicants with their organisation,
    # 8 the read's audit row (one per page view, not per person).
    with django_assert_num_queries(8):
        client.get(reverse("units:people"))
    ApplicantFactory.create_batch(30, organisation=handler.organisation)
    with django_assert_num_queries(8):
        response = client.get(reverse("units:people"))
    assert response.content.decode().count("查看</a>") == 33


def test_it_lists_registrations_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    reviewer = UserFactory(role=Role.CITY_REVIEWER, organisation=OrganisationFactory(city_bureau=True))
    for _ in range(3):
        OrganisationFactory(tenant=reviewer.tenant, pending=True, managed_by=reviewer.organisation)
    client.force_login(reviewer)
    client.get(reverse("units:registrations"))
    # 1 session, 2 user, 3 count for the paginator, 4 the page of units with district,
    # competent department and managing authority joined.
    with django_assert_num_queries(4):
        client.get(reverse("units:registrations"))
    for _ in range(20):
        OrganisationFactory(tenant=reviewer.tenant, pending=True, managed_by=reviewer.organisation)
    with django_assert_num_queries(4):
        client.get(reverse("units:registrations"))


def test_it_masks_id_numbers_in_lists_and_reveals_one_only_on_an_audited_request(client):
    from core.models import AuditEvent

    handler = UserFactory(role=Role.UNIT_HANDLER)
    person = ApplicantFactory(organisation=handler.organisation)
    full = person.reveal_id_number()
    client.force_login(handler)
    assert full not in client.get(reverse("units:people")).content.decode()
    assert full not in client.get(reverse("units:person_detail", args=[person.pk])).content.decode()
    revealed = client.post(reverse("units:person_reveal", args=[person.pk]))
    assert full in revealed.content.decode()
    assert AuditEvent.objects.filter(action="id_number_revealed", target_id=str(person.pk)).count() == 1


def test_it_refuses_the_reveal_to_roles_that_do_not_need_it(client):
    person = ApplicantFactory()
    expert = UserFactory(
        role=Role.DEPARTMENT_REVIEWER, organisation=OrganisationFactory(tenant=person.tenant, department=True)
    )
    person.organisation.competent_department = expert.organisation
    person.organisation.save()
    client.force_login(expert)
    response = client.post(reverse("units:person_reveal", args=[person.pk]), follow=True)
    assert person.reveal_id_number() not in response.content.decode()
    assert "无权查看完整身份证号" in response.content.decode()


def test_it_sends_security_headers(client):
    response = client.get(reverse("accounts:login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_speaks_chinese_first_and_english_as_the_second_locale(client):
    chinese = client.get(reverse("accounts:login")).content.decode()
    assert "身份证号或用户名" in chinese and 'lang="zh-hans"' in chinese
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("accounts:login")).content.decode()
    assert "ID number or username" in english and 'lang="en"' in english
