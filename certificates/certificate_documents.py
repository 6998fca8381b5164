"""What an electronic title certificate shows, and its QR code.

The verification URL is absolute (a phone scanning the paper needs the host): it is taken from
the request that started the batch, else from ``settings.CERTIFICATE_PUBLIC_BASE_URL``.
"""

from __future__ import annotations

import base64
import io

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from rules.engine import vocab


def certificate_number(*, region_code: str, year: int, level: str, serial: int) -> str:
    """Region, year, one digit for the level (员级 1 … 正高级 5), five digits of serial."""
    level_digit = vocab.LEVEL_ORDER.index(level) + 1 if level in vocab.LEVEL_ORDER else 9
    return f"{region_code}{year}{level_digit}{serial:05d}"


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

    url = verification_url(certificate.token, base)
    return render_to_string(
        "certificates/certificate/pdf.html",
        {
            "certificate": certificate,
            "verification_url": url,
            "qr": qr_data_uri(url),
            "font_face": font_face_css(),
        },
    )
