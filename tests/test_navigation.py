"""The main navigation (issue 18: worked out once per role, tenant and language instead of some forty
template comparisons a page): each role sees its own links, and the one tenant-specific link (地区配置)
never points a tenant's admin at another tenant's pages, whichever tenant's admin was served first."""

from __future__ import annotations

import re

import pytest

from accounts.models import Role
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav aria-label="主导航">(.*?)</nav>', re.S)


def nav_of(client, user) -> str:
    client.force_login(user)
    page = client.get("/notifications/")
    assert page.status_code == 200
    return NAV.search(page.content.decode()).group(1)


def test_each_role_sees_its_own_links(client):
    applicant_nav = nav_of(client, UserFactory(role=Role.APPLICANT))
    assert "我的申报" in applicant_nav and "我的证书" in applicant_nav
    assert "申报审核" not in applicant_nav and "地区配置" not in applicant_nav

    unit_nav = nav_of(client, UserFactory(role=Role.UNIT_HANDLER))
    labels = re.findall(r">([^<>]+)</a>", unit_nav)
    assert labels[:5] == ["首页", "申报人员", "业绩审核", "申报审核", "本单位"]
    assert "诚信档案" not in unit_nav

    county = OrganisationFactory(county_bureau=True)
    county_nav = nav_of(client, UserFactory(role=Role.COUNTY_REVIEWER, organisation=county))
    assert "诚信档案" in county_nav and "申诉复查" not in county_nav and "证书" not in county_nav


def test_a_tenant_admin_is_linked_to_their_own_tenant_only(client):
    first = UserFactory(role=Role.TENANT_ADMIN, organisation=OrganisationFactory(city_bureau=True))
    second = UserFactory(role=Role.TENANT_ADMIN, organisation=OrganisationFactory(city_bureau=True))
    assert first.tenant.code != second.tenant.code
    for admin, other in ((first, second), (second, first), (first, second)):
        nav = nav_of(client, admin)
        assert f"/{admin.tenant.code}/" in nav and "地区配置" in nav
        assert f"/{other.tenant.code}/" not in nav
