"""Service accounts (issue 16 "a tenant admin for a service account of the tenant"): a tenant admin
names a program of the tenant with the role and organisation whose remit it acts in, creates its
tokens (the secret shown once) and revokes them; the program can never log in through the login
form, every call with its token is audited with the token's and the account's names, its calls
stay inside the tenant, and a tenant admin of another tenant gets 404 for it."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.backends import IdNumberOrUsernameBackend
from accounts.models import ApiToken, Role, TokenScope, User
from accounts.service_accounts import service_account_create, service_account_deactivate, service_accounts_for
from accounts.tokens import token_create, token_revoke
from core.models import AuditEvent
from tests.factories import UserFactory
from tests.review.helpers import build_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = build_city()
    city.admin = UserFactory(role=Role.TENANT_ADMIN, organisation=city.city)
    return city


@pytest.fixture
def other():
    other = build_city("xuchang", "许昌市")
    other.admin = UserFactory(role=Role.TENANT_ADMIN, organisation=other.city)
    return other


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def statistics_program(city, role=Role.CITY_REVIEWER, organisation=None) -> User:
    return service_account_create(
        actor=city.admin, name="郑州月报程序", role=role, organisation_id=(organisation or city.city).pk
    )


def test_it_creates_a_service_account_of_the_admins_tenant_that_has_no_password(city):
    account = statistics_program(city)
    assert account.is_service_account and account.tenant == city.tenant and account.organisation == city.city
    assert account.role == Role.CITY_REVIEWER and account.full_name == "郑州月报程序"
    assert not account.has_usable_password()
    event = AuditEvent.objects.get(action="service_account_created", target_id=str(account.pk))
    assert event.actor == city.admin and event.detail["name"] == "郑州月报程序"
    assert list(service_accounts_for(city.admin)) == [account]


def test_a_unit_service_account_acts_for_its_unit(city):
    account = service_account_create(
        actor=city.admin, name="人事系统", role=Role.UNIT_HANDLER, organisation_id=city.unit.pk
    )
    assert account.has_perm("units.manage_unit", city.unit)


def test_it_refuses_a_bad_service_account_naming_each_field(city, other):
    with pytest.raises(ValidationError) as error:
        service_account_create(actor=city.admin, name="", role="applicant", organisation_id=other.city.pk)
    fields = error.value.message_dict
    assert "请填写服务账号名称" in fields["name"][0]
    assert "请选择服务账号的角色" in fields["role"][0]
    assert "请选择本地区的一个机构" in fields["organisation"][0]  # another tenant's bureau is not offered
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        service_account_create(actor=city.admin, name="x" * 61, role=Role.CITY_REVIEWER, organisation_id=city.unit.pk)
    fields = error.value.message_dict
    assert "不能超过60字" in fields["name"][0] and "须属于市人社局" in fields["organisation"][0]
    statistics_program(city)
    with pytest.raises(ValidationError, match="同名"):
        statistics_program(city)


def test_only_a_tenant_admin_creates_service_accounts(city):
    with pytest.raises(PermissionDenied):
        service_account_create(actor=city.city_reviewer, name="程序", role=Role.CITY_REVIEWER,
                               organisation_id=city.city.pk)


def test_a_service_account_can_never_log_in_through_the_login_form(client, city):
    account = statistics_program(city)
    account.set_password("Zhicheng@2026")  # even were a password set on it
    account.save()
    backend = IdNumberOrUsernameBackend()
    assert backend.authenticate(None, username=account.username, password="Zhicheng@2026") is None
    response = client.post(reverse("accounts:login"), {"username": account.username, "password": "Zhicheng@2026"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    client.force_login(account)  # nor is a session of it honoured
    assert client.get(reverse("dashboard")).status_code == 302


def test_its_token_call_is_audited_with_the_tokens_and_the_accounts_names(client, city):
    account = statistics_program(city)
    created = token_create(
        actor=city.admin, owner=account, name="月度统计", scopes=[TokenScope.READ_APPLICATIONS], days=30
    )
    assert created.token.user == account and created.token.created_by == city.admin
    response = client.get("/api/v1/review/statistics.xlsx", **bearer(created.secret))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="api_token_call", target_id=str(created.token.pk))
    assert event.detail["token"] == "月度统计" and event.detail["account"] == "郑州月报程序"
    assert event.detail["service_account"] is True and event.actor == account
    assert event.tenant_id == city.tenant.pk


def test_its_token_is_scoped_to_the_tenant_and_refused_outside_it(client, city, other):
    """A service account acting as the tenant's admin reads its own tenant's windows and gets 404 for
    another tenant's; a certificate batch of another tenant is 404 to it too."""
    account = service_account_create(
        actor=city.admin, name="省平台交换", role=Role.TENANT_ADMIN, organisation_id=city.city.pk
    )
    created = token_create(
        actor=city.admin,
        owner=account,
        name="交换",
        scopes=[TokenScope.READ_APPLICATIONS, TokenScope.ISSUE_CERTIFICATES],
        days=30,
    )
    assert client.get("/api/v1/tenants/zhengzhou/windows/", **bearer(created.secret)).status_code == 200
    assert client.get("/api/v1/tenants/xuchang/windows/", **bearer(created.secret)).status_code == 404
    foreign = token_create(actor=other.city_reviewer, name="许昌", scopes=[TokenScope.ISSUE_CERTIFICATES], days=30)
    pk = client.post(
        "/api/v1/certificates/batches/", {}, content_type="application/json", **bearer(foreign.secret)
    ).json()["id"]
    assert client.get(f"/api/v1/certificates/batches/{pk}/", **bearer(created.secret)).status_code == 404


