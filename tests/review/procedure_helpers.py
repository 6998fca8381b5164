"""Objects of the unit procedure for tests outside tests/review (e.g. the isolation matrix)."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Role, User
from review.models import Objection, ProcedureCandidate, UnitProcedure


def procedure_for(application) -> UnitProcedure:
    """A procedure of the application's unit with the application as candidate (made once)."""
    existing = UnitProcedure.objects.filter(unit_id=application.unit_id, title="隔离测试推荐").first()
    if existing is not None:
        return existing
    creator = (
        User.objects.filter(organisation_id=application.unit_id, role=Role.UNIT_HANDLER).first()
        or application.applicant
    )
    procedure = UnitProcedure.objects.create(
        tenant_id=application.tenant_id, unit_id=application.unit_id, title="隔离测试推荐", created_by=creator
    )
    ProcedureCandidate.objects.create(procedure=procedure, application=application)
    return procedure


def objection_for(application) -> Objection:
    procedure = procedure_for(application)
    existing = procedure.objections.first()
    if existing is not None:
        return existing
    return Objection.objects.create(
        procedure=procedure, candidate=procedure.candidates.first(), lodged_by_name="赵六", content="业绩不实",
        lodged_at=timezone.now(), recorded_by=procedure.created_by,
    )
