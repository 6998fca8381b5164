"""API tokens for programs (issue 16): a staff user creates a named, scoped token with an expiry
and sees it once; a program calls the bureau's operations with it; a call out of scope, to an
endpoint that takes no tokens, or after revocation is refused; every call is audited with the
token's name; the secret is stored only as a digest and never reaches a log line."""

from __future__ import annotations

import io
import logging
import re
import shlex
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import ApiToken, Role, TokenScope
from accounts.tokens import token_create, token_revoke
from certificates.models import CertificateBatch
from core.models import AuditEvent
from tests.factories import UserFactory
from tests.review.helpers import build_city

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def city():
    return build_city()


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_creates_a_token_on_the_page_and_shows_its_secret_only_once(client, city):
    client.force_login(city.city_reviewer)
    page = client.get(reverse("accounts:api_tokens"))
    assert page.status_code == 200 and "新建令牌" in page.content.decode()
    response = client.post(
        reverse("accounts:api_tokens"), {"name": "统计程序", "scopes": ["applications:read"], "days": "30"}
    )
    secret = re.search(r'id="new-token">(zc_[^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(name="统计程序")
    assert token.scopes == ["applications:read"] and token.user == city.city_reviewer
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().first())  # only a digest is kept
    assert secret not in client.get(reverse("accounts:api_tokens")).content.decode()  # never shown again
    assert AuditEvent.objects.filter(action="api_token_created", target_id=str(token.pk)).exists()


def test_it_refuses_a_bad_token_request_naming_each_field(client, city):
    client.force_login(city.city_reviewer)
    response = client.post(reverse("accounts:api_tokens"), {"name": "", "days": "999"}).content.decode()
    assert "请填写令牌名称" in response and "请至少选择一项权限范围" in response and "有效期须为1至366天" in response
    assert not ApiToken.objects.exists()


def test_it_calls_three_bureau_operations_with_a_token_and_audits_each_by_name(
    client, city, django_capture_on_commit_callbacks
):
    created = token_create(
        actor=city.city_reviewer,
        name="省平台交换",
        scopes=[TokenScope.READ_APPLICATIONS, TokenScope.ISSUE_CERTIFICATES],
        days=30,
    )
    queue = client.get("/api/v1/review/queue.xlsx", **bearer(created.secret))
    assert queue.status_code == 200
    assert load_workbook(io.BytesIO(queue.content)).active.max_row >= 1
    stats = client.get("/api/v1/review/statistics.xlsx", **bearer(created.secret))
    assert stats.status_code == 200 and "filename*=UTF-8''" in stats["Content-Disposition"]
    with django_capture_on_commit_callbacks(execute=True):
        batch = client.post(
            "/api/v1/certificates/batches/", {}, content_type="application/json", **bearer(created.secret)
        )
    assert batch.status_code == 202, batch.content
    assert CertificateBatch.objects.get(pk=batch.json()["id"]).requested_by == city.city_reviewer
    progress = client.get(f"/api/v1/certificates/batches/{batch.json()['id']}/", **bearer(created.secret))
    assert progress.json()["finished"] is True
    calls = AuditEvent.objects.filter(action="api_token_call", target_id=str(created.token.pk))
    assert calls.count() == 4 and {event.detail["token"] for event in calls} == {"省平台交换"}
    assert all(event.detail["allowed"] for event in calls)
    assert AuditEvent.objects.filter(action="certificate_batch_requested", actor=city.city_reviewer).exists()


def test_it_refuses_a_call_out_of_the_tokens_scope(client, city):
    created = token_create(actor=city.city_reviewer, name="只读", scopes=[TokenScope.READ_APPLICATIONS], days=30)
    refused = client.post(
        "/api/v1/certificates/batches/", {}, content_type="application/json", **bearer(created.secret)
    )
    assert refused.status_code == 403
    assert "没有“发放、撤销、补发换发证书与收费”权限" in refused.json()["detail"]
    assert not CertificateBatch.objects.exists()
    event = AuditEvent.objects.filter(action="api_token_call").latest("id")
    assert event.detail["allowed"] is False and event.detail["path"] == "/api/v1/certificates/batches/"


def test_it_refuses_tokens_where_the_table_names_no_scope(client, city):
    created = token_create(actor=city.handler, name="全部权限", scopes=list(TokenScope.values), days=30)
    refused = client.post(
        "/api/v1/applications/",
        {"series": "engineering", "level": "assistant"},
        content_type="application/json",
        **bearer(created.secret),
    )
    assert refused.status_code == 403 and "不接受接口令牌" in refused.json()["detail"]


def test_it_refuses_a_token_after_revocation_and_after_expiry(client, city):
    created = token_create(actor=city.city_reviewer, name="将撤销", scopes=[TokenScope.READ_APPLICATIONS], days=30)
    assert client.get("/api/v1/me/", **bearer(created.secret)).status_code == 200
    token_revoke(actor=city.city_reviewer, token=created.token)
    revoked = client.get("/api/v1/me/", **bearer(created.secret))
    assert revoked.status_code in (401, 403) and "已撤销" in revoked.json()["detail"]
    other = token_create(actor=city.city_reviewer, name="将过期", scopes=[TokenScope.READ_APPLICATIONS], days=1)
    ApiToken.objects.filter(pk=other.token.pk).update(expires_at="2020-01-01T00:00:00+08:00")
    assert "已过期" in client.get("/api/v1/me/", **bearer(other.secret)).json()["detail"]
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer zc_nonsense.abc").status_code in (401, 403)


