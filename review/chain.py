"""The review chain, declared as data (architecture.md §4).

Each level of authority is one ``StepDefinition``: who acts there, what they may decide, when the
level applies to an application and which organisation holds it. ``plan_chain`` computes one
application's chain from its unit and evaluation method; one generic transition service (to come
with the review models) performs the decisions. No view names a level.

Sources: 000_09f0e4863c323892.txt 六(四) (unit → competent department → HR bureau, online);
001_272b0a6ee81b04e4.txt 二(四) (unit recommends, departments and bureaus review level by level,
then the committee; 一次告知 on returns); 003_c25e803c7aeb4e62.txt 三 (unit, then bureau).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from applications.models import Application
from units.models import Organisation
from units.tenant_settings import chain_of


class Level(models.TextChoices):
    UNIT = "unit", _("用人单位")
    DEPARTMENT = "department", _("主管部门")
    COUNTY = "county", _("县（市、区）人社部门")
    CITY = "city", _("市人社部门")
    COMMITTEE = "committee", _("评审委员会")


class Action(models.TextChoices):
    APPROVE = "approve", _("通过")
    RETURN = "return", _("退回修改")
    REJECT = "reject", _("不通过")


EvaluationMethod = Application.EvaluationMethod


@dataclass(frozen=True)
class StepDefinition:
    """What a level is, whatever the tenant: who acts there, what they may decide, which
    organisation holds an application at it. Whether and when a tenant's applications pass through
    it is the tenant's chain (``Tenant.chain``, the tenant document's ``chain``)."""

    level: Level
    roles: frozenset[str]
    actions: frozenset[str]
    holder: Callable[[Organisation], Organisation | None]
    # The inverse of ``holder``: the units whose applications the organisation with this id holds
    # at this level (a condition on units, evaluated inside one query).
    units_held: Callable[[int], Q] = lambda holder_id: Q(pk__in=[])


@dataclass(frozen=True)
class PlannedStep:
    order: int
    level: Level
    organisation: Organisation | None
    roles: frozenset[str]
    actions: frozenset[str]
    # The window instant (``submit_closes_at`` …) by which this level must decide, if the chain says.
    deadline: str | None = None

    @property
    def label(self) -> str:
        holder = self.organisation.name if self.organisation is not None else ""
        return f"{self.level.label}（{holder}）" if holder else str(self.level.label)


def _county_bureau(unit: Organisation) -> Organisation | None:
    """The county bureau of the unit's district, looked up once per unit instance: planning a chain
    asks twice (the ``unit_in_district`` condition, then the level's holder; issue 18)."""
    if unit.district_id is None:
        return None
    cached = unit.__dict__.get("_county_bureau")
    if cached is None or cached[0] != unit.district_id:
        found = Organisation.objects.filter(
            tenant_id=unit.tenant_id, kind=Organisation.Kind.COUNTY_BUREAU, district_id=unit.district_id
        ).first()
        cached = unit.__dict__["_county_bureau"] = (unit.district_id, found)
    return cached[1]


def _holder(holder_id: int):
    return Organisation.objects.filter(pk=holder_id)


def _city_bureau(unit: Organisation) -> Organisation | None:
    return Organisation.objects.filter(tenant_id=unit.tenant_id, kind=Organisation.Kind.CITY_BUREAU).first()


ALL_ACTIONS = frozenset(Action.values)

LEVELS: tuple[StepDefinition, ...] = (
    StepDefinition(
        level=Level.UNIT,
        roles=frozenset({Role.UNIT_HANDLER, Role.UNIT_HEAD}),
        actions=ALL_ACTIONS,
        holder=lambda unit: unit,
        units_held=lambda holder_id: Q(pk=holder_id),
    ),
    StepDefinition(
        level=Level.DEPARTMENT,
        roles=frozenset({Role.DEPARTMENT_REVIEWER}),
        actions=ALL_ACTIONS,
        holder=lambda unit: unit.competent_department,
        units_held=lambda holder_id: Q(competent_department_id=holder_id),
    ),
    StepDefinition(
        level=Level.COUNTY,
        roles=frozenset({Role.COUNTY_REVIEWER}),
        actions=ALL_ACTIONS,
        holder=_county_bureau,
        units_held=lambda holder_id: Q(district_id__in=_holder(holder_id).values("district_id")),
    ),
    StepDefinition(
        level=Level.CITY,
        roles=frozenset({Role.CITY_REVIEWER, Role.TENANT_ADMIN}),
        actions=ALL_ACTIONS,
        holder=_city_bureau,
        units_held=lambda holder_id: Q(tenant_id__in=_holder(holder_id).values("tenant_id")),
    ),
    StepDefinition(
        # The committee's outcome is a vote (committees app), never a return.
        level=Level.COMMITTEE,
        roles=frozenset({Role.COMMITTEE_SECRETARY}),
        actions=frozenset({Action.APPROVE, Action.REJECT}),
        holder=lambda unit: None,
    ),
)

DEFINITIONS = {definition.level: definition for definition in LEVELS}

# When a level applies (tenant contract ``chain[].when``).
CONDITIONS: dict[str, Callable[[Organisation, str], bool]] = {
    # Non-public units have no competent department and skip that level.
    "unit_has_department": lambda unit, method: unit.competent_department_id is not None,
    # Units registered in a county with a bureau go through that bureau.
    "unit_in_district": lambda unit, method: _county_bureau(unit) is not None,
    "committee_review": lambda unit, method: method == EvaluationMethod.COMMITTEE_REVIEW,
}

def plan_chain(*, unit: Organisation, evaluation_method: str, chain: list[dict] | None = None) -> list[PlannedStep]:
    """The levels one application passes through, in order (``chain``: the tenant's, by default)."""
    spec = chain if chain is not None else chain_of(unit.tenant)
    steps: list[PlannedStep] = []
    for item in spec:
        condition = item.get("when")
        if condition and not CONDITIONS[condition](unit, evaluation_method):
            continue
        definition = DEFINITIONS[Level(item["level"])]
        steps.append(
            PlannedStep(
                order=len(steps) + 1,
                level=definition.level,
                organisation=definition.holder(unit),
                roles=definition.roles,
                actions=definition.actions,
                deadline=item.get("deadline"),
            )
        )
        if evaluation_method in item.get("final_for", ()):
            break
    return steps


def may_act(*, user, step: PlannedStep, action: str) -> bool:
    """Whether ``user`` may take ``action`` at ``step``: right role, right organisation."""
    if action not in step.actions or user.role not in step.roles:
        return False
    if step.organisation is None:
        return user.tenant_id is not None
    if user.role == Role.TENANT_ADMIN:
        return user.tenant_id == step.organisation.tenant_id
    return user.organisation_id == step.organisation.pk
