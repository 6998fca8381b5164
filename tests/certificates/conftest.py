"""A submitted application of each document-bearing tenant, filed through the real services."""

from __future__ import annotations

import pytest

from applications import services
from tests.applications.helpers import IN_WINDOW, eligible_record, fill_required_slots, open_window
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory

TENANT_NAMES = {"zhengzhou": "郑州市", "xuchang": "许昌市", "kunming-panlong": "昆明市盘龙区"}


def file_application(tenant_code: str = "zhengzhou", *, level: str = "assistant", applicant=None):
    """A junior engineering application submitted in an open window; returns (application, submission)."""
    if applicant is None:
        unit = OrganisationFactory(tenant=TenantFactory(code=tenant_code, name=TENANT_NAMES.get(tenant_code, "测试市")))
        applicant = ApplicantFactory(organisation=unit, full_name="王小明")
    open_window(tenant_code)
    eligible_record(applicant)
    application = services.application_create(actor=applicant, series="engineering", level=level, at=IN_WINDOW)
    services.application_save_draft(
        actor=applicant,
        application=application,
        data={
            "specialty": "建筑工程",
            "self_statement": "本人自参加工作以来，认真履行岗位职责。" * 5,
            "main_achievements": "负责多项市政工程的施工技术管理，解决了多个技术难题。" * 25,
        },
    )
    fill_required_slots(application)
    services.pledge_sign(actor=applicant, application=application, typed_name=applicant.full_name, agreed=True)
    submission = services.application_submit(actor=applicant, application=application, at=IN_WINDOW)
    application.refresh_from_db()
    return application, submission


@pytest.fixture
def submitted(db):
    return file_application("zhengzhou")


@pytest.fixture
def application(submitted):
    return submitted[0]
