"""Checking a certificate PDF someone holds: its signature, the record it matches, the record's status.

Used by the public verification page (upload) and by ``manage.py verify_certificate FILE``; both
read the status from the database at the moment of the check, so a revocation shows at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from certificates import signing
from certificates.certificate_documents import mask_name
from certificates.models import Certificate, CertificateIssue

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
NUMBER_IN_REASON = re.compile(r"([0-9A-Za-z]{6,40})")


class Outcome:
    VALID = "valid"
    TAMPERED = "tampered"
    UNSIGNED = "unsigned"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class FileVerification:
    outcome: str
    message: str
    certificate: Certificate | None = None
    issue: CertificateIssue | None = None
    signature_valid: bool = False
    matches_record: bool = False

    @property
    def is_valid(self) -> bool:
        return self.outcome == Outcome.VALID

    @property
    def exit_code(self) -> int:
        return 0 if self.is_valid else 1


def _day(moment) -> str:
    """The local day of ``moment`` as the reader's language writes it (2026年12月4日 in Chinese)."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return dateformat.format(moment, _("Y年n月j日"))


def _too_large() -> str:
    return _("文件过大：证书PDF不能超过%(limit)sMB。") % {"limit": MAX_UPLOAD_BYTES // 1024 // 1024}


def check_upload(content: bytes, *, field: str = "file") -> bytes:
    """Raise a ValidationError naming the field unless ``content`` looks like a PDF within the limit."""
    if not content:
        raise ValidationError({field: [_("请选择要核验的证书PDF文件。")]})
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError({field: [_too_large()]})
    if not content.lstrip()[:5] == b"%PDF-":
        raise ValidationError({field: [_("文件不是PDF：请上传本平台签发的电子证书PDF。")]})
    return content


def read_upload(upload, *, field: str = "file") -> bytes:
    """The bytes of an uploaded file, checked; a file over the limit is refused before it is read."""
    if upload is None:
        return check_upload(b"", field=field)
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({field: [_too_large()]})
    return check_upload(upload.read(), field=field)


def _claimed_certificate(reason: str) -> Certificate | None:
    match = NUMBER_IN_REASON.search(reason or "")
    if match is None:
        return None
    found = list(Certificate.objects.filter(number=match.group(1))[:2])
    return found[0] if len(found) == 1 else None


def verify_file(content: bytes) -> FileVerification:
    """The verdict on ``content`` (already passed through ``check_upload``)."""
    try:
        check = signing.check_pdf(content)
    except ValueError:
        return FileVerification(Outcome.TAMPERED, _("文件已损坏或被篡改，无法读取其电子签名。"))
    if not check.signed:
        return FileVerification(Outcome.UNSIGNED, _("文件没有电子签名，不是本平台签发的电子证书。"))
    issue = CertificateIssue.objects.select_related("certificate").filter(sha256=check.sha256).order_by("-pk").first()
    if not check.ok or issue is None:
        claimed = issue.certificate if issue else _claimed_certificate(check.reason)
        about = _("（文件自称证书编号%(number)s）") % {"number": claimed.number} if claimed else ""
        if check.signed and not check.trusted and check.intact and check.whole_file:
            message = _("电子签名不是本平台签发的，证书无效%(about)s。") % {"about": about}
        else:
            message = _("证书文件已被篡改：电子签名校验失败，或与签发时的文件不一致%(about)s。") % {"about": about}
        return FileVerification(Outcome.TAMPERED, message, certificate=claimed, signature_valid=False)
    certificate = issue.certificate
    claimed_number = NUMBER_IN_REASON.search(check.reason or "")
    if claimed_number is not None and claimed_number.group(1) != certificate.number:
        return FileVerification(
            Outcome.TAMPERED,
            _("证书文件与签发记录不符：签名中的证书编号%(claimed)s与记录%(number)s不一致。")
            % {"claimed": claimed_number.group(1), "number": certificate.number},
            certificate=certificate,
        )
    if certificate.status == Certificate.Status.REVOKED:
        return FileVerification(
            Outcome.REVOKED,
            _("电子签名有效，但证书%(number)s已于%(day)s撤销，证书无效。")
            % {"number": certificate.number, "day": _day(certificate.revoked_at)},
            certificate=certificate,
            issue=issue,
            signature_valid=True,
            matches_record=True,
        )
    if issue.status == CertificateIssue.Status.SUPERSEDED:
        return FileVerification(
            Outcome.SUPERSEDED,
            _("电子签名有效，但该文件是证书%(number)s的第%(old)s版，已被补发或换发的第%(current)s版取代，不再有效。")
            % {"number": certificate.number, "old": issue.version, "current": certificate.version},
            certificate=certificate,
            issue=issue,
            signature_valid=True,
            matches_record=True,
        )
    return FileVerification(
        Outcome.VALID,
        _("证书有效：电子签名完好，与证书%(number)s（持证人%(holder)s，第%(version)s版）的签发记录一致。")
        % {"number": certificate.number, "holder": mask_name(certificate.holder_name), "version": issue.version},
        certificate=certificate,
        issue=issue,
        signature_valid=True,
        matches_record=True,
    )
