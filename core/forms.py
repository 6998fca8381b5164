from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.forms import Form
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property


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


class PlainWordsFormRenderer(DjangoTemplates):
    """Django's form templates, except that a list's empty choice reads “请选择”, not “---------”
    (``core/form_templates``). Every form of every app is rendered by it (``FORM_RENDERER``)."""

    @cached_property
    def engine(self):
        import django.forms

        django_forms = Path(django.forms.__file__).parent / "templates"
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [Path(__file__).resolve().parent / "form_templates", django_forms],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )
