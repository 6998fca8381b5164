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


def submitted_intermediate(applicant: User) -> Application:
    """An engineering 中级 committee review filed in Xuchang (001_272b0a6ee81b04e4.txt: 中级 only in its
    engineering series), by an 助理工程师 appointed since 2019 with an appointment letter on file."""
    from applications import services as filing
    from applications.models import Attachment, TitleHeld
    from tests.applications.helpers import IN_WINDOW, eligible_record, fill_required_slots, pdf_bytes

    if not hasattr(applicant, "personal_record"):
        eligible_record(applicant)
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    content = pdf_bytes()
    letter = Attachment.objects.create(
        owner=applicant, file=SimpleUploadedFile("聘书.pdf", content, content_type="application/pdf"),
        original_name="聘书.pdf", content_type="application/pdf", size=len(content), pages=1,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    TitleHeld.objects.create(person=applicant, series="engineering", level="assistant", name="助理工程师",
                             obtained_on=date(2019, 9, 1), appointed_on=date(2019, 12, 31), appointment_letter=letter)
    application = filing.application_create(actor=applicant, series="engineering", level="intermediate", at=IN_WINDOW)
    Application.objects.filter(pk=application.pk).update(evaluation_method=Application.EvaluationMethod.COMMITTEE_REVIEW)
    application.refresh_from_db()
    fill_required_slots(application)
    # Files named as a person names them (the shared filler names them after their slot ids).
    import re

    from applications.models import ApplicationFile
    from committees.snapshot import slot_names

    names = slot_names(application)
    for row in ApplicationFile.objects.filter(application=application).select_related("attachment"):
        readable = re.sub(r"[^\w]", "", names.get(row.slot, "材料"))[:40] or "材料"
        Attachment.objects.filter(pk=row.attachment_id).update(original_name=f"{readable}.pdf")
    filing.pledge_sign(actor=applicant, application=application, typed_name=applicant.full_name, agreed=True)
    filing.application_submit(actor=applicant, application=application, at=IN_WINDOW)
    application.refresh_from_db()
    return application


def build_world(code: str = "zhengzhou", experts: int = 5, applications: int = 1, *, name: str = "郑州市",
                level: str = "assistant") -> CommitteeWorld:
    """With ``level="intermediate"`` the applications are Xuchang-style engineering 中级 filings."""
    city = build_city(code, name)
    secretary = UserFactory(role=Role.COMMITTEE_SECRETARY, organisation=city.city)
    committee = services.committee_create(
        actor=secretary, name="工程系列中级职称评审委员会", series=["engineering"],
        levels=["assistant", "intermediate"], host=city.city,
    )
    world = CommitteeWorld(city=city, committee=committee, secretary=secretary)
    world.experts = [make_expert(city, committee, secretary) for _ in range(experts)]
    for index in range(applications):
        applicant = city.applicant if index == 0 else ApplicantFactory(organisation=city.unit)
        if level == "intermediate":
            app = submitted_intermediate(applicant)
        else:
            app = submitted_application(applicant, method=Application.EvaluationMethod.COMMITTEE_REVIEW)
        world.applications.append(to_committee(city, app))
    return world


def xuchang_world(experts: int = 3, applications: int = 1) -> CommitteeWorld:
    return build_world("xuchang", experts=experts, applications=applications, name="许昌市", level="intermediate")


def plan(world: CommitteeWorld, *, count: int = 5, starts_at=FIRST_ALLOWED, ends_at=None, at=FILED_AT) -> Meeting:
    return services.meeting_plan_file(
        actor=world.secretary, committee=world.committee, title="2026年工程系列评审会", starts_at=starts_at,
        ends_at=ends_at or starts_at.replace(hour=17), expert_count=count,
        application_ids=[a.pk for a in world.applications], at=at,
    )


def sign(meeting: Meeting, user: User) -> None:
    """``user`` signs the meeting's 保密承诺书 (001_272b0a6ee81b04e4.txt 五(一))."""
    services.pledge_sign(actor=user, meeting=meeting, typed_name=user.full_name, agreed=True)


def draw(world: CommitteeWorld, meeting: Meeting, seed: str = "s1", *, pledged: bool = True) -> Meeting:
    """The secretary signs the pledge and draws; with ``pledged`` every drawn expert signs too."""
    sign(meeting, world.secretary)
    services.meeting_draw_experts(actor=world.secretary, meeting=meeting, seed=seed)
    meeting.refresh_from_db()
    if pledged:
        for assignment in meeting.assignments.select_related("expert__user"):
            sign(meeting, assignment.expert.user)
    return meeting


def isolation_objects(objects: dict) -> dict:
    """A committee, expert, meeting and agenda item of the tenant of ``objects`` (the isolation
    matrix's foreign objects), created once and cached in ``objects``."""
    if "_committees" not in objects:
        from django.utils import timezone

        from applications.models import Attachment, Submission
        from committees import selectors
        from committees.models import AgendaItem, PublicityObjection

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
        objection = PublicityObjection.objects.create(
            meeting=meeting, item=item, lodged_by_name="王建国", content="隔离测试异议", lodged_at=now,
            recorded_by=secretary,
        )
        frozen = list(selectors.snapshot_attachments(submission.snapshot)) or list(
            Attachment.objects.filter(owner=application.applicant).values_list("pk", flat=True)[:1]
        )
        objects["_committees"] = {"committee": committee, "expert": expert, "meeting": meeting, "item": item,
                                  "objection": objection, "file_pk": frozen[0] if frozen else 1}
    return objects["_committees"]
