"""Foreign permanent residents and Hong Kong, Macao and Taiwan residents get applicant accounts by
their own document numbers, with the document type and nationality read from the number, and log in
with the number like a resident ID (001_272b0a6ee81b04e4.txt 一(二) 在内地就业的港澳台专业技术人员，
以及持有外国人永久居留证…的外籍人员; 二(三) 用户名为本人身份证号)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.backends import find_user_by_login
from accounts.models import Role, User
from tests.factories import ApplicantFactory, UserFactory
from tests.test_idnumbers import FOREIGN, HONG_KONG, MACAO, TAIWAN, with_check
from units import services as units

pytestmark = pytest.mark.django_db


def create(handler, number: str) -> User:
    return units.applicant_create(
        actor=handler, unit=handler.organisation, full_name="申报人", id_number=number, personnel_nature="established"
    )


@pytest.mark.parametrize(
    ("number", "kind", "label", "nationality", "nationality_label"),
    [
        (FOREIGN, "foreign_permanent_resident", "外国人永久居留身份证", "840", "美国"),
        (HONG_KONG, "hk_macao_residence", "港澳居民居住证", "156", "中国"),
        (MACAO, "hk_macao_residence", "港澳居民居住证", "156", "中国"),
        (TAIWAN, "taiwan_residence", "台湾居民居住证", "156", "中国"),
        (with_check("41010519900315001"), "resident_id", "身份证", "156", "中国"),
    ],
)
def test_it_creates_an_applicant_with_the_document_type_and_nationality_of_the_number(
    number, kind, label, nationality, nationality_label
):
    """001 一(二): the unit adds such a person like any other (001 二(二) 个人帐号创建)."""
    handler = UserFactory(role=Role.UNIT_HANDLER)
    person = create(handler, number)
    person.refresh_from_db()
    assert (person.id_document_type, person.get_id_document_type_display()) == (kind, label)
    assert (person.nationality, person.nationality_label) == (nationality, nationality_label)
    assert person.id_number_masked == number[:3] + "*" * 11 + number[-4:]


def test_it_refuses_an_invalid_residence_permit_number_naming_the_field():
    """001 一(二): a 居住证 number is checked like a resident ID (GB 11643 check character)."""
    handler = UserFactory(role=Role.UNIT_HANDLER)
    wrong = HONG_KONG[:17] + ("0" if HONG_KONG[17] != "0" else "1")
    with pytest.raises(ValidationError) as refused:
        create(handler, wrong)
    assert "第18位校验码" in refused.value.message_dict["id_number"][0]
    assert not User.objects.filter(role=Role.APPLICANT).exists()


@pytest.mark.parametrize("number", [FOREIGN, TAIWAN, HONG_KONG])
def test_it_logs_such_an_applicant_in_by_the_number(client, number):
    """001 二(三) 用户名为本人身份证号: the document number is the login name (case of X ignored)."""
    handler = UserFactory(role=Role.UNIT_HANDLER)
    person = create(handler, number)
    assert find_user_by_login(number.lower()) == person
    response = client.post(reverse("accounts:login"), {"username": number.lower(), "password": number[-6:]})
    assert response.status_code == 302
    assert client.get(reverse("dashboard"))["Location"] == reverse("accounts:password_change")


def test_it_fills_the_document_type_of_existing_accounts_in_the_migration():
    """001 一(二): accounts created before the field existed get it from their number."""
    resident = ApplicantFactory()
    taiwan = ApplicantFactory(number=TAIWAN)
    foreign = ApplicantFactory(number=FOREIGN)
    staff = UserFactory(role=Role.UNIT_HANDLER)
    User.objects.update(id_document_type="", nationality="")
    migration = importlib.import_module("accounts.migrations.0003_id_document_type_nationality")
    migration.fill_document_types(apps, None)
    found = {u.pk: (u.id_document_type, u.nationality) for u in User.objects.all()}
    assert found[resident.pk] == ("resident_id", "156")
    assert found[taiwan.pk] == ("taiwan_residence", "156")
    assert found[foreign.pk] == ("foreign_permanent_resident", "840")
    assert found[staff.pk] == ("", "")