def test_a_revoked_token_and_a_deactivated_account_are_refused(client, city):
    account = statistics_program(city)
    first = token_create(actor=city.admin, owner=account, name="一", scopes=[TokenScope.READ_APPLICATIONS], days=30)
    second = token_create(actor=city.admin, owner=account, name="二", scopes=[TokenScope.READ_APPLICATIONS], days=30)
    token_revoke(actor=city.admin, token=first.token)
    assert "已撤销" in client.get("/api/v1/me/", **bearer(first.secret)).json()["detail"]
    assert client.get("/api/v1/me/", **bearer(second.secret)).status_code == 200
    service_account_deactivate(actor=city.admin, account=account)
    assert client.get("/api/v1/me/", **bearer(second.secret)).status_code in (401, 403)
    assert not ApiToken.objects.filter(user=account, revoked_at__isnull=True).exists()


def test_another_tenants_admin_can_neither_see_nor_touch_it(client, city, other):
    account = statistics_program(city)
    created = token_create(actor=city.admin, owner=account, name="月度", scopes=[TokenScope.READ_APPLICATIONS], days=30)
    with pytest.raises(PermissionDenied):
        token_create(actor=other.admin, owner=account, name="偷", scopes=[TokenScope.READ_APPLICATIONS], days=30)
    with pytest.raises(PermissionDenied):
        token_revoke(actor=other.admin, token=created.token)
    client.force_login(other.admin)
    assert "郑州月报程序" not in client.get(reverse("accounts:service_accounts")).content.decode()
    for url in (
        reverse("accounts:service_account", kwargs={"pk": account.pk}),
        reverse("accounts:service_account_deactivate", kwargs={"pk": account.pk}),
        reverse("accounts:service_account_token_revoke", kwargs={"pk": account.pk, "token_pk": created.token.pk}),
    ):
        assert client.post(url).status_code == 404
    assert ApiToken.objects.get(pk=created.token.pk).revoked_at is None
    assert User.objects.get(pk=account.pk).is_active


def test_the_pages_create_an_account_show_its_secret_once_and_revoke_it(client, city):
    client.force_login(city.admin)
    home = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("accounts:service_accounts")}"' in home
    page = client.get(reverse("accounts:service_accounts")).content.decode()
    assert "新建服务账号" in page and city.city.name in page
    response = client.post(
        reverse("accounts:service_accounts"),
        {"name": "人事系统", "role": Role.UNIT_HANDLER, "organisation": str(city.unit.pk)},
    )
    account = User.objects.get(is_service_account=True, full_name="人事系统")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:service_account", args=[account.pk])
    created = client.post(
        reverse("accounts:service_account", args=[account.pk]),
        {"name": "人员同步", "scopes": ["applications:read"], "days": "30"},
    ).content.decode()
    secret = re.search(r'id="new-token">(zc_[^<]+)<', created).group(1)
    token = ApiToken.objects.get(user=account, name="人员同步")
    detail = client.get(reverse("accounts:service_account", args=[account.pk])).content.decode()
    assert secret not in detail and "人员同步" in detail and "onclick" not in detail
    assert client.get("/api/v1/me/", **bearer(secret)).status_code == 200
    client.post(reverse("accounts:service_account_token_revoke", args=[account.pk, token.pk]))
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert "人事系统" in client.get(reverse("accounts:service_accounts")).content.decode()


def test_the_page_refuses_a_bad_account_in_chinese_naming_each_field(client, city):
    client.force_login(city.admin)
    response = client.post(reverse("accounts:service_accounts"), {"name": "", "role": "", "organisation": ""})
    text = response.content.decode()
    assert response.status_code == 200
    assert "请填写服务账号名称" in text and "请选择服务账号的角色" in text and "请选择本地区的一个机构" in text
    assert not User.objects.filter(is_service_account=True).exists()


def test_only_tenant_admins_reach_the_pages(client, city):
    client.force_login(city.city_reviewer)
    assert client.get(reverse("accounts:service_accounts")).status_code == 404


def test_service_accounts_stay_out_of_the_tenant_document_and_the_two_factor_list(client, city):
    from units.tenant_documents import tenant_export

    account = statistics_program(city)
    assert account.username not in {person["username"] for person in tenant_export(tenant=city.tenant)["staff"]}
    client.force_login(city.admin)
    assert "郑州月报程序" not in client.get(reverse("accounts:two_factor_staff")).content.decode()
