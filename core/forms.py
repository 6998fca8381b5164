from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Put a service's errors next to the fields they name (others at the top of the form)."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, errors in error.message_dict.items():
        target = field if field in form.fields else None
        for message in errors:
            form.add_error(target, message)
