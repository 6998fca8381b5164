from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from core import crypto
from core.idnumbers import looks_like_id_number, mask_id_number


def find_user_by_login(login: str) -> User | None:
    """Applicants log in with their ID number, staff with a username."""
    login = (login or "").strip()
    if not login:
        return None
    if looks_like_id_number(login):
        return User.objects.filter(id_number_digest=crypto.digest(login)).first()
    return User.objects.filter(username=login).first()


class IdNumberOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user_by_login(username or "")
        if user is None:
            # Spend the same time as a real check so that logins cannot be enumerated.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user) -> bool:
        # A service account acts only through its API tokens, never through the login form.
        return super().user_can_authenticate(user) and not getattr(user, "is_service_account", False)


def safe_login_label(login: str) -> str:
    """What logs, audit rows and the lockout table may hold of a login name: never a full ID."""
    login = (login or "").strip().upper()
    return mask_id_number(login) if looks_like_id_number(login) else login[:60]


def axes_username(request, credentials) -> str:
    """Axes keys lockouts by this value; an ID number is replaced by its keyed digest."""
    login = (credentials or {}).get("username") or ""
    if looks_like_id_number(login.strip()):
        return "id:" + crypto.digest(login)[:32]
    return login.strip()[:60]
