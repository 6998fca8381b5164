"""A refusal on the filing form goes back to the section concerned and is shown there, once: a
refused upload at its slot (#slot-…-errors), a refused pledge or submission in its section; the
message list at the top of the page only when there is no such place."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.models import Application
from tests.factories import ApplicantFactory, OrganisationFactory, TenantFactory

pytestmark = pytest.mark.django_db

FAKE_PDF = b"MZ\x90\x00" + b"\x00" * 200


@pytest.fixture
def applicant():
    unit = OrganisationFactory(tenant=TenantFactory(code="zhengzhou", name="郑州市"))
    return ApplicantFactory(organisation=unit)


@pytest.fixture
def draft(applicant):
    return services.application_create(actor=applicant, series="engineering", level="assistant")


def detail(client, draft) -> str:
    return client.get(reverse("applications:detail", kwargs={"pk": draft.pk})).content.decode()


def slot_block(body: str, slot: str) -> str:
    start = body.index(f'id="slot-{slot}"')
    return body[start : body.index("</li>\n", start)]


def messages_list(body: str) -> str:
    return body[body.index('<ul class="messages"') : body.index("</ul>", body.index('<ul class="messages"'))] \
        if '<ul class="messages"' in body else ""


def test_a_refused_upload_is_shown_at_its_slot_once_and_not_at_the_top(client, draft, applicant):
    client.force_login(applicant)
    url = reverse("applications:upload", kwargs={"pk": draft.pk})
    response = client.post(url, {"slot": "diploma", "file": SimpleUploadedFile("假文件.pdf", FAKE_PDF)})
    assert response.url.endswith(f"/applications/{draft.pk}/#slot-diploma-errors")
    body = detail(client, draft)
    block = slot_block(body, "diploma")
    assert 'id="slot-diploma-errors" tabindex="-1"' in block and "假文件.pdf" in block
    assert 'aria-invalid="true" aria-describedby="slot-diploma-errors"' in block
    assert "假文件.pdf" not in messages_list(body)
    assert "slot-errors" not in slot_block(body, "labour_contract")
    assert "假文件.pdf" not in detail(client, draft)  # shown once


def test_an_upload_without_a_file_says_so_at_the_slot(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(reverse("applications:upload", kwargs={"pk": draft.pk}), {"slot": "diploma"})
    assert response.url.endswith("#slot-diploma-errors")
    assert "请先选择要上传的文件" in slot_block(detail(client, draft), "diploma")


def test_a_success_goes_to_its_slot_with_the_message_at_the_top(client, draft, applicant):
    from tests.applications.helpers import pdf_upload

    client.force_login(applicant)
    response = client.post(
        reverse("applications:upload", kwargs={"pk": draft.pk}), {"slot": "diploma", "file": pdf_upload("毕业证.pdf")}
    )
    assert response.url.endswith("#slot-diploma")
    assert "已上传“毕业证.pdf”" in messages_list(detail(client, draft))


def test_a_reason_for_no_slot_on_the_page_is_shown_at_the_top(client, draft, applicant):
    client.force_login(applicant)
    url = reverse("applications:upload", kwargs={"pk": draft.pk})
    response = client.post(url, {"slot": "no_such_slot", "file": SimpleUploadedFile("a.pdf", FAKE_PDF)})
    assert response.url.endswith("#slot-no_such_slot-errors")
    body = detail(client, draft)
    assert "slot-errors" not in body and messages_list(body)
    response = client.post(url, {"slot": '"><script>', "file": SimpleUploadedFile("a.pdf", FAKE_PDF)})
    assert response.url.endswith("#materials") and "<script>" not in response.url


def test_a_refused_pledge_and_submission_are_shown_in_their_sections(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(reverse("applications:pledge", kwargs={"pk": draft.pk}), {"typed_name": ""})
    assert response.url.endswith("#pledge-errors")
    body = detail(client, draft)
    pledge = body[body.index('id="pledge"') : body.index('id="submit"')]
    assert 'id="pledge-errors"' in pledge and not messages_list(body)

    response = client.post(reverse("applications:submit", kwargs={"pk": draft.pk}))
    assert response.url.endswith("#submit-errors")
    body = detail(client, draft)
    submit = body[body.index('id="submit"') :]
    assert "未能提交。" in submit and submit.count("请先签署诚信承诺书。") == 1 and not messages_list(body)


def test_errors_left_for_a_form_no_longer_editable_go_to_the_top_of_the_status_page(client, draft, applicant):
    client.force_login(applicant)
    client.post(reverse("applications:upload", kwargs={"pk": draft.pk}),
                {"slot": "diploma", "file": SimpleUploadedFile("假文件.pdf", FAKE_PDF)})
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.SUBMITTED)
    response = client.get(reverse("applications:detail", kwargs={"pk": draft.pk}), follow=True)
    assert "假文件.pdf" in messages_list(response.content.decode())
