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


def test_it_throttles_guessing_so_that_even_the_right_code_waits_after_a_wrong_one(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # the wait after n failures is 60 s x 2^(n-1) (default 1 s)
    staff = UserFactory(role=Role.UNIT_HANDLER)
    device = TOTPDevice.objects.create(user=staff, name="验证器应用", confirmed=True)
    client.post(reverse("accounts:login"), {"username": staff.username, "password": "Zhicheng@2026"})
    right = current_code(device)
    client.post(reverse("accounts:two_factor"), {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    guessed = client.post(reverse("accounts:two_factor"), {"code": right})
    assert "验证码不正确或已过期" in guessed.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302, "still waiting for the second factor"
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert AuditEvent.objects.filter(actor=staff, action="two_factor_failed").count() == 2


def test_it_does_not_ask_applicants_for_a_second_factor(client):
    applicant = ApplicantFactory()
    client.force_login(applicant)
    assert client.get(reverse("dashboard")).status_code == 200


# --- Reset of a lost authenticator ---------------------------------------------------------------


def _verified_login(client, user) -> None:
    """Log ``user`` in with both factors (their device enrolled)."""
    device = TOTPDevice.objects.create(user=user, name="验证器应用", confirmed=True)
    client.post(reverse("accounts:login"), {"username": user.username, "password": "Zhicheng@2026"})
    response = client.post(reverse("accounts:two_factor"), {"code": current_code(device)})
    assert response.status_code == 302


def test_it_lets_a_tenant_admin_reset_a_lost_authenticator_and_the_staff_member_re_enrols(client):
    admin = UserFactory(role=Role.TENANT_ADMIN)
    staff = UserFactory(role=Role.CITY_REVIEWER, organisation=admin.organisation)
    staff_client = client.__class__()
    _verified_login(staff_client, staff)
    assert staff_client.get(reverse("dashboard")).status_code == 200
    _verified_login(client, admin)

    listing = client.get(reverse("accounts:two_factor_staff")).content.decode()
    assert staff.full_name in listing and "已绑定" in listing
    refused = client.post(reverse("accounts:two_factor_reset", args=[staff.pk]), {"reason": ""})
    assert "重置原因" in refused.content.decode() and TOTPDevice.objects.filter(user=staff).exists()

    response = client.post(reverse("accounts:two_factor_reset", args=[staff.pk]), {"reason": "手机丢失，电话确认本人"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor_staff")
    assert not TOTPDevice.objects.filter(user=staff).exists()
    event = AuditEvent.objects.get(action="two_factor_reset")
    assert (event.actor_id, event.target_id) == (admin.pk, str(staff.pk))
    assert event.detail["reason"] == "手机丢失，电话确认本人" and event.detail["devices_removed"] == 1

    # The staff member's open session lost its second factor at once; the next login enrols anew.
    assert staff_client.get(reverse("dashboard"))["Location"].startswith(reverse("accounts:two_factor"))
    staff_client.post(reverse("accounts:logout"))
    staff_client.post(reverse("accounts:login"), {"username": staff.username, "password": "Zhicheng@2026"})
    assert "<svg" in staff_client.get(reverse("accounts:two_factor")).content.decode()
    assert not TOTPDevice.objects.get(user=staff).confirmed


def test_it_answers_404_for_staff_of_another_tenant_and_for_roles_that_may_not_reset(client):
    admin = UserFactory(role=Role.TENANT_ADMIN)
    foreign = UserFactory(role=Role.UNIT_HANDLER)  # another tenant
    TOTPDevice.objects.create(user=foreign, name="验证器应用", confirmed=True)
    _verified_login(client, admin)
    assert client.get(reverse("accounts:two_factor_reset", args=[foreign.pk])).status_code == 404
    reset = client.post(reverse("accounts:two_factor_reset", args=[foreign.pk]), {"reason": "手机丢失了"})
    assert reset.status_code == 404
    assert foreign.full_name not in client.get(reverse("accounts:two_factor_staff")).content.decode()
    assert TOTPDevice.objects.filter(user=foreign).exists()

    reviewer = UserFactory(role=Role.CITY_REVIEWER, organisation=admin.organisation)
    colleague = UserFactory(role=Role.UNIT_HANDLER, organisation=admin.organisation)
    client.post(reverse("accounts:logout"))
    _verified_login(client, reviewer)
    assert client.get(reverse("accounts:two_factor_staff")).status_code == 404
    assert client.get(reverse("accounts:two_factor_reset", args=[colleague.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="two_factor_reset").exists()


def test_it_lets_a_platform_admin_reset_staff_of_any_tenant(client):
    platform = UserFactory(role=Role.PLATFORM_ADMIN)
    staff = UserFactory(role=Role.UNIT_HANDLER)
    TOTPDevice.objects.create(user=staff, name="验证器应用", confirmed=True)
    _verified_login(client, platform)
    client.post(reverse("accounts:two_factor_reset", args=[staff.pk]), {"reason": "更换手机，本人来电"})
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_it_lists_staff_for_reset_in_a_constant_number_of_queries(client, django_assert_num_queries):
    admin = UserFactory(role=Role.TENANT_ADMIN)
    _verified_login(client, admin)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("accounts:two_factor_staff")).status_code == 200
        return len(queries)

    UserFactory(role=Role.UNIT_HANDLER, organisation=admin.organisation)
    count()  # warm the per-user caches (the nav's unread count) so both counts compare the same work
    few = count()
    for _ in range(5):
        TOTPDevice.objects.create(
            user=UserFactory(role=Role.UNIT_HANDLER, organisation=admin.organisation), confirmed=True, name="x"
        )
    with django_assert_num_queries(few):
        client.get(reverse("accounts:two_factor_staff"))
