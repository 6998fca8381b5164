"""Logging in, the forced first password change, lockout, idle timeout, ID numbers at rest."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Role
from core.models import AuditEvent
from tests.factories import ApplicantFactory, UserFactory, make_id_number

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_logs_an_applicant_in_by_id_number_and_forces_a_password_change(client):
    number = make_id_number()
    applicant = ApplicantFactory(number=number, must_change_password=True, password=number[-6:])

    response = login(client, number.lower(), number[-6:])
    assert response.status_code == 302

    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 302 and dashboard["Location"] == reverse("accounts:password_change")
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and "首次登录须先修改初始密码" in api.json()["detail"]

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": number[-6:], "new_password": "Qingshan#2026x", "new_password_again": "Qingshan#2026x"},
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert not applicant.must_change_password
    assert client.get(reverse("dashboard")).status_code == 200


def test_it_refuses_weak_new_passwords_and_says_why(client):
    applicant = ApplicantFactory(must_change_password=True)
    client.force_login(applicant)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Shenbao@2026", "new_password": "abcdefgh", "new_password_again": "abcdefgh"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "密码至少应包含大写字母、小写字母、数字、符号中的三类" in text
    assert "密码太短，至少需要10个字符" in text
    assert "This password" not in text
    applicant.refresh_from_db()
    assert applicant.must_change_password and applicant.check_password("Shenbao@2026")


def test_it_logs_staff_in_by_username(client):
    UserFactory(username="zz-city", role=Role.CITY_REVIEWER)
    assert login(client, "zz-city", "Zhicheng@2026").status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_it_hashes_passwords_with_argon2id_at_owasp_parameters_and_upgrades_pbkdf2_at_login(client, settings):
    from django.contrib.auth.hashers import make_password

    from config import settings as configured

    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    staff = UserFactory(username="zz-hash", role=Role.CITY_REVIEWER)
    staff.password = make_password("Zhicheng@2026", hasher="pbkdf2_sha256")
    staff.save(update_fields=["password"])

    assert login(client, "zz-hash", "Zhicheng@2026").status_code == 302
    staff.refresh_from_db()
    assert staff.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    client.logout()
    assert login(client, "zz-hash", "Zhicheng@2026").status_code == 302
    client.logout()
    assert login(client, "zz-hash", "wrong-password").status_code == 200


def test_it_stores_the_id_number_only_encrypted_with_a_digest_and_a_mask():
    number = make_id_number()
    person = ApplicantFactory(number=number)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_user WHERE id = %s", [person.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert number not in row
    assert person.id_number_masked == number[:3] + "*" * 11 + number[-4:]
    assert person.reveal_id_number() == number


def test_it_audits_logins_and_failures_without_the_full_id_number(client):
    number = make_id_number()
    ApplicantFactory(number=number, password="Shenbao@2026")
    login(client, number, "wrong-password")
    login(client, number, "Shenbao@2026")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["login_failed", "login"]
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.detail["login"] == number[:3] + "*" * 11 + number[-4:]
    assert number not in str(list(AuditEvent.objects.values()))


def test_it_locks_a_login_for_30_minutes_after_five_failures(client):
    UserFactory(username="zz-unit", role=Role.UNIT_HANDLER)
    for _ in range(5):
        login(client, "zz-unit", "bad")
    locked = login(client, "zz-unit", "Zhicheng@2026")
    assert locked.status_code == 429
    assert "锁定30分钟" in locked.content.decode()
    assert AuditEvent.objects.filter(action="login_locked_out").count() >= 1


def test_it_ends_an_idle_staff_session_after_30_minutes(client, settings):
    staff = UserFactory(role=Role.CITY_REVIEWER)
    client.force_login(staff)
    assert client.get(reverse("dashboard")).status_code == 200
    session = client.session
    session["last_activity"] = int(time.time()) - settings.STAFF_IDLE_TIMEOUT_SECONDS - 1
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get(reverse("dashboard")).status_code == 302


def test_it_keeps_an_idle_applicant_session(client):
    applicant = ApplicantFactory()
    client.force_login(applicant)
    session = client.session
    session["last_activity"] = int(time.time()) - 3600
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200


def test_it_refuses_to_change_or_delete_an_audit_record():
    event = AuditEvent.objects.create(action="login")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
