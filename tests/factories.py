"""factory_boy factories with traits for organisation kinds and roles."""

from __future__ import annotations

import itertools
from pathlib import Path

import factory
from guardian.shortcuts import assign_perm

from accounts.models import PersonnelNature, Role, User
from core import crypto
from core.idnumbers import credit_check_char, document_type, id_check_char, mask_id_number, nationality_from_id
from units.models import District, Organisation, Tenant

_serial = itertools.count(1)


def make_id_number(region: str = "410105", birth: str = "19900315") -> str:
    first17 = f"{region}{birth}{next(_serial) % 1000:03d}"
    return first17 + id_check_char(first17)


def make_credit_code(prefix: str = "91", region: str = "410100") -> str:
    first17 = f"{prefix}{region}{next(_serial):08d}0"
    return first17 + credit_check_char(first17)


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"city{n}")
    name = factory.Sequence(lambda n: f"测试市{n}")
    province = "河南省"
    authority_name = factory.LazyAttribute(lambda t: f"{t.name}人力资源和社会保障局")
    region_code = "410100"
    # A factory tenant with a seeded tenant's code gets that document's settings (forms, fees,
    # dossier order, roster, notice), as the code-keyed tables used to give it; chain and windows stay
    # the defaults unless a test applies the document itself.
    settings = factory.LazyAttribute(lambda t: shipped_settings(t.code))


def shipped_settings(code: str) -> dict:
    import json

    from units.tenant_settings import COLUMN_SETTINGS

    path = Path(__file__).resolve().parent.parent / "tenants" / f"{code}.json"
    if not path.exists():
        return {}
    settings = json.loads(path.read_text(encoding="utf-8")).get("settings", {})
    return {name: value for name, value in settings.items() if name not in COLUMN_SETTINGS}


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    tenant = factory.SubFactory(TenantFactory)
    code = factory.Sequence(lambda n: f"4101{n % 100:02d}")
    name = factory.Sequence(lambda n: f"测试区{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    tenant = factory.SubFactory(TenantFactory)
    kind = Organisation.Kind.UNIT
    name = factory.Sequence(lambda n: f"测试单位{n}")
    unit_kind = Organisation.UnitKind.NON_PUBLIC
    credit_code = factory.LazyFunction(make_credit_code)
    status = Organisation.Status.APPROVED

    class Params:
        city_bureau = factory.Trait(kind=Organisation.Kind.CITY_BUREAU, unit_kind="", credit_code="")
        county_bureau = factory.Trait(kind=Organisation.Kind.COUNTY_BUREAU, unit_kind="", credit_code="")
        department = factory.Trait(kind=Organisation.Kind.DEPARTMENT, unit_kind="")
        pending = factory.Trait(status=Organisation.Status.PENDING)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    full_name = factory.Sequence(lambda n: f"工作人员{n}")
    role = Role.UNIT_HANDLER
    organisation = factory.SubFactory(OrganisationFactory)
    tenant = factory.SelfAttribute("organisation.tenant")
    password = factory.django.Password("Zhicheng@2026")

    @factory.post_generation
    def unit_grant(self, create, extracted, **kwargs):
        if create and self.role in (Role.UNIT_HANDLER, Role.UNIT_HEAD) and self.organisation.is_approved:
            assign_perm("units.manage_unit", self, self.organisation)


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = None
    full_name = factory.Sequence(lambda n: f"申报人{n}")
    role = Role.APPLICANT
    organisation = factory.SubFactory(OrganisationFactory)
    tenant = factory.SelfAttribute("organisation.tenant")
    personnel_nature = PersonnelNature.ESTABLISHED
    password = factory.django.Password("Shenbao@2026")
    id_number_encrypted = factory.LazyAttribute(lambda o: crypto.encrypt(o.number))
    id_number_digest = factory.LazyAttribute(lambda o: crypto.digest(o.number))
    id_number_masked = factory.LazyAttribute(lambda o: mask_id_number(o.number))
    id_document_type = factory.LazyAttribute(lambda o: document_type(o.number))
    nationality = factory.LazyAttribute(lambda o: nationality_from_id(o.number))

    class Params:
        number = factory.LazyFunction(make_id_number)
