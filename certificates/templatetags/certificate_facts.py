"""``{{ certificate|certificate_facts }}``: what a certificate states (certificates/titles.py)."""

from __future__ import annotations

from django import template

from certificates.titles import CertificateFacts
from certificates.titles import certificate_facts as facts_of

register = template.Library()


@register.filter
def certificate_facts(certificate) -> CertificateFacts:
    return facts_of(certificate)
