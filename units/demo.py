"""Demo data: the six tenants of the policy documents, their bureaus, departments and units of
every kind, and one user per role per tenant. Loading twice changes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from guardian.shortcuts import assign_perm

from accounts.models import UNIT_ROLES, PersonnelNature, Role, User
from core.idnumbers import credit_check_char, id_check_char
from units.models import District, Organisation, Tenant

DEMO_STAFF_PASSWORD = "Zhicheng@2026"


@dataclass(frozen=True)
class TenantSeed:
    code: str
    name: str
    province: str
    authority: str
    region: str
    districts: tuple[tuple[str, str], ...]
    settings: dict


TENANTS = (
    TenantSeed(
        "zhengzhou",
        "郑州市",
        "河南省",
        "郑州市人力资源和社会保障局",
        "410100",
        (("410102", "中原区"), ("410103", "二七区"), ("410105", "金水区"), ("410184", "新郑市")),
        {"publicity_working_days": 5, "fraud_ban_years": 3},
    ),
    TenantSeed(
        "xuchang",
        "许昌市",
        "河南省",
        "许昌市职称改革领导小组办公室",
        "411000",
        (("411002", "魏都区"), ("411003", "建安区"), ("411081", "禹州市"), ("411082", "长葛市")),
        {"publicity_working_days": 5, "fraud_ban_years": 3},
    ),
    TenantSeed(
        "tangshan",
        "唐山市",
        "河北省",
        "唐山市人力资源和社会保障局",
        "130200",
        (("130202", "路南区"), ("130203", "路北区"), ("130283", "迁安市")),
        # 002 第七条: 考核小组不少于7人, 量化赋分、排序、公示后推荐 (review/procedure.py).
        {"review_group_min_size": 7, "publicity_working_days": 5, "fraud_ban_years": 2,
         "unit_procedure_required": True},
    ),
    TenantSeed(
        "kunming-panlong",
        "昆明市盘龙区",
        "云南省",
        "昆明市盘龙区人力资源和社会保障局",
        "530103",
        (),
        {"max_returns_per_year": 3, "publicity_working_days": 5, "fraud_ban_years": 3},
    ),
    TenantSeed(
        "huzhou",
        "湖州市",
        "浙江省",
        "湖州市人力资源和社会保障局",
        "330500",
        (("330502", "吴兴区"), ("330503", "南浔区"), ("330521", "德清县"), ("330522", "长兴县"), ("330523", "安吉县")),
        {"initial_password": Tenant.InitialPassword.SET_BY_UNIT, "publicity_working_days": 5, "fraud_ban_years": 3},
    ),
    TenantSeed(
        "bingtuan-division",
        "新疆生产建设兵团第八师",
        "新疆生产建设兵团",
        "第八师人力资源和社会保障局",
        "659001",
        (("659001", "石河子市"),),
        {"publicity_working_days": 5, "fraud_ban_years": 3},
    ),
)

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
    for seed in TENANTS:
        tenant, _ = Tenant.objects.get_or_create(
            code=seed.code,
            defaults={
                "name": seed.name,
                "province": seed.province,
                "authority_name": seed.authority,
                "region_code": seed.region,
                **seed.settings,
            },
        )
        districts = [
            District.objects.get_or_create(tenant=tenant, code=code, defaults={"name": name})[0]
            for code, name in seed.districts
        ]
        city = _org(tenant, Organisation.Kind.CITY_BUREAU, seed.authority)
        counties = [
            _org(tenant, Organisation.Kind.COUNTY_BUREAU, f"{d.name}人力资源和社会保障局", district=d)
            for d in districts
        ]
        education = _org(
            tenant,
            Organisation.Kind.DEPARTMENT,
            f"{seed.name}教育局",
            credit_code=demo_credit_code("11", seed.region, seed.code + "edu"),
        )
        health = _org(
            tenant,
            Organisation.Kind.DEPARTMENT,
            f"{seed.name}卫生健康委员会",
            credit_code=demo_credit_code("11", seed.region, seed.code + "health"),
        )
        industry = _org(
            tenant,
            Organisation.Kind.DEPARTMENT,
            f"{seed.name}工业和信息化局",
            credit_code=demo_credit_code("11", seed.region, seed.code + "industry"),
        )
        first_district = districts[0] if districts else None
        county_or_city = counties[0] if counties else city
        school = _org(
            tenant,
            Organisation.Kind.UNIT,
            f"{seed.name}第一中学",
            unit_kind=Organisation.UnitKind.PUBLIC_INSTITUTION,
            competent_department=education,
            managed_by=education,
            credit_code=demo_credit_code("12", seed.region, seed.code + "school"),
        )
        _org(
            tenant,
            Organisation.Kind.UNIT,
            f"{seed.name}人民医院",
            unit_kind=Organisation.UnitKind.PUBLIC_INSTITUTION,
            competent_department=health,
            managed_by=health,
            district=first_district,
            credit_code=demo_credit_code("12", seed.region, seed.code + "hospital"),
        )
        soe = _org(
            tenant,
            Organisation.Kind.UNIT,
            f"{seed.name}建设投资集团有限公司",
            unit_kind=Organisation.UnitKind.STATE_OWNED,
            competent_department=industry,
            managed_by=industry,
            credit_code=demo_credit_code("91", seed.region, seed.code + "soe"),
        )
        private = _org(
            tenant,
            Organisation.Kind.UNIT,
            f"{seed.name}智远科技有限公司",
            unit_kind=Organisation.UnitKind.NON_PUBLIC,
            district=first_district,
            managed_by=county_or_city,
            credit_code=demo_credit_code("91", seed.region, seed.code + "private"),
        )
        _org(
            tenant,
            Organisation.Kind.UNIT,
            f"{seed.name}软件行业协会",
            unit_kind=Organisation.UnitKind.SOCIAL_ORG,
            district=first_district,
            managed_by=county_or_city,
            credit_code=demo_credit_code("51", seed.region, seed.code + "assoc"),
        )
        pending = _org(
            tenant,
            Organisation.Kind.UNIT,
            f"{seed.name}新锐信息技术有限公司",
            unit_kind=Organisation.UnitKind.NON_PUBLIC,
            district=first_district,
            managed_by=county_or_city,
            status=Organisation.Status.PENDING,
            contact_name="周敏",
            contact_phone="13800000000",
            credit_code=demo_credit_code("91", seed.region, seed.code + "pending"),
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
            user, _ = _staff(tenant, org, role, f"{seed.code}-{suffix}", f"{seed.name}{label}", password_hash)
            logins.append(
                {
                    "tenant": seed.name,
                    "role": str(Role(role).label),
                    "login": user.username,
                    "password": DEMO_STAFF_PASSWORD,
                }
            )
        __import__("django.apps").apps.apps.is_installed("committees") and __import__("committees.demo").demo.load_committee_demo(tenant, password_hash)  # noqa: E501

        id_number = demo_id_number(seed.region, "19900315", "021")
        applicant = User.objects.filter(organisation=school, role=Role.APPLICANT).order_by("id").first()
        if applicant is None:
            applicant = User(
                full_name=APPLICANT_NAMES[seed.code],
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
                "tenant": seed.name,
                "role": str(Role.APPLICANT.label),
                "login": id_number,
                "password": f"{initial}（初始密码，首次登录须修改）",
            }
        )

    admin, _ = User.objects.get_or_create(
        username="platform-admin", defaults={"full_name": "平台管理员", "role": Role.PLATFORM_ADMIN}
    )
    if not admin.has_usable_password():
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
