"""Pages and API of the unit procedure: fixed query counts, 404 outside the unit, downloads,
refusals as Chinese 400s, and one ranking on the page, in the API and in the 公示表."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from review import procedure as svc
from review.models import UnitProcedure
from tests.applications.helpers import IN_WINDOW
from tests.calendar_helpers import calendar_filled_in
from tests.factories import ApplicantFactory, OrganisationFactory, UserFactory
from tests.review.helpers import build_city, submitted_application
from tests.review.test_unit_procedure import PUBLICITY_STARTS, group, score_all

pytestmark = pytest.mark.django_db

PROCEDURE_ROUTES = [
    "review:unit_group", "review:unit_scores", "review:unit_quota", "review:unit_publicity",
    "review:unit_publicity_close", "review:unit_sheet", "review:unit_objection_lodge", "review:unit_recommend",
    "review_api:unit_procedure", "review_api:unit_members", "review_api:unit_candidates", "review_api:unit_scores",
    "review_api:unit_quota", "review_api:unit_publicity", "review_api:unit_objections", "review_api:unit_close",
    "review_api:unit_recommend",
]


@pytest.fixture
def city():
    city = build_city()
    city.tenant.review_group_min_size = 3
    city.tenant.unit_procedure_required = True
    city.tenant.save()
    return city


def make_procedure(city, candidates: int) -> UnitProcedure:
    applicants = [city.applicant] + [ApplicantFactory(organisation=city.unit) for _ in range(candidates - 1)]
    applications = [submitted_application(a) for a in applicants]
    procedure = svc.procedure_create(actor=city.handler, title="2026年度推荐")
    group(city, procedure, size=3)
    rows = svc.candidates_add(actor=city.handler, procedure=procedure, application_ids=[a.pk for a in applications])
    score_all(city, procedure, {row.pk: str(80 + n) for n, row in enumerate(rows)})
    svc.quota_set(actor=city.handler, procedure=procedure, level="assistant", vacant_posts=5)
    return procedure


def publicised(city, candidates, django_capture_on_commit_callbacks) -> UnitProcedure:
    procedure = make_procedure(city, candidates)
    with django_capture_on_commit_callbacks(execute=True):
        svc.publicity_start(actor=city.handler, procedure=procedure, starts_on=PUBLICITY_STARTS, at=IN_WINDOW)
    svc.objection_lodge(
        actor=city.handler, procedure=procedure, candidate_id=procedure.candidates.first().pk, name="赵六",
        content="论文署名存疑", at=IN_WINDOW.replace(day=12),
    )
    procedure.refresh_from_db()
    return procedure


def count_queries(client, django_assert_num_queries, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200  # warm: the first request of a session does more
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("name", ["review:unit_scores", "review:unit_publicity", "review:unit_recommend",
                                  "review:unit_quota", "review:unit_group"])
def test_it_shows_each_list_page_in_a_fixed_number_of_queries(client, city, name, django_assert_num_queries,
                                                              django_capture_on_commit_callbacks):
    small = publicised(city, 1, django_capture_on_commit_callbacks)
    client.force_login(city.handler)
    baseline = count_queries(client, django_assert_num_queries, reverse(name, args=[small.pk]))
    other = build_city()  # another unit of the same tenant
    large = publicised(other, 4, django_capture_on_commit_callbacks)
    client.force_login(other.handler)
    client.get(reverse(name, args=[large.pk]))
    # Same number of queries for 4 candidates (and their scores, objections, quotas) as for 1:
    # session, user, procedure, candidates, scores prefetch, members, objections, quotas, eligible.
    with django_assert_num_queries(baseline):
        assert client.get(reverse(name, args=[large.pk])).status_code == 200


def test_it_lists_procedures_in_a_fixed_number_of_queries(client, city, django_assert_num_queries):
    client.force_login(city.handler)
    svc.procedure_create(actor=city.handler, title="第一轮")
    baseline = count_queries(client, django_assert_num_queries, reverse("review:unit_procedures"))
    for n in range(4):
        svc.procedure_create(actor=city.handler, title=f"第{n + 2}轮")
    client.get(reverse("review:unit_procedures"))
    # session, user, procedures, waiting count (+ the base layout's own queries)
    with django_assert_num_queries(baseline):
        client.get(reverse("review:unit_procedures"))


def test_it_answers_404_to_another_unit_and_another_tenant_on_every_route(client, city,
                                                                         django_capture_on_commit_callbacks):
    procedure = publicised(city, 1, django_capture_on_commit_callbacks)
    objection = procedure.objections.first()
    same_tenant = UserFactory(role=Role.UNIT_HANDLER, organisation=OrganisationFactory(tenant=city.tenant))
    other = build_city("xuchang", "许昌市")
    outsiders = [same_tenant, other.handler, other.head, city.department_reviewer, city.city_reviewer, city.applicant]
    leaks = []
    for user in outsiders:
        client.force_login(user)
        urls = [reverse(name, kwargs={"pk": procedure.pk}) for name in PROCEDURE_ROUTES]
        urls += [reverse(n, kwargs={"pk": objection.pk})
                 for n in ("review:unit_objection_resolve", "review_api:unit_objection_resolve")]
        application = procedure.candidates.first().application
        urls += [reverse(n, kwargs={"pk": application.pk})
                 for n in ("review:unit_dispatch_approve", "review_api:unit_dispatch_approve")]
        for url in urls:
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code not in (404, 405):
                    leaks.append((user.pk, method, url, response.status_code))
    assert leaks == []
    procedure.refresh_from_db()
    assert procedure.status == UnitProcedure.Status.PUBLICITY


def test_it_downloads_the_publicity_sheet_for_the_unit_only(client, city, django_capture_on_commit_callbacks):
    procedure = publicised(city, 2, django_capture_on_commit_callbacks)
    client.force_login(city.head)
    response = client.get(reverse("review:unit_sheet", args=[procedure.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    assert city.applicant.full_name in text.replace(" ", "")


def test_it_shows_the_same_ranking_on_the_page_in_the_api_and_in_the_sheet(client, city,
                                                                          django_capture_on_commit_callbacks):
    procedure = publicised(city, 3, django_capture_on_commit_callbacks)
    client.force_login(city.handler)
    api = client.get(reverse("review_api:unit_procedure", args=[procedure.pk])).json()
    api_order = [row["applicant_name"] for row in api["ranking"]]
    page = client.get(reverse("review:unit_recommend", args=[procedure.pk])).content.decode()
    page_order = sorted(api_order, key=page.index)
    with procedure.sheet.open("rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages).replace(" ", "")
    sheet_order = sorted(api_order, key=text.index)
    assert api_order == page_order == sheet_order
    assert [row["rank"] for row in api["ranking"]] == [1, 2, 3]
    # Highest score first: scores were 80, 81, 82 in filing order.
    assert api["ranking"][0]["total"] == "82.00"


def test_it_refuses_over_the_api_with_a_chinese_reason(client, city):
    client.force_login(city.handler)
    created = client.post(reverse("review_api:unit_procedures"), {"title": "接口推荐"}, content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    next_week = timezone.localdate() + timedelta(days=7)
    calendar_filled_in(next_week)
    next_week = next_week.isoformat()
    response = client.post(
        reverse("review_api:unit_publicity", args=[pk]), {"starts_on": next_week}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "至少须有3人" in response.content.decode()
    member = client.post(
        reverse("review_api:unit_members", args=[pk]), {"name": "张三", "position": "院长"},
        content_type="application/json",
    )
    assert member.status_code == 200 and member.json()["members"][0]["name"] == "张三"


def test_it_shows_a_refusal_on_the_page_without_saving(client, city):
    procedure = svc.procedure_create(actor=city.handler, title="推荐")
    client.force_login(city.handler)
    response = client.post(reverse("review:unit_group", args=[procedure.pk]), {"name": "张三", "position": ""},
                           follow=True)
    assert "请填写成员职务" in response.content.decode()
    assert procedure.members.count() == 0


def test_it_links_the_procedure_from_the_unit_dashboard(client, city):
    client.force_login(city.handler)
    assert reverse("review:unit_procedures") in client.get("/", follow=True).content.decode()
