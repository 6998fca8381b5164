"""What an electronic title certificate shows, and its QR code.

The verification URL is absolute (a phone scanning the paper needs the host): it is taken from
the request that started the batch, else from ``settings.CERTIFICATE_PUBLIC_BASE_URL``.
"""

from __future__ import annotations

import base64
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from rules.engine import vocab
from units.tenant_settings import certificate_number_problem, setting

# The placeholders of the setting ``certificate_number`` (units/schema/tenant.schema.json). A
# certificate's serial restarts every year and level (services.certificate_number_allocate), so a
# pattern must carry all three to keep numbers unique within the tenant.
NUMBER_MAX_LENGTH = 40  # Certificate.number


def validate_number_pattern(pattern: str) -> None:
    """Raise ValidationError (in Chinese) unless ``pattern`` is a usable certificate number pattern
    (the rule lives with the tenant settings, which check it when a document is applied)."""
    problem = certificate_number_problem(pattern)
    if problem:
        raise ValidationError(problem)


def certificate_number(tenant, *, year: int, level: str, serial: int) -> str:
    """The number in the tenant's pattern (setting ``certificate_number``); the default is region,
    year, one digit for the level (员级 1 … 正高级 5) and five digits of serial."""
    pattern = setting(tenant, "certificate_number")
    validate_number_pattern(pattern)
    level_digit = vocab.LEVEL_ORDER.index(level) + 1 if level in vocab.LEVEL_ORDER else 9
    try:
        number = pattern.format(
            region=tenant.region_code, year=year, level_digit=level_digit, serial=serial, code=tenant.code
        )
    except (ValueError, TypeError, IndexError, KeyError) as error:
        raise ValidationError(f"证书编号格式“{pattern}”无法使用：{error}") from None
    if not number or len(number) > NUMBER_MAX_LENGTH:
        raise ValidationError(f"按格式“{pattern}”生成的证书编号“{number}”超过{NUMBER_MAX_LENGTH}个字符。")
    return number


def mask_name(name: str) -> str:
    """王小明 → 王*明, 李四 → 李*: enough for the holder to recognise, not to identify."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def base_url(request=None) -> str:
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.CERTIFICATE_PUBLIC_BASE_URL.rstrip("/")


def verification_url(token: str, base: str) -> str:
    return f"{base.rstrip('/')}{reverse('certificates:verify', kwargs={'token': token})}"


def qr_png(payload: str) -> bytes:
    import qrcode

    image = qrcode.make(payload, box_size=8, border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(payload: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(payload)).decode()


def render_html(certificate, *, base: str) -> str:
    from certificates.rendering import font_face_css
    from certificates.titles import certificate_facts

    url = verification_url(certificate.token, base)
    return render_to_string(
        "certificates/certificate/pdf.html",
        {
            "certificate": certificate,
            "facts": certificate_facts(certificate),
            "verification_url": url,
            "qr": qr_data_uri(url),
            "font_face": font_face_css(),
        },
    )
