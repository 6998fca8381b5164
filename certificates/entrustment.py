"""The entrustment letter (委托评审函) the city bureau issues when it consents to entrusted review.

Source: 001_272b0a6ee81b04e4.txt 四 ("由市人力资源社会保障部门资格审查并出具委托代评函，委托省内经核准
备案的职称评审委员会代为评审"). The consent and its number are recorded by review.entrusted; this
module only renders: the same consent gives the same bytes.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import get_template

from core.dates import chinese_date
from core.official import official_language
from rules.engine import vocab


def letter_context(entrustment) -> dict[str, Any]:
    from certificates.notices import notice_header
    from certificates.rendering import font_face_css

    application = entrustment.application
    on = entrustment.issued_on
    return {
        "font_face": font_face_css(),
        "issuer": notice_header(entrustment.tenant)["issuer"] or entrustment.issuer.name,
        "letter_number": entrustment.letter_number,
        "authority": entrustment.authority,
        "committee_name": entrustment.committee_name,
        "opinion": entrustment.opinion,
        "applicant": application.applicant.full_name,
        "unit": application.unit.name,
        "series": vocab.SERIES.get(application.series, application.get_series_display()),
        "level": vocab.LEVELS.get(application.level, application.get_level_display()),
        "specialty": application.specialty,
        "issued_on": chinese_date(on),
    }


@official_language
def render_entrustment_letter(entrustment) -> bytes:
    from certificates.rendering import render_pdf

    html = get_template("certificates/entrustment/letter.html").render(letter_context(entrustment))
    return render_pdf(html).content
