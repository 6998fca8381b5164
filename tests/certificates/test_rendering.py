"""Documents render from the frozen submission: every page carries the application number, the
watermark and "第x页/共y页"; the ID number appears only masked; each tenant gets its variant."""

from __future__ import annotations

import re

import pytest
from django.template.loader import select_template

from applications.models import Application
from certificates import documents, rendering, services
from certificates.models import DocumentJob
from tests.certificates.conftest import file_application
from tests.certificates.helpers import pdf_fonts, pdf_page_sizes, pdf_text
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db

A3_LANDSCAPE = (1191, 842)
A4_PORTRAIT = (595, 842)


def request_and_render(application: Application, kind: str, django_capture_on_commit_callbacks) -> DocumentJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = services.document_request(actor=application.applicant, application=application, kind=kind)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.error
    return job


@pytest.mark.parametrize(
    ("tenant", "kind", "paper"),
    [
        ("zhengzhou", DocumentJob.Kind.EVALUATION_FORM, A3_LANDSCAPE),
        ("zhengzhou", DocumentJob.Kind.ASSESSMENT_FORM, A4_PORTRAIT),
        ("kunming-panlong", DocumentJob.Kind.EVALUATION_FORM, A4_PORTRAIT),
        ("kunming-panlong", DocumentJob.Kind.ASSESSMENT_FORM, A4_PORTRAIT),
    ],
)
def test_it_renders_each_kind_from_the_snapshot_with_number_watermark_and_page_numbers(
    tenant, kind, paper, django_capture_on_commit_callbacks
):
    application, submission = file_application(tenant)
    job = request_and_render(application, kind, django_capture_on_commit_callbacks)

    content = job.file.read()
    text = pdf_text(content)
    applicant = submission.snapshot["application"]["applicant"]
    number = documents.application_number(submission)
    assert applicant["name"] in text
    assert applicant["id_number_masked"] in text
    assert application.applicant.reveal_id_number() not in text.replace(" ", "")
    assert "工程" in text and "助理级" in text and "建筑工程" in text
    assert text.count(number) >= job.page_count  # in the header of every page
    assert job.page_count >= 2
    for page in range(1, job.page_count + 1):
        assert f"第{page}页/共{job.page_count}页" in text
    assert text.count("仅供审核使用") >= job.page_count
    squeezed = re.sub(r"\s", "", text)
    assert "用人单位意见" in squeezed and "主管部门意见" in squeezed and "人力资源和社会保障部门意见" in squeezed
    assert set(pdf_page_sizes(content)) == {paper}
    assert job.page_count == len(pdf_page_sizes(content))


def test_it_prints_the_snapshot_not_the_application_as_changed_later(submitted, django_capture_on_commit_callbacks):
    application, _ = submitted
    Application.objects.filter(pk=application.pk).update(specialty="后来改的专业")
    application.refresh_from_db()
    job = request_and_render(application, DocumentJob.Kind.ASSESSMENT_FORM, django_capture_on_commit_callbacks)
    text = pdf_text(job.file.read())
    assert "建筑工程" in text
    assert "后来改的专业" not in text


def test_it_leaves_the_opinion_boxes_empty_until_the_review_records_opinions(submitted):
    _, submission = submitted
    context = documents.context_for(kind="evaluation_form", submission=submission, tenant_name="郑州市")
    assert [box["code"] for box in context["opinions"]] == ["unit", "department", "bureau"]
    assert all(box["opinion"] is None for box in context["opinions"])


@pytest.mark.parametrize(
    ("tenant", "expected"),
    [
        ("zhengzhou", "certificates/documents/evaluation_form/a3_booklet.html"),
        ("xuchang", "certificates/documents/evaluation_form/a3_booklet.html"),
        ("tangshan", "certificates/documents/evaluation_form/default.html"),
    ],
)
def test_it_uses_the_template_of_the_tenants_paper_setting_and_falls_back_to_the_default(tenant, expected):
    # Henan's documents set evaluation_form_paper "A3_booklet"; Tangshan's leaves the A4 default.
    template = select_template(documents.template_names("evaluation_form", TenantFactory(code=tenant)))
    assert template.origin.template_name == expected


def test_a_tenant_that_is_not_seeded_prints_the_a3_booklet_from_its_setting_alone():
    luoyang = TenantFactory(code="luoyang", name="洛阳市", settings={"evaluation_form_paper": "A3_booklet"})
    names = documents.template_names("evaluation_form", luoyang)
    assert select_template(names).origin.template_name == "certificates/documents/evaluation_form/a3_booklet.html"
    assert documents.evaluation_form_a3(luoyang)
    plain = TenantFactory(code="luoyang-a4", name="洛阳市A4")
    assert not documents.evaluation_form_a3(plain)
    assert select_template(documents.template_names("evaluation_form", plain)).origin.template_name.endswith(
        "evaluation_form/default.html"
    )
    # Other kinds have no variant: never a template named after a tenant.
    assert documents.template_names("assessment_form", luoyang) == [
        "certificates/documents/assessment_form/default.html"
    ]


def test_it_offers_the_assessment_form_only_for_junior_titles_where_the_tenant_uses_it(submitted):
    application, _ = submitted
    assert [kind.code for kind in documents.kinds_for(application)] == ["evaluation_form", "assessment_form"]
    application.level = "intermediate"
    assert [kind.code for kind in documents.kinds_for(application)] == ["evaluation_form"]
    application.level = "assistant"
    # Tangshan's settings bind a dossier (材料册, 002 第九条(一)3) and print no 考核认定表.
    application.tenant = TenantFactory(code="tangshan", name="唐山市")
    assert [kind.code for kind in documents.kinds_for(application)] == ["evaluation_form", "dossier"]


def test_a_tenant_that_is_not_seeded_gets_the_assessment_form_and_dossier_from_its_settings(submitted):
    application, _ = submitted
    application.tenant = TenantFactory(
        code="luoyang",
        name="洛阳市",
        settings={
            "assessment_form_levels": ["yuan"],
            "dossier_order": [{"number": 1, "title": "材料册目录", "generated": True}],
        },
    )
    application.level = "yuan"
    assert [kind.code for kind in documents.kinds_for(application)] == ["evaluation_form", "assessment_form", "dossier"]
    application.level = "assistant"  # not listed in its assessment_form_levels
    assert [kind.code for kind in documents.kinds_for(application)] == ["evaluation_form", "dossier"]
    application.tenant = TenantFactory(code="luoyang-plain", name="洛阳市B")  # the defaults: neither
    assert [kind.code for kind in documents.kinds_for(application)] == ["evaluation_form"]


def test_it_embeds_the_shipped_font_and_reuses_one_font_configuration(submitted):
    _, submission = submitted
    html = documents.render_html(kind="assessment_form", submission=submission, tenant=submitted[0].tenant)
    assert rendering.FONT_PATH.exists()
    assert rendering.FONT_PATH.as_uri() in html
    first = rendering.render_pdf(html)
    assert rendering.font_configuration() is rendering.font_configuration()
    second = rendering.render_pdf(html)
    assert first.sha256 == second.sha256  # the same snapshot gives byte-identical files
    fonts = pdf_fonts(first.content)
    assert fonts and all(embedded for embedded in fonts.values())
    assert all(name.split("+")[-1].startswith("ZC-Document-Sans") for name in fonts)  # subset of our font only