def test_it_lets_only_the_owner_revoke_and_hides_other_peoples_tokens(client, city):
    created = token_create(actor=city.city_reviewer, name="别人的", scopes=[TokenScope.READ_APPLICATIONS], days=30)
    client.force_login(city.county_reviewer)
    assert client.post(reverse("accounts:api_token_revoke", kwargs={"pk": created.token.pk})).status_code == 404
    assert "别人的" not in client.get(reverse("accounts:api_tokens")).content.decode()
    applicant = city.applicant
    client.force_login(applicant)
    assert client.get(reverse("accounts:api_tokens")).status_code == 404


def test_it_keeps_token_secrets_out_of_log_lines(city, caplog):
    created = token_create(actor=city.city_reviewer, name="日志", scopes=[TokenScope.READ_APPLICATIONS], days=30)
    handler = logging.getLogger().handlers[0]
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Forbidden: %s (%s)",
        ("/api/v1/x/", f"Bearer {created.secret}"),
        None,
    )
    assert all(f.filter(record) for f in handler.filters)
    assert created.secret not in record.getMessage() and "zc_***" in record.getMessage()


def test_it_documents_token_auth_in_the_openapi_schema(client, city):
    client.force_login(city.city_reviewer)
    schema = client.get("/api/schema/?format=json").json()
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    assert "/api/v1/certificates/batches/" in schema["paths"] and "/api/v1/review/queue.xlsx" in schema["paths"]


def test_it_runs_the_readmes_curl_example(live_server, city):
    """The README's example, as written there, against a running server."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if line.strip().startswith("curl ") and "Bearer" in line)
    created = token_create(actor=city.city_reviewer, name="README", scopes=[TokenScope.READ_APPLICATIONS], days=1)
    words = shlex.split(line.replace("$ZC_TOKEN", created.secret).replace("http://127.0.0.1:8000", live_server.url))
    headers = dict(words[i + 1].split(": ", 1) for i, word in enumerate(words) if word == "-H")
    url = next(word for word in words if word.startswith("http"))
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        body = response.read().decode()
    assert response.status == 200 and city.city_reviewer.username in body


def test_it_gives_a_program_of_another_tenant_nothing(client, city):
    other = UserFactory(role=Role.CITY_REVIEWER, organisation=build_city("xuchang", "许昌市").city)
    created = token_create(actor=other, name="许昌", scopes=list(TokenScope.values), days=30)
    batch = token_create(actor=city.city_reviewer, name="郑州", scopes=[TokenScope.ISSUE_CERTIFICATES], days=30)
    pk = client.post(
        "/api/v1/certificates/batches/", {}, content_type="application/json", **bearer(batch.secret)
    ).json()["id"]
    assert client.get(f"/api/v1/certificates/batches/{pk}/", **bearer(created.secret)).status_code == 404


def test_it_reads_and_changes_the_tenants_windows_and_document_through_the_api(client):
    """Windows and the whole tenant document for programs, through tenant_apply (a new version)."""
    from tests.test_tenant_documents import luoyang
    from units.models import TenantVersion
    from units.tenant_documents import tenant_apply

    result = tenant_apply(document=luoyang())
    admin = result.tenant.users.get(username="luoyang-admin")
    created = token_create(actor=admin, name="批次维护", scopes=[TokenScope.MANAGE_TENANT], days=30)
    windows = client.get("/api/v1/tenants/luoyang/windows/", **bearer(created.secret))
    assert windows.status_code == 403  # reading windows is applications:read; this token manages only
    manage = token_create(
        actor=admin, name="全部", scopes=[TokenScope.MANAGE_TENANT, TokenScope.READ_APPLICATIONS], days=30
    )
    current = client.get("/api/v1/tenants/luoyang/windows/", **bearer(manage.secret)).json()
    assert [w["name"] for w in current] == ["市直单位初级职称申报", "2027年第一期"]
    bad = client.put(
        "/api/v1/tenants/luoyang/windows/",
        [{"name": "坏", "opens_at": "明天"}],
        content_type="application/json",
        **bearer(manage.secret),
    )
    assert bad.status_code == 400 and "windows[0]" in str(bad.json())
    changed = client.put(
        "/api/v1/tenants/luoyang/windows/", current[1:], content_type="application/json", **bearer(manage.secret)
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert TenantVersion.objects.filter(tenant=result.tenant).count() == 2
    document = client.get("/api/v1/tenants/luoyang/document/", **bearer(manage.secret)).json()
    assert document["code"] == "luoyang" and len(document["windows"]) == 1
    assert client.get("/api/v1/tenants/zhengzhou/document/", **bearer(manage.secret)).status_code == 404
