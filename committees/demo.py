"""Demo committees and expert pools, one set per demo tenant; called from ``units.demo.load_demo``.

Idempotent: a second run finds what the first created. Sources: 001_272b0a6ee81b04e4.txt 六(一)
(许昌市中小学教师副高级职称评审委员会) and 五(三) (专家库: 中青年 and 市外 experts).
"""

from __future__ import annotations

from datetime import date

from accounts.models import Role, User
from committees.models import Committee, Expert
from units.models import Organisation, Tenant

EXTRA_EXPERTS = (
    ("expert-2", "评审专家（青年）", date(1988, 3, 1), False),
    ("expert-3", "评审专家（市外）", date(1975, 9, 1), True),
)


def load_committee_demo(tenant: Tenant, password_hash: str) -> list[dict[str, str]]:
    """Create (or find) the tenant's demo committees and pool; return the extra expert logins
    (``<tenant>-expert-2``, ``<tenant>-expert-3``) in the shape of ``units.demo.load_demo``'s."""
    from units.demo import DEMO_STAFF_PASSWORD

    logins: list[dict[str, str]] = []
    committee, _ = Committee.objects.get_or_create(
        tenant=tenant,
        name=f"{tenant.name}工程系列中级职称评审委员会",
        defaults={
            "series": ["engineering"],
            "levels": ["intermediate", "associate_senior"],
            "host": Organisation.objects.filter(tenant=tenant, kind=Organisation.Kind.CITY_BUREAU).first(),
            "filing_number": "演示备案〔2026〕1号",
        },
    )
    if tenant.code == "xuchang":
        Committee.objects.get_or_create(
            tenant=tenant,
            name="许昌市中小学教师副高级职称评审委员会",
            defaults={"series": ["school_teacher"], "levels": ["associate_senior"]},
        )
    first = User.objects.filter(username=f"{tenant.code}-expert").first()
    people = [(first, "评审专家", date(1972, 6, 1), False)] if first else []
    for suffix, label, birth, external in EXTRA_EXPERTS:
        user, _ = User.objects.get_or_create(
            username=f"{tenant.code}-{suffix}",
            defaults={"password": password_hash, "full_name": f"{tenant.name}{label}", "role": Role.EXPERT,
                      "tenant": tenant, "organisation": first.organisation if first and not external else None},
        )
        people.append((user, label, birth, external))
        logins.append({"tenant": tenant.name, "role": str(Role.EXPERT.label), "login": user.username,
                       "password": DEMO_STAFF_PASSWORD})
    for user, _label, birth, external in people:
        expert, _ = Expert.objects.get_or_create(
            user=user,
            defaults={
                "tenant": tenant, "series": "engineering", "specialty": "土木工程", "title_name": "正高级工程师",
                "unit": None if external else user.organisation,
                "unit_name": "外市设计研究院" if external else (user.organisation.name if user.organisation else ""),
                "is_external": external, "birth_date": birth,
            },
        )
        expert.committees.add(committee)
    return logins
