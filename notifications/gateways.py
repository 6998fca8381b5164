"""Where copies of a message go besides the inbox: email through Django's email backend, SMS
through the gateway class named by ``settings.NOTIFICATIONS_SMS_GATEWAY`` (logging by default)."""

from __future__ import annotations

import logging
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_SMS_GATEWAY = "notifications.gateways.LoggingSmsGateway"


class SmsGateway:
    """Subclass and name the class path in ``NOTIFICATIONS_SMS_GATEWAY`` to send real SMS."""

    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LoggingSmsGateway(SmsGateway):
    def send(self, phone: str, text: str) -> None:
        masked = f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "***"
        logger.info("SMS to %s: %s", masked, text)


@cache
def sms_gateway() -> SmsGateway:
    return import_string(getattr(settings, "NOTIFICATIONS_SMS_GATEWAY", DEFAULT_SMS_GATEWAY))()


def send_email(address: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
