"""A city with a committee, its secretary, a pool of experts and applications waiting at the committee."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from accounts.models import Role, User
from applications.models import Application
from committees import services
from committees.models import Committee, Expert, Meeting
from review.chain import Action
from review.services import review_decide
from tests.applications.helpers import cst
from tests.factories import ApplicantFactory, OrganisationFactory, UserFactory
from tests.review.helpers import City, build_city, submitted_application

FILED_AT = cst(2026, 11, 12, 10, 0, 0)  # a Thursday
# Five whole working days (13, 16, 17, 18, 19 Nov) lie between filing and the 20th.
FIRST_ALLOWED = cst(2026, 11, 20, 9, 0, 0)
CLOSE_AT = cst(2026, 11, 20, 17, 0, 0)


@dataclass
class CommitteeWorld:
    city: City
    committee: Committee
    secretary: User
    experts: list[Expert] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)


def make_expert(world_or_city, committee: Committee, secretary: User, *, unit=None, birth=date(1980, 5, 1),
                external: bool = False, name: str = "") -> Expert:
    tenant = committee.tenant
    org = unit or OrganisationFactory(tenant=tenant)
    user = UserFactory(role=Role.EXPERT, organisation=org, **({"full_name": name} if name else {}))
    return services.expert_enrol(
        actor=secretary, committee=committee, user=user, series="engineering", specialty="土木工程",
        title_name="正高级工程师", unit_name=org.name, unit=org, birth_date=birth, is_external=external,
    )


def to_committee(city: City, application: Application) -> Application:
    """Approve an application at every bureau level so it waits at the committee."""
    for actor in (city.head, city.department_reviewer, city.county_reviewer, city.city_reviewer):
        review_decide(actor=actor, application=application, action=Action.APPROVE, opinion="同意。")
    application.refresh_from_db()
    return application


def build_world(code: str = "zhengzhou", experts: int = 5, applications: int = 1) -> CommitteeWorld:
    city = build_city(code)
    secretary = UserFactory(role=Role.COMMITTEE_SECRETARY, organisation=city.city)
    committee = services.committee_create(
        actor=secretary, name="工程系列中级职称评审委员会", series=["engineering"],
        levels=["assistant", "intermediate"], host=city.city,
    )
    world = CommitteeWorld(city=city, committee=committee, secretary=secretary)
    world.experts = [make_expert(city, committee, secretary) for _ in range(experts)]
    for index in range(applications):
        applicant = city.applicant if index == 0 else ApplicantFactory(organisation=city.unit)
        app = submitted_application(applicant, method=Application.EvaluationMethod.COMMITTEE_REVIEW)
        world.applications.append(to_committee(city, app))
    return world


def plan(world: CommitteeWorld, *, count: int = 5, starts_at=FIRST_ALLOWED, ends_at=None, at=FILED_AT) -> Meeting:
    return services.meeting_plan_file(
        actor=world.secretary, committee=world.committee, title="2026年工程系列评审会", starts_at=starts_at,
        ends_at=ends_at or starts_at.replace(hour=17), expert_count=count,
        application_ids=[a.pk for a in world.applications], at=at,
    )


def isolation_objects(objects: dict) -> dict:
    """A committee, expert, meeting and agenda item of the tenant of ``objects`` (the isolation
    matrix's foreign objects), created once and cached in ``objects``."""
    if "_committees" not in objects:
        from django.utils import timezone

        from applications.models import Submission
        from committees.models import AgendaItem

        tenant = objects["tenant"]
        committee = Committee.objects.filter(tenant=tenant).order_by("id").first()
        expert = Expert.objects.filter(tenant=tenant).order_by("id").first()
        secretary = User.objects.filter(tenant=tenant, role=Role.COMMITTEE_SECRETARY).first()
        application = objects["application"]
        submission = Submission.objects.filter(application=application).first() or Submission.objects.create(
            application=application, revision=1, snapshot={}, content_hash="0" * 64,
            submitted_by=application.applicant, submitted_at=timezone.now(),
        )
        now = timezone.now()
        meeting = Meeting.objects.create(
            tenant=tenant, committee=committee, title="隔离测试评审会", starts_at=now, ends_at=now,
            expert_count=3, plan_filed_at=now, plan_filed_by=secretary, status=Meeting.Status.REPORTED,
        )
        item = AgendaItem.objects.create(meeting=meeting, application=application, submission=submission, order=1)
        objects["_committees"] = {"committee": committee, "expert": expert, "meeting": meeting, "item": item}
    return objects["_committees"]
