"""Role checks as pure functions; services re-check them before every write."""

from __future__ import annotations

from accounts.models import UNIT_ROLES, Role, User
from applications.models import Achievement, Application


def can_file(user: User) -> bool:
    """Only applicants keep a record and file applications, for themselves."""
    return user.is_authenticated and user.role == Role.APPLICANT and user.organisation_id is not None


def can_edit_application(user: User, application: Application) -> bool:
    return application.applicant_id == user.pk and application.is_editable


def can_decide_achievement(user: User, achievement: Achievement) -> bool:
    """The applicant's own unit (handler or head) approves archive entries (004 附件1 一、1)."""
    return (
        user.role in UNIT_ROLES
        and user.organisation_id is not None
        and user.organisation_id == achievement.person.organisation_id
        and achievement.status == Achievement.Status.PENDING
    )
