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


def can_decide_exceptional(user: User, approval) -> bool:
    """The tenant's 市人社局 signs the 破格 form last (004 附件 审批表 “市（厅、局）人事部门意见”)."""
    return (
        user.is_authenticated
        and user.role in (Role.CITY_REVIEWER, Role.TENANT_ADMIN)
        and user.tenant_id is not None
        and user.tenant_id == approval.application.tenant_id
    )


def can_supply_unit_materials(user: User, application: Application) -> bool:
    """The applicant's own unit staff upload the unit's materials once the application is submitted
    (a draft is the applicant's own), until the unit has forwarded it."""
    return (
        user.is_authenticated
        and user.role in UNIT_ROLES
        and user.organisation_id is not None
        and user.organisation_id == application.unit_id
        and application.status in (Application.Status.SUBMITTED, Application.Status.RETURNED)
    )
