"""Role checks as pure functions; the services re-check them before every write."""

from __future__ import annotations

from accounts.models import Role, User
from applications.models import Application
from applications.selectors import applications_for_user

# Experts and secretaries see applications through their committee assignments, not here.
DOCUMENT_ROLES_EXCLUDED = (Role.EXPERT, Role.COMMITTEE_SECRETARY)


def can_see_documents(user: User, application: Application) -> bool:
    """Whoever may see the application (its applicant, staff in its remit) may see its documents."""
    if not user.is_authenticated or user.role in DOCUMENT_ROLES_EXCLUDED:
        return False
    return applications_for_user(user).filter(pk=application.pk).exists()


def can_request_document(user: User, application: Application) -> bool:
    """A document prints what was submitted, so there must be a submission; drafts have none."""
    return application.status != Application.Status.DRAFT and can_see_documents(user, application)


# The city bureau issues certificates; only its administrators may revoke one.
CERTIFICATE_ISSUER_ROLES = (Role.CITY_REVIEWER, Role.TENANT_ADMIN)


def can_issue_certificates(user: User, tenant) -> bool:
    return (
        user.is_authenticated
        and user.role in CERTIFICATE_ISSUER_ROLES
        and tenant is not None
        and user.tenant_id == tenant.pk
    )


def can_revoke_certificate(user: User, certificate) -> bool:
    return user.is_authenticated and user.role == Role.TENANT_ADMIN and user.tenant_id == certificate.tenant_id


def can_download_certificate(user: User, certificate) -> bool:
    """The holder, and the bureau that issued it."""
    if not user.is_authenticated:
        return False
    return user.pk == certificate.holder_id or (
        user.role in CERTIFICATE_ISSUER_ROLES and user.tenant_id == certificate.tenant_id
    )
