from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from units.permissions import can_reveal_id_number


def password_change(*, user: User, old_password: str, new_password: str, new_password_again: str, request=None) -> User:
    errors: dict[str, list[str]] = {}
    if not user.check_password(old_password):
        errors["old_password"] = [_("原密码不正确。")]
    if new_password != new_password_again:
        errors["new_password_again"] = [_("两次输入的新密码不一致。")]
    if new_password and new_password == old_password:
        errors.setdefault("new_password", []).append(_("新密码不能与原密码相同。"))
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


TWO_FACTOR_DEVICE_NAME = "验证器应用"


def two_factor_device(*, user: User):
    """The user's TOTP device: the confirmed one, or a pending one to enrol (created once)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TWO_FACTOR_DEVICE_NAME, confirmed=False)
    return device


def two_factor_verify(*, user: User, code: str, request=None):
    """Check a 6-digit code; the first good code confirms a new device (enrolment)."""
    device = two_factor_device(user=user)
    code = (code or "").strip()
    if not (code.isdigit() and len(code) == 6) or not device.verify_token(code):
        audit(action="two_factor_failed", actor=user, target=user, request=request)
        raise ValidationError(
            {"code": [_("验证码不正确或已过期，请输入验证器应用中当前显示的6位数字。多次输错将暂时限制验证。")]}
        )
    with transaction.atomic():
        enrolling = not device.confirmed
        if enrolling:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        audit(
            action="two_factor_enrolled" if enrolling else "two_factor_verified",
            actor=user,
            target=user,
            request=request,
        )
    return device


def two_factor_reset(*, actor: User, staff: User, reason: str, request=None) -> int:
    """Remove a staff member's lost authenticator (ASVS 2.8.x; 等保三级 身份鉴别). Their sessions lose
    the second factor at once, and their next login enrols a new authenticator. Returns how many
    devices were removed. ``staff`` must come from ``accounts.selectors.get_staff_for_two_factor_admin``."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.selectors import staff_for_two_factor_admin

    reason = (reason or "").strip()
    if not staff_for_two_factor_admin(actor).filter(pk=staff.pk).exists():
        raise PermissionDenied
    if len(reason) < 4 or len(reason) > 200:
        raise ValidationError({"reason": [_("请填写重置原因（4～200个字），例如“手机丢失，本人电话确认”。")]})
    with transaction.atomic():
        removed, _count = TOTPDevice.objects.filter(user=staff).delete()
        audit(
            action="two_factor_reset",
            actor=actor,
            target=staff,
            request=request,
            staff=staff.display_name,
            staff_role=staff.role,
            staff_tenant_id=staff.tenant_id,
            devices_removed=removed,
            reason=reason,
        )
    return removed
