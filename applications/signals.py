"""Signals other apps listen to; the receivers only call their own services."""

from __future__ import annotations

import django.dispatch

# Sent inside the submitting transaction with ``application`` and ``submission`` (the new revision).
application_submitted = django.dispatch.Signal()
