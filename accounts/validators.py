from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class ComplexityValidator:
    """At least three of: lower-case letters, upper-case letters, digits, symbols."""

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(
                _("密码至少应包含大写字母、小写字母、数字、符号中的三类。"), code="password_too_simple"
            )

    def get_help_text(self) -> str:
        return _("密码至少应包含大写字母、小写字母、数字、符号中的三类。")


class MinimumLengthValidator:
    """Django's own, with a Chinese message (its zh-hans catalogue leaves this one in English)."""

    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码太短，至少需要%(limit)s个字符（现为%(length)s个）。")
                % {"limit": self.min_length, "length": len(password)},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return _("密码至少需要%(limit)s个字符。") % {"limit": self.min_length}
