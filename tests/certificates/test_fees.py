"""Fee ledger: seed amounts, bureau records and marks paid, the applicant sees their own."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from certificates import fees
from certificates.models import FeeEntry
from core.models import AuditEvent
from tests.certificates.helpers import approved_application
from tests.factories import OrganisationFactory, TenantFactory, UserFactory


@pytest.fixture
def tenant(db):
    return TenantFactory(code="zhengzhou", name="郑州市")


@pytest.fixture
def unit(tenant):
    return OrganisationFactory(tenant=tenant)


@pytest.fixture
def city_reviewer(tenant):
    return UserFactory(role=Role.CITY_REVIEWER, organisation=OrganisationFactory(tenant=tenant, city_bureau=True))


@pytest.mark.django_db
def test_it_applies_the_seed_amounts_and_cites_the_clause(unit, city_reviewer):
    junior = approved_application(unit=unit, level="assistant")
    senior = approved_application(unit=unit, level="intermediate")

    certificate_fee = fees.fee_record(actor=city_reviewer, application=junior, kind="certificate")
    assert certificate_fee.amount == Decimal("8.00") and "180号" in certificate_fee.basis
    assert fees.fee_record(actor=city_reviewer, application=junior, kind="review").amount == Decimal("80.00")
    assert fees.fee_record(actor=city_reviewer, application=senior, kind="review").amount == Decimal("150.00")
    assert certificate_fee.status == FeeEntry.Status.UNPAID
    assert AuditEvent.objects.filter(action="fee_recorded").count() == 3


@pytest.mark.django_db
def test_it_requires_an_amount_where_the_seeds_state_none_and_validates_it(city_reviewer):
    tenant = TenantFactory(code="huzhou", name="湖州市")
    bureau_user = UserFactory(
        role=Role.CITY_REVIEWER, organisation=OrganisationFactory(tenant=tenant, city_bureau=True)
    )
    application = approved_application(unit=OrganisationFactory(tenant=tenant))

    with pytest.raises(ValidationError) as error:
        fees.fee_record(actor=bureau_user, application=application, kind="review")
    assert "请填写金额" in error.value.message_dict["amount"][0]
    for bad in ("abc", "-5", "0", "1.234", "200000"):
        with pytest.raises(ValidationError) as error:
            fees.fee_record(actor=bureau_user, application=application, kind="review", amount=bad)
        assert "amount" in error.value.message_dict
    assert not FeeEntry.objects.exists()
    fee = fees.fee_record(actor=bureau_user, application=application, kind="review", amount="120")
    assert fee.amount == Decimal("120.00") and fee.basis == "发证机关核定"
    with pytest.raises(ValidationError, match="已登记"):
        fees.fee_record(actor=bureau_user, application=application, kind="review", amount="120")


@pytest.mark.django_db
def test_it_lets_only_the_bureau_record_and_mark_paid(unit, city_reviewer):
    application = approved_application(unit=unit)
    with pytest.raises(PermissionDenied):
        fees.fee_record(actor=application.applicant, application=application, kind="certificate")
    fee = fees.fee_record(actor=city_reviewer, application=application, kind="certificate")
    with pytest.raises(PermissionDenied):
        fees.fee_mark_paid(actor=application.applicant, fee=fee)

    paid = fees.fee_mark_paid(actor=city_reviewer, fee=fee, receipt_number="PJ2026-001")
    assert paid.status == FeeEntry.Status.PAID and paid.paid_at and paid.receipt_number == "PJ2026-001"
    with pytest.raises(ValidationError, match="已缴"):
        fees.fee_mark_paid(actor=city_reviewer, fee=paid)


@pytest.mark.django_db
def test_it_shows_the_applicant_only_their_own_fees(client, unit, city_reviewer):
    mine = approved_application(unit=unit)
    other = approved_application(unit=unit)
    fees.fee_record(actor=city_reviewer, application=mine, kind="certificate")
    fees.fee_record(actor=city_reviewer, application=other, kind="review")

    client.force_login(mine.applicant)
    page = client.get(reverse("certificates:fee_list")).content.decode()
    assert "证书费" in page and "评审费" not in page.split("<tbody>")[1] and "登记费用" not in page


@pytest.mark.django_db
def test_it_records_and_marks_paid_from_the_bureau_page(client, unit, city_reviewer):
    application = approved_application(unit=unit)
    client.force_login(city_reviewer)
    client.post(reverse("certificates:fee_record"), {"application": application.pk, "kind": "certificate"})
    fee = FeeEntry.objects.get(application=application)
    response = client.post(
        reverse("certificates:fee_paid", kwargs={"pk": fee.pk}), {"receipt_number": "R1"}, follow=True
    )
    assert "已缴" in response.content.decode()
    fee.refresh_from_db()
    assert fee.status == "paid"
    foreign = approved_application(tenant=TenantFactory(code="xuchang", name="许昌市"))
    bad = client.post(reverse("certificates:fee_record"), {"application": foreign.pk, "kind": "review"}, follow=True)
    assert "未找到本地区的该申报" in bad.content.decode()


@pytest.mark.django_db
def test_it_lists_fees_in_a_constant_number_of_queries(client, unit, city_reviewer, django_assert_num_queries):
    client.force_login(city_reviewer)
    url = reverse("certificates:fee_list")

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    fees.fee_record(actor=city_reviewer, application=approved_application(unit=unit), kind="certificate")
    client.get(url)  # warm the session and the per-process caches
    few = count()
    for _ in range(4):
        fees.fee_record(actor=city_reviewer, application=approved_application(unit=unit), kind="review")
    with django_assert_num_queries(few):
        client.get(url)
