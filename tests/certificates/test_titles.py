"""The certificate names the title it confers (二级教师, not “中小学教师助理级”), the specialty, the
body that reviewed or assessed it and the day it was conferred, on the PDF (read back) and on the
verification page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import Application
from certificates import services
from certificates.titles import certificate_facts, title_name
from review.chain import Action
from review.services import review_decide
from tests.certificates.helpers import pdf_text
from tests.review.helpers import DAY_2, build_city, submitted_application

BASE = "https://zc.example.cn"


@pytest.mark.parametrize(
    ("series", "level", "name"),
    [
        ("school_teacher", "assistant", "二级教师"),
        ("school_teacher", "yuan", "三级教师"),
        ("school_teacher", "senior", "正高级教师"),
        ("engineering", "yuan", "技术员"),
        ("engineering", "assistant", "助理工程师"),
        ("engineering", "intermediate", "工程师"),
        ("engineering", "associate_senior", "高级工程师"),
        ("engineering", "senior", "正高级工程师"),
        ("health", "assistant", "医师"),
        ("health", "intermediate", "主治医师"),
        ("health", "associate_senior", "副主任医师"),
        ("agriculture", "assistant", "助理农艺师"),
        ("agriculture", "senior", "正高级农艺师"),
        ("economics", "assistant", "助理经济师"),
        ("economics", "senior", "正高级经济师"),
        ("accounting", "intermediate", "会计师"),
        ("accounting", "associate_senior", "高级会计师"),
        # No name of its own: the fallback pattern of certificates/titles.json.
        ("culture", "intermediate", "群众文化系列中级"),
        ("economics", "yuan", "经济系列员级"),
    ],
)
def test_it_names_each_series_and_level_by_its_title(series, level, name):
    assert title_name(series, level) == name


def approved_through_the_chain(*, series: str = "school_teacher", specialty: str = "小学数学"):
    """A real submission, approved level by level on DAY_2 (the day of the qualification)."""
    city = build_city()
    application = submitted_application(city.applicant)
    Application.objects.filter(pk=application.pk).update(series=series, specialty=specialty)
    application.refresh_from_db()
    for reviewer in (city.handler, city.department_reviewer, city.county_reviewer, city.city_reviewer):
        review_decide(actor=reviewer, application=application, action=Action.APPROVE, opinion="同意", at=DAY_2)
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    return city, application


def day(value) -> str:
    from django.utils import timezone

    local = timezone.localtime(value)
    return f"{local.year}年{local.month}月{local.day}日"


@pytest.mark.django_db
def test_the_pdf_names_the_title_specialty_assessing_authority_and_the_day_of_the_qualification():
    city, application = approved_through_the_chain()
    certificate, _ = services.certificate_create(application_id=application.pk)
    assert certificate.title == "二级教师"
    certificate = services.certificate_render(certificate_id=certificate.pk, base=BASE)
    text = pdf_text(certificate.file.read()).replace(" ", "")
    assert "资格名称二级教师" in text
    assert "中小学教师助理级" not in text
    assert "专业小学数学" in text
    assert f"认定机构{city.tenant.authority_name}" in text
    assert f"取得资格时间{day(DAY_2)}" in text


@pytest.mark.django_db
def test_the_committee_that_reviewed_it_is_named_and_the_verification_page_says_the_same(client):
    from committees.models import Committee

    city, application = approved_through_the_chain(series="engineering", specialty="建筑工程")
    committee = Committee.objects.create(
        tenant=city.tenant, name="郑州市工程系列中级职称评审委员会", series=["engineering"], levels=["assistant"]
    )
    Application.objects.filter(pk=application.pk).update(
        evaluation_method=Application.EvaluationMethod.COMMITTEE_REVIEW, committee=committee
    )
    certificate, _ = services.certificate_create(application_id=application.pk)
    facts = certificate_facts(certificate)
    assert (facts.title, facts.body_label, facts.body) == ("助理工程师", "评审机构", committee.name)
    text = pdf_text(services.certificate_render(certificate_id=certificate.pk, base=BASE).file.read())
    assert "评审机构" in text and committee.name in text.replace("\n", "")

    page = client.get(reverse("certificates:verify", kwargs={"token": certificate.token})).content.decode()
    for expected in ("资格名称", "助理工程师", "专业", "建筑工程", "评审机构", committee.name):
        assert expected in page
    for expected in ("取得资格时间", day(DAY_2)):
        assert expected in page
    assert "工程助理级" not in page
