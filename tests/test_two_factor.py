"""Staff enter a TOTP code after their password; applicants do not."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from core.models import AuditEvent
from tests.factories import ApplicantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.STAFF_TWO_FACTOR = True


def current_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def test_it_makes_a_new_staff_member_enrol_an_authenticator_before_anything_else(client):
    staff = UserFactory(role=Role.CITY_REVIEWER)
    client.post(reverse("accounts:login"), {"username": staff.username, "password": "Zhicheng@2026"})
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor"))
    assert client.get("/api/v1/me/").status_code == 403

    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "<svg" in page and "密钥" in page
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed

    wrong = client.post(
        reverse("accounts:two_factor"), {"code": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert "验证码不正确或已过期" in wrong.content.decode()
    time.sleep(1.1)  # a failure throttles the device for a second (then 2, 4, … seconds)

    response = client.post(reverse("accounts:two_factor"), {"code": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("dashboard")).status_code == 200
    actions = list(AuditEvent.objects.filter(actor=staff).values_list("action", flat=True))
    assert "two_factor_failed" in actions and "two_factor_enrolled" in actions


def test_it_asks_an_enrolled_staff_member_for_a_code_at_every_login(client):
    staff = UserFactory(role=Role.UNIT_HANDLER)
    device = TOTPDevice.objects.create(user=staff, name="验证器应用", confirmed=True)
    client.post(reverse("accounts:login"), {"username": staff.username, "password": "Zhicheng@2026"})
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "<svg" not in page, "an enrolled device's secret is never shown again"
    client.post(reverse("accounts:two_factor"), {"code": current_code(device)})
    assert client.get(reverse("dashboard")).status_code == 200
    assert AuditEvent.objects.filter(actor=staff, action="two_factor_verified").count() == 1


def test_it_refuses_a_code_that_was_already_used(client):
    staff = UserFactory(role=Role.UNIT_HANDLER)
    device = TOTPDevice.objects.create(user=staff, name="验证器应用", confirmed=True)
    code = current_code(device)
    client.post(reverse("accounts:login"), {"username": staff.username, "password": "Zhicheng@2026"})
    client.post(reverse("accounts:two_factor"), {"code": code})
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": staff.username, "password": "Zhicheng@2026"})
    replay = client.post(reverse("accounts:two_factor"), {"code": code})
    assert "验证码不正确或已过期" in replay.content.decode()


def test_it_does_not_ask_applicants_for_a_second_factor(client):
    applicant = ApplicantFactory()
    client.force_login(applicant)
    assert client.get(reverse("dashboard")).status_code == 200
