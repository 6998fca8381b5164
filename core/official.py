"""Official documents are written in Chinese, whatever the language of the page that asks for them.

A 评审表, a certificate, a notice or a 公示表 is a legal document of a Chinese authority: its words,
and the names of levels and series in it, do not follow the reader's language. Wrapping the function
that builds a document's HTML in ``official_language`` renders it in the project's language
(``settings.LANGUAGE_CODE``) even when an English page's request builds it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.utils import translation

F = TypeVar("F", bound=Callable)


def official_language(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
