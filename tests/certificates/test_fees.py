"""Fee ledger: the tenant's standard amounts (setting ``fees``), bureau records and marks paid, the
applicant sees their own.

Seed clauses (002_743bb57fc6424707.txt 第四篇, 卫东区, under 办事依据 豫价字[1997]13号):
- 中级专业技术职务任职资格申报 收费标准: "评审费（含资格审查费）每人150元，论文鉴定费每篇30元";
- 初级专业技术资格认定（初定） 收费标准: "评审费（含资格审查费）每人80元".
000_09f0e4863c323892.txt 十、收费标准: "依据豫价费字〔1997〕180号文件精神，人社部门收取职称证书工本费8元/本"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from applications.models import Achievement, Application
from certificates import fees
from certificates.models import FeeEntry
from core.models import AuditEvent
from tests.certificates.helpers import approved_application
from tests.factories import OrganisationFactory, TenantFactory, UserFactory

HENAN_FEES = [
    {"kind": "certificate", "amount": "8.00", "basis": "豫价费字〔1997〕180号：职称证书工本费8元/本"},
    {
        "kind": "review",
        "levels": ["yuan", "assistant"],
        "amount": "80.00",
        "basis": "豫价字[1997]13号：初级认定评审费每人80元",
    },
    {"kind": "review", "amount": "150.00", "basis": "豫价字[1997]13号：评审费（含资格审查费）每人150元"},
    {
        "kind": "paper_appraisal",
        "methods": ["committee_review"],
        "amount": "30.00",
        "per": "paper",
        "basis": "豫价字[1997]13号：论文鉴定费每篇30元",
    },
]


def with_papers(application: Application, papers: int, others: int = 0) -> Application:
    """Attach ``papers`` 论文论著 and ``others`` achievements of other kinds to the application."""
    kinds = [Achievement.Kind.PAPER] * papers + [Achievement.Kind.AWARD, Achievement.Kind.PATENT][:others]
    for number, kind in enumerate(kinds, start=1):
        application.achievements.add(
            Achievement.objects.create(
                person=application.applicant,
                kind=kind,
                title=f"成果{number}",
                achieved_on="2025-06-01",
                status=Achievement.Status.APPROVED,
            )
        )
    return application


def committee_review(application: Application) -> Application:
    Application.objects.filter(pk=application.pk).update(
        evaluation_method=Application.EvaluationMethod.COMMITTEE_REVIEW
    )
    application.refresh_from_db()
    return application


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


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["yuan", "assistant"])
def test_a_junior_assessment_is_billed_the_80_yuan_of_the_chuding_clause(unit, city_reviewer, level):
    # 002 第四篇 卫东区 初级专业技术资格认定（初定） 收费标准: "评审费（含资格审查费）每人80元" — for 员级
    # (level code "yuan") as for 助理级; issue 15: 员级 used to be billed the 150 of a review.
    application = approved_application(unit=unit, level=level)
    assert application.evaluation_method == Application.EvaluationMethod.ASSESSMENT
    fee = fees.fee_record(actor=city_reviewer, application=application, kind="review")
    assert fee.amount == Decimal("80.00") and "每人80元" in fee.basis


@pytest.mark.django_db
def test_an_intermediate_review_is_billed_150(unit, city_reviewer):
    # 002 第四篇 卫东区 中级专业技术职务任职资格申报 收费标准: "评审费（含资格审查费）每人150元".
    application = committee_review(approved_application(unit=unit, level="intermediate"))
    fee = fees.fee_record(actor=city_reviewer, application=application, kind="review")
    assert fee.amount == Decimal("150.00") and "每人150元" in fee.basis


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["zhengzhou", "xuchang"])
def test_the_paper_appraisal_is_30_yuan_per_paper_of_a_review(code):
    # 002 第四篇 卫东区 中级专业技术职务任职资格申报 收费标准: "……，论文鉴定费每篇30元"; only papers
    # (论文论著) count, not the application's awards or patents.
    tenant = TenantFactory(code=code)
    bureau = UserFactory(role=Role.CITY_REVIEWER, organisation=OrganisationFactory(tenant=tenant, city_bureau=True))
    application = with_papers(
        committee_review(approved_application(unit=OrganisationFactory(tenant=tenant), level="intermediate")),
        papers=3,
        others=2,
    )
    assert fees.paper_count(application) == 3
    fee = fees.fee_record(actor=bureau, application=application, kind="paper_appraisal")
    assert fee.kind == FeeEntry.Kind.PAPER_APPRAISAL and fee.get_kind_display() == "论文鉴定费"
    assert fee.amount == Decimal("90.00")
    assert "论文鉴定费每篇30元" in fee.basis and "3篇" in fee.basis


@pytest.mark.django_db
def test_no_paper_appraisal_without_papers_nor_for_a_chuding(unit, city_reviewer):
    # The 初定 section's 收费标准 states only "评审费（含资格审查费）每人80元": no paper fee for an assessment.
    assessment = with_papers(approved_application(unit=unit, level="assistant"), papers=2)
    assert fees.standard_fee(assessment, "paper_appraisal") is None
    with pytest.raises(ValidationError, match="请填写金额"):
        fees.fee_record(actor=city_reviewer, application=assessment, kind="paper_appraisal")
    no_papers = committee_review(approved_application(unit=unit, level="intermediate"))
    assert fees.standard_fee(no_papers, "paper_appraisal").amount == Decimal("0.00")
    with pytest.raises(ValidationError, match="没有选用论文"):
        fees.fee_record(actor=city_reviewer, application=no_papers, kind="paper_appraisal")
    assert not FeeEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["huzhou", "tangshan", "kunming-panlong", "bingtuan-division", "luoyang"])
def test_a_tenant_without_fees_has_no_standard_and_the_bureau_enters_the_amount(code):
    # Only 000 (郑州, 180号 工本费) and 002 第四篇 (卫东区, 豫价字[1997]13号) state amounts, both in Henan;
    # the other seeds name no fee, so their documents carry no ``fees`` and the bureau enters it.
    tenant = TenantFactory(code=code)
    bureau = UserFactory(role=Role.CITY_REVIEWER, organisation=OrganisationFactory(tenant=tenant, city_bureau=True))
    application = with_papers(approved_application(unit=OrganisationFactory(tenant=tenant)), papers=1)
    for kind in FeeEntry.Kind.values:
        assert fees.standard_fee(application, kind) is None
        with pytest.raises(ValidationError, match="请填写金额"):
            fees.fee_record(actor=bureau, application=application, kind=kind)
    assert fees.fee_record(actor=bureau, application=application, kind="review", amount="100").basis == "发证机关核定"


@pytest.mark.django_db
def test_a_tenant_that_is_not_seeded_is_billed_from_its_fees_setting_like_henan():
    # The Henan entries (000 十; 002 第四篇 卫东区 收费标准) in a tenant "luoyang" that is not seeded.
    luoyang = TenantFactory(code="luoyang", name="洛阳市", settings={"fees": HENAN_FEES})
    unit = OrganisationFactory(tenant=luoyang)
    yuan = approved_application(unit=unit, level="yuan")
    review = with_papers(committee_review(approved_application(unit=unit, level="associate_senior")), papers=2)
    assert fees.standard_fee(yuan, "certificate").amount == Decimal("8.00")
    assert fees.standard_fee(yuan, "review").amount == Decimal("80.00")
    assert fees.standard_fee(review, "review").amount == Decimal("150.00")
    assert fees.standard_fee(review, "paper_appraisal").amount == Decimal("60.00")
    # The first matching entry wins: with the 150 entry first, a junior would pay 150.
    luoyang.settings = {"fees": [HENAN_FEES[2], HENAN_FEES[1]]}
    luoyang.save()
    yuan.tenant.refresh_from_db()
    assert fees.standard_fee(yuan, "review").amount == Decimal("150.00")


def test_the_shipped_henan_documents_carry_the_seed_entries():
    from tests.factories import shipped_settings

    for code in ("zhengzhou", "xuchang"):
        assert shipped_settings(code)["fees"] == HENAN_FEES
