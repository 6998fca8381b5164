"""The demo data as shipped (``load_demo``: its tenants, units and applicants) files, prints and
is certified: each demo applicant's real name and masked ID come back out of the PDFs."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from accounts.models import Role, User
from certificates import services
from certificates.models import DocumentJob
from tests.certificates.conftest import file_application
from tests.certificates.helpers import approved_application, decoded_qr_codes, pdf_text
from tests.certificates.test_rendering import request_and_render
from units.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("tenant", "kinds"),
    [
        ("zhengzhou", [DocumentJob.Kind.EVALUATION_FORM, DocumentJob.Kind.ASSESSMENT_FORM]),
        ("kunming-panlong", [DocumentJob.Kind.EVALUATION_FORM, DocumentJob.Kind.ASSESSMENT_FORM]),
    ],
)
def test_it_prints_the_forms_of_a_demo_applicant(tenant, kinds, django_capture_on_commit_callbacks):
    load_demo()
    applicant = User.objects.get(role=Role.APPLICANT, tenant__code=tenant)
    application, _ = file_application(tenant, applicant=applicant)
    for kind in kinds:
        text = pdf_text(request_and_render(application, kind, django_capture_on_commit_callbacks).file.read())
        assert applicant.full_name in text, kind
        assert applicant.id_number_masked in text, kind
        assert applicant.organisation.name in text.replace("\n", ""), kind


def test_it_certifies_a_demo_applicant_with_a_qr_code_to_the_verification_page():
    load_demo()
    applicant = User.objects.get(role=Role.APPLICANT, tenant__code="zhengzhou")
    certificate, _ = services.certificate_create(application_id=approved_application(applicant=applicant).pk)
    certificate = services.certificate_render(certificate_id=certificate.pk, base="https://zc.example.cn")
    content = certificate.file.read()
    text = pdf_text(content)
    assert applicant.full_name in text and applicant.id_number_masked in text and certificate.number in text
    assert decoded_qr_codes(PdfReader(io.BytesIO(content)).pages[0].images[0].image) == [
        f"https://zc.example.cn/certificates/verify/{certificate.token}/"
    ]
