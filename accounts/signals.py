"""Login auditing. Receivers only call the audit service."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.backends import safe_login_label
from core.audit import audit


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit(action="login", actor=user, target=user, request=request)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit(action="logout", actor=user, target=user, request=request)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    audit(action="login_failed", request=request, login=safe_login_label(credentials.get("username", "")))


@receiver(user_locked_out)
def _audit_locked_out(sender, request, username, ip_address, **kwargs):
    audit(action="login_locked_out", request=request, ip=ip_address, login=safe_login_label(username or ""))
