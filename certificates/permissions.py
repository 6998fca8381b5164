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
