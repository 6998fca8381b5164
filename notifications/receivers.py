"""Signal receivers: schedule the notification task once the triggering transaction commits."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save


def _submitted(sender, *, application, submission, **kwargs) -> None:
    from notifications.tasks import enqueue, notify_submission

    application_id, submission_id = application.pk, submission.pk
    transaction.on_commit(lambda: enqueue(notify_submission, application_id, submission_id))


def _certificate_saved(sender, instance, created: bool, **kwargs) -> None:
    if not created:
        return
    from notifications.tasks import enqueue, notify_certificate

    certificate_id = instance.pk
    transaction.on_commit(lambda: enqueue(notify_certificate, certificate_id))


def connect() -> None:
    from applications.signals import application_submitted
    from certificates.models import Certificate

    application_submitted.connect(_submitted, dispatch_uid="notifications.submitted")
    post_save.connect(_certificate_saved, sender=Certificate, dispatch_uid="notifications.certificate")
