from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from core.audit import audit
from units.permissions import can_reveal_id_number


def password_change(*, user: User, old_password: str, new_password: str, new_password_again: str, request=None) -> User:
    errors: dict[str, list[str]] = {}
    if not user.check_password(old_password):
        errors["old_password"] = ["原密码不正确。"]
    if new_password != new_password_again:
        errors["new_password_again"] = ["两次输入的新密码不一致。"]
    if new_password and new_password == old_password:
        errors.setdefault("new_password", []).append("新密码不能与原密码相同。")
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        errors.setdefault("new_password", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit(action="password_changed", actor=user, target=user, request=request)
    return user


def id_number_reveal(*, actor: User, person: User, request=None) -> str:
    """Show a full ID number: a separate, audited action for roles that need it."""
    if not can_reveal_id_number(actor, person):
        raise PermissionDenied
    audit(action="id_number_revealed", actor=actor, target=person, request=request, id_number=person.id_number_masked)
    return person.reveal_id_number()
