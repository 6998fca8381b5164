"""Rosters and statistics (Excel) of one window and level: the tenant's columns, masked ID numbers
unless the role may see full ones, one job per request key, permission-checked pages and downloads."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from applications.models import Application
from certificates import rosters
from certificates.models import DocumentJob
from core.models import AuditEvent
from tests.factories import ApplicantFactory, TenantFactory, UserFactory
from tests.review.helpers import build_city, submitted_application

pytestmark = pytest.mark.django_db

WINDOW = "2026年11月测试申报批次"


def city_with_applications(code: str = "zhengzhou", name: str = "郑州市", count: int = 3):
    city = build_city(code, name)
    people = [city.applicant] + [ApplicantFactory(organisation=city.unit) for _ in range(count - 1)]
    if code == "tangshan":  # Tangshan's rule set asks for more (a 2024-character work summary)
        from tests.certificates.test_dossier import tangshan_application

        applications = [tangshan_application(applicant=person)[0] for person in people]
    else:
        applications = [submitted_application(person) for person in people]
    Application.objects.filter(pk=applications[0].pk).update(status=Application.Status.APPROVED)
    return city, applications


def rows_of(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def rendered(job: DocumentJob) -> bytes:
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.error
    with job.file.open("rb") as handle:
        return handle.read()


def request(city, django_capture_on_commit_callbacks, **kwargs) -> DocumentJob:
    kwargs.setdefault("kind", DocumentJob.Kind.ROSTER)
    with django_capture_on_commit_callbacks(execute=True):
        return rosters.window_document_request(
            actor=kwargs.pop("actor", city.city_reviewer), tenant=city.tenant, window_name=WINDOW, level="assistant",
            **kwargs,
        )


def test_it_writes_the_roster_with_the_tenants_columns_and_masked_ids(django_capture_on_commit_callbacks):
    city, applications = city_with_applications()
    job = request(city, django_capture_on_commit_callbacks)
    rows = rows_of(rendered(job))
    assert job.file.name.endswith(".xlsx")
    assert rows[0][0] == "郑州市推荐人员名单"
    layout = rosters.roster_layout(city.tenant)  # zhengzhou.json sets no roster: the schema's default
    assert list(rows[2]) == [rosters.COLUMN_LIBRARY[code].header for code in layout["columns"]]
    body = rows[3:]
    assert len(body) == 3
    by_name = {row[1]: row for row in body}
    for application in applications:
        person = application.applicant
        row = by_name[person.full_name]
        assert row[3] == person.id_number_masked and "*" in row[3]
        assert row[3] != person.reveal_id_number()
    assert {row[-1] for row in body} == {"已通过", "已提交，待单位审核"}


def test_it_writes_full_ids_only_for_a_role_that_may_see_them_and_keeps_them_a_separate_file(
    django_capture_on_commit_callbacks,
):
    city, applications = city_with_applications(count=1)
    masked = request(city, django_capture_on_commit_callbacks)
    full = request(city, django_capture_on_commit_callbacks, full_ids=True)
    assert full.pk != masked.pk
    full_row = rows_of(rendered(full))[3]
    assert full_row[3] == applications[0].applicant.reveal_id_number()
    event = AuditEvent.objects.get(action="window_document_requested", target_id=str(full.pk))
    assert event.detail["full_ids"] is True
    # Not a bureau role: no window documents at all.
    with pytest.raises(PermissionDenied):
        request(city, django_capture_on_commit_callbacks, actor=city.department_reviewer)


def test_it_gives_the_same_job_for_the_same_window_and_level(django_capture_on_commit_callbacks):
    city, _ = city_with_applications(count=1)
    first = request(city, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = rosters.window_document_request(
            actor=city.city_reviewer, tenant=city.tenant, window_name=WINDOW, level="assistant", kind="roster"
        )
    assert second.pk == first.pk and callbacks == []


def test_it_rejects_a_window_without_applications_and_an_unknown_kind_in_chinese(django_capture_on_commit_callbacks):
    city, _ = city_with_applications(count=1)
    with pytest.raises(ValidationError, match="没有已提交的申报"):
        rosters.window_document_request(
            actor=city.city_reviewer, tenant=city.tenant, kind="roster", window_name="不存在的批次", level="assistant"
        )
    with pytest.raises(ValidationError, match="请选择"):
        rosters.window_document_request(
            actor=city.city_reviewer, tenant=city.tenant, kind="evaluation_form", window_name=WINDOW, level="assistant"
        )
    assert not DocumentJob.objects.exists()


def test_it_uses_tangshans_roster_title_and_columns(django_capture_on_commit_callbacks):
    city, _ = city_with_applications("tangshan", "唐山市", count=1)
    rows = rows_of(rendered(request(city, django_capture_on_commit_callbacks)))
    # tenants/tangshan.json settings.roster: 002 第一篇 第九条(三)2⑵ 附件七 — the title already names the city.
    assert rows[0][0] == "唐山市高中职申报人员名单"
    assert "现任职称" in rows[2] and "破格" in rows[2]


def test_a_tenant_that_is_not_seeded_gets_the_roster_title_and_columns_of_its_setting():
    roster = {"title": "申报人员花名册", "columns": ["index", "name", "unit"]}
    luoyang = TenantFactory(code="luoyang", name="洛阳市", settings={"roster": roster})
    assert rosters.roster_layout(luoyang) == {"title": "申报人员花名册", "columns": ("index", "name", "unit")}
    rows = rows_of(rosters.render_roster(tenant=luoyang, window_name=WINDOW, level="assistant", full_ids=False))
    assert rows[0][0] == "洛阳市申报人员花名册"
    assert rows[2] == ["序号", "姓名", "工作单位"]
    # Without the setting, the schema's default layout.
    plain = TenantFactory(code="luoyang-plain", name="洛阳市B")
    assert rosters.roster_layout(plain)["title"] == "推荐人员名单"
    assert rosters.roster_title(plain) == "洛阳市B推荐人员名单"


STATISTICS_HEADER = ["序号", "单位", "申报人数", "审核中", "退回修改", "逾期未补正", "已通过", "未通过"]


def test_it_counts_the_windows_applications_per_unit_in_the_statistics(django_capture_on_commit_callbacks):
    city, _ = city_with_applications(count=3)
    rows = rows_of(rendered(request(city, django_capture_on_commit_callbacks, kind=DocumentJob.Kind.STATISTICS)))
    assert list(rows[2]) == STATISTICS_HEADER
    assert list(rows[3])[1:] == [city.unit.name, 3, 2, 0, 0, 1, 0]
    assert list(rows[-1])[1:] == ["合计", 3, 2, 0, 0, 1, 0]


def returned_and_closed(applications) -> tuple[Application, Application]:
    """The second application returned for revision by the unit, the third closed overdue."""
    from review.chain import Action
    from review.services import review_decide
    from tests.applications.helpers import IN_WINDOW

    returned, closed = applications[1], applications[2]
    head = returned.unit.people.get(role=Role.UNIT_HEAD)
    review_decide(actor=head, application=returned, action=Action.RETURN, opinion="请补正。", at=IN_WINDOW,
                  problems=[{"target": "field:specialty", "message": "专业填写不完整"}])
    Application.objects.filter(pk=closed.pk).update(status=Application.Status.CLOSED)
    returned.refresh_from_db()
    assert returned.status == Application.Status.RETURNED
    return returned, closed


def test_the_roster_lists_no_returned_or_closed_application(django_capture_on_commit_callbacks):
    city, applications = city_with_applications(count=3)
    returned, closed = returned_and_closed(applications)
    body = rows_of(rendered(request(city, django_capture_on_commit_callbacks)))[3:]
    names = [row[1] for row in body]
    assert names == [applications[0].applicant.full_name]
    assert returned.applicant.full_name not in names and closed.applicant.full_name not in names
    assert {row[-1] for row in body} == {"已通过"}


def test_the_statistics_count_a_returned_or_closed_application_as_such_not_as_in_review(
    django_capture_on_commit_callbacks,
):
    city, applications = city_with_applications(count=3)
    returned_and_closed(applications)
    rows = rows_of(rendered(request(city, django_capture_on_commit_callbacks, kind=DocumentJob.Kind.STATISTICS)))
    assert list(rows[2]) == STATISTICS_HEADER
    # 3 filed: none in review, 1 returned, 1 closed overdue, 1 approved.
    assert list(rows[3])[1:] == [city.unit.name, 3, 0, 1, 1, 1, 0]
    assert list(rows[-1])[1:] == ["合计", 3, 0, 1, 1, 1, 0]


# --- Pages ---------------------------------------------------------------------------------------


def test_it_lists_windows_with_a_query_count_independent_of_the_rows(client, django_assert_num_queries):
    city, _ = city_with_applications(count=1)
    client.force_login(city.city_reviewer)
    url = reverse("certificates:window_documents")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(3):
        submitted_application(ApplicantFactory(organisation=city.unit))
    Application.objects.filter(tenant=city.tenant).update(window_name="另一批次")
    submitted_application(ApplicantFactory(organisation=city.unit))
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert "另一批次" in response.content.decode()


def test_it_hides_the_window_pages_and_downloads_from_other_roles(client, django_capture_on_commit_callbacks):
    city, _ = city_with_applications(count=1)
    job = request(city, django_capture_on_commit_callbacks)
    for user in (city.applicant, city.handler, city.department_reviewer):
        client.force_login(user)
        assert client.get(reverse("certificates:window_documents")).status_code == 404
        assert client.get(reverse("certificates:window_job_download", args=[job.pk])).status_code == 404
    other = UserFactory(role=Role.CITY_REVIEWER)  # another tenant's bureau
    client.force_login(other)
    assert client.get(reverse("certificates:window_job", args=[job.pk])).status_code == 404


def test_it_requests_through_the_page_and_downloads_an_audited_roster(client, django_capture_on_commit_callbacks):
    city, _ = city_with_applications(count=1)
    client.force_login(city.city_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates:window_document_request"),
            {"kind": "roster", "window_name": WINDOW, "level": "assistant"},
        )
    job = DocumentJob.objects.get(kind="roster")
    assert response.status_code == 302 and response.url == reverse("certificates:window_job", args=[job.pk])
    status = client.get(reverse("certificates:window_job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["download_url"]
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert rows_of(b"".join(download.streaming_content))[3][1] == city.applicant.full_name
    assert AuditEvent.objects.filter(action="window_document_downloaded", target_id=str(job.pk)).exists()
