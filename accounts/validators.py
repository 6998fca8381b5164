from __future__ import annotations

import string

from django.core.exceptions import ValidationError


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
                "密码至少应包含大写字母、小写字母、数字、符号中的三类。", code="password_too_simple"
            )

    def get_help_text(self) -> str:
        return "密码至少应包含大写字母、小写字母、数字、符号中的三类。"
