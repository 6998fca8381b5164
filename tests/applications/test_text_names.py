"""One name per text field: the name the rule set gives the text material it answers is the
field's label on the form, the name in its errors and blockers, and its name on the reviewer's
page — not “主要工作业绩” on the page and “任现职以来专业技术工作总结” in the error."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import materials, services
from tests.applications.helpers import IN_WINDOW, open_window
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory

pytestmark = pytest.mark.django_db

WORK_SUMMARY = "任现职以来专业技术工作总结"  # Tangshan's work_summary (rules/rulesets/hebei-2024.json)


def draft_in(code: str, name: str, level: str = "assistant"):
    unit = OrganisationFactory(tenant=TenantFactory(code=code, name=name))
    applicant = ApplicantFactory(organisation=unit)
    open_window(code)
    application = services.application_create(actor=applicant, series="engineering", level=level, at=IN_WINDOW)
    return applicant, application


def label_of(body: str, field: str) -> str:
    match = re.search(rf'<label for="id_{field}">([^<]*)', body)
    assert match, field
    return match.group(1)


def test_tangshans_form_and_its_blocker_name_the_work_summary_alike(client):
    applicant, application = draft_in("tangshan", "唐山市")
    services.application_save_draft(actor=applicant, application=application, data={"main_achievements": "总结" * 50})
    application.refresh_from_db()
    assert materials.text_labels(application)["main_achievements"] == WORK_SUMMARY
    blockers, _ = services.submission_blockers(application, IN_WINDOW)
    minimum = next(t.min_chars for t in materials.checklist(application)[1] if t.field == "main_achievements")
    assert f"“{WORK_SUMMARY}”须不少于{minimum}字，现为100字。" in blockers

    client.force_login(applicant)
    body = client.get(reverse("applications:detail", kwargs={"pk": application.pk})).content.decode()
    assert label_of(body, "main_achievements") == WORK_SUMMARY
    assert f"须不少于{minimum}字" in body
    assert "主要工作业绩" not in body


def test_huzhous_self_statement_is_named_as_its_rule_set_names_it_in_the_error(client):
    applicant, application = draft_in("huzhou", "湖州市", level="intermediate")
    name = materials.text_labels(application)["self_statement"]
    assert name == "本人述职（专业工作业绩情况）"
    with pytest.raises(ValidationError) as refused:
        services.application_save_draft(actor=applicant, application=application, data={"self_statement": "字" * 1001})
    assert refused.value.message_dict == {"self_statement": [f"“{name}”限1000字以内，现为1001字。"]}
    client.force_login(applicant)
    body = client.get(reverse("applications:detail", kwargs={"pk": application.pk})).content.decode()
    assert label_of(body, "self_statement") == name


def test_a_city_whose_rule_set_names_no_text_keeps_the_fields_own_names():
    _, application = draft_in("zhengzhou", "郑州市")
    assert materials.text_labels(application) == {"self_statement": "本人述职", "main_achievements": "主要工作业绩"}


def test_the_reviewer_reads_the_work_summary_under_the_same_name(client):
    from accounts.models import Role
    from tests.certificates.test_dossier import tangshan_application
    from tests.factories import UserFactory

    application, _ = tangshan_application()
    head = UserFactory(role=Role.UNIT_HEAD, organisation=application.unit)
    client.force_login(head)
    body = client.get(reverse("review:detail", kwargs={"pk": application.pk})).content.decode()
    assert f"<dt>{WORK_SUMMARY}</dt>" in body
    assert f'<option value="field:main_achievements">{WORK_SUMMARY}</option>' in body
    assert "主要工作业绩" not in body
