"""Demo data: the six tenants of the policy documents, their bureaus, departments and units of
every kind, and one user per role per tenant. Loading twice changes nothing."""

from __future__ import annotations

import hashlib
import json
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from guardian.shortcuts import assign_perm

from accounts.models import UNIT_ROLES, PersonnelNature, Role, User
from core.idnumbers import credit_check_char, id_check_char
from units.models import District, Organisation, Tenant
from units.tenant_documents import tenant_apply

DEMO_STAFF_PASSWORD = "Zhicheng@2026"


# The seeded tenants are data (tenants/<code>.json), applied through the same ``tenant_apply`` a
# new city takes; the demo adds only people (staff, applicants, experts) and a pending registration.
TENANT_DOCUMENTS = Path(__file__).resolve().parent.parent / "tenants"


def tenant_documents() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(TENANT_DOCUMENTS.glob("*.json"))]


APPLICANT_NAMES = {
    "zhengzhou": "张明远",
    "xuchang": "李晓燕",
    "tangshan": "王建国",
    "kunming-panlong": "赵丽华",
    "huzhou": "陈思琪",
    "bingtuan-division": "马玉龙",
}


def demo_credit_code(prefix: str, region: str, seed: str) -> str:
    digits = str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[:8]
    body = f"{prefix}{region}{digits}0"
    return body + credit_check_char(body)


def demo_id_number(region: str, birth: str, sequence: str) -> str:
    first17 = f"{region}{birth}{sequence}"
    return first17 + id_check_char(first17)


def _org(tenant, kind, name, **fields) -> Organisation:
    org, _ = Organisation.objects.get_or_create(tenant=tenant, kind=kind, name=name, defaults=fields)
    return org


def _staff(tenant, org, role, username, full_name, password_hash: str) -> tuple[User, bool]:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    # One hash for every demo staff account: hashing ~70 passwords one by one takes ~25 s.
    user = User.objects.create(
        username=username, password=password_hash, full_name=full_name, role=role, tenant=tenant, organisation=org
    )
    if role in UNIT_ROLES and org.is_approved:
        assign_perm("units.manage_unit", user, org)
    return user, True


@transaction.atomic
def load_demo() -> list[dict[str, str]]:
    """Create (or find) the demo data and return the demo logins."""
    logins: list[dict[str, str]] = []
    password_hash = make_password(DEMO_STAFF_PASSWORD)
    documents = {document["code"]: document for document in tenant_documents()}
    for code in APPLICANT_NAMES:
        tenant = tenant_apply(document=documents[code], note="随平台提供的租户文档").tenant
        org = {o.key: o for o in Organisation.objects.filter(tenant=tenant).exclude(key="")}
        school, private, soe, city, education = org["school"], org["private"], org["soe"], org["city"], org["edu"]
        first_district = District.objects.filter(tenant=tenant).order_by("code").first()
        county_or_city = (
            Organisation.objects.filter(tenant=tenant, kind=Organisation.Kind.COUNTY_BUREAU, district=first_district)
            .first()
            if first_district
            else None
        ) or city
        # A unit whose registration waits for its managing authority (谁创建谁管理): demo data, not the city's.
        pending = _org(
            tenant,
            Organisation.Kind.UNIT,
            f"{tenant.name}新锐信息技术有限公司",
            unit_kind=Organisation.UnitKind.NON_PUBLIC,
            district=first_district,
            managed_by=county_or_city,
            status=Organisation.Status.PENDING,
            contact_name="周敏",
            contact_phone="13800000000",
            credit_code=demo_credit_code("91", tenant.region_code, tenant.code + "pending"),
        )

        staff = [
            (Role.UNIT_HANDLER, school, "unit-handler", "单位经办人"),
            (Role.UNIT_HEAD, school, "unit-head", "单位负责人"),
            (Role.UNIT_HANDLER, private, "private-handler", "非公单位经办人"),
            (Role.UNIT_HANDLER, pending, "pending-handler", "待审单位经办人"),
            (Role.DEPARTMENT_REVIEWER, education, "department", "主管部门审核人"),
            (Role.COUNTY_REVIEWER, county_or_city, "county", "县区人社审核人"),
            (Role.CITY_REVIEWER, city, "city", "市人社审核人"),
            (Role.COMMITTEE_SECRETARY, city, "secretary", "评委会秘书"),
            (Role.EXPERT, soe, "expert", "评审专家"),
            (Role.TENANT_ADMIN, city, "admin", "市人社局管理员"),
        ]
        for role, org, suffix, label in staff:
            user, _ = _staff(tenant, org, role, f"{tenant.code}-{suffix}", f"{tenant.name}{label}", password_hash)
            logins.append(
                {
                    "tenant": tenant.name,
                    "role": str(Role(role).label),
                    "login": user.username,
                    "password": DEMO_STAFF_PASSWORD,
                }
            )
        if apps.is_installed("committees"):  # the experts are the committees app's demo people
            logins.extend(import_module("committees.demo").load_committee_demo(tenant, password_hash))

        id_number = demo_id_number(tenant.region_code, "19900315", "021")
        applicant = User.objects.filter(organisation=school, role=Role.APPLICANT).order_by("id").first()
        if applicant is None:
            applicant = User(
                full_name=APPLICANT_NAMES[tenant.code],
                role=Role.APPLICANT,
                tenant=tenant,
                organisation=school,
                personnel_nature=PersonnelNature.ESTABLISHED,
                phone="13900000000",
                must_change_password=True,
            )
            applicant.set_id_number(id_number)
            applicant.set_password(
                id_number[-6:] if tenant.initial_password == Tenant.InitialPassword.ID_LAST_SIX else "Chushi@2026"
            )
            applicant.save()
        initial = id_number[-6:] if tenant.initial_password == Tenant.InitialPassword.ID_LAST_SIX else "Chushi@2026"
        logins.append(
            {
                "tenant": tenant.name,
                "role": str(Role.APPLICANT.label),
                "login": id_number,
                "password": f"{initial}（初始密码，首次登录须修改）",
            }
        )

    admin, _ = User.objects.get_or_create(
        username="platform-admin", defaults={"full_name": "平台管理员", "role": Role.PLATFORM_ADMIN}
    )
    if not admin.password or not admin.has_usable_password():
        admin.set_password(DEMO_STAFF_PASSWORD)
        admin.save(update_fields=["password"])
    logins.append(
        {
            "tenant": "全平台",
            "role": str(Role.PLATFORM_ADMIN.label),
            "login": "platform-admin",
            "password": DEMO_STAFF_PASSWORD,
        }
    )
    return logins
