"""The unit's own recommendation procedure as a specification (002 第七条/第八条, 003 二(一)2,
004 三(三)): group, scores, publicity in working days, named objections, quota, dispatch, list."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from accounts.models import Role
from applications.models import Application
from core import crypto
from core.models import AuditEvent
from review import procedure as svc
from review import procedure_selectors as sel
from review.chain import Action, Level
from review.models import ProcedureCandidate, ReviewStep, UnitProcedure
from review.services import review_decide
from rules.models import CalendarOverride
from tests.applications.helpers import IN_WINDOW, cst
from tests.factories import ApplicantFactory, OrganisationFactory, UserFactory
from tests.review.helpers import build_city, submitted_application
from units.models import DispatchPlacement, Organisation

pytestmark = pytest.mark.django_db

PUBLICITY_STARTS = date(2026, 11, 11)  # a Wednesday
# 5 working days: 11, 12, 13, 16, 17 November (14/15 are a weekend).
PUBLICITY_ENDS = date(2026, 11, 17)
DURING = cst(2026, 11, 13, 10, 0, 0)
LAST_DAY = cst(2026, 11, 17, 16, 0, 0)
AFTER = cst(2026, 11, 18, 9, 0, 0)


@pytest.fixture
def city():
    city = build_city()  # zhengzhou's filing rules; the procedure settings of 唐山 (002 第七条(二))
    city.tenant.review_group_min_size = 7
    city.tenant.publicity_working_days = 5
    city.tenant.unit_procedure_required = True
    city.tenant.save()
    return city


@pytest.fixture
def applications(city):
    second = ApplicantFactory(organisation=city.unit)
    return [submitted_application(city.applicant), submitted_application(second)]


def group(city, procedure, size=7):
    for n in range(size):
        svc.group_member_add(actor=city.handler, procedure=procedure, name=f"组员{n}", position="业务骨干")


def score_all(city, procedure, by_candidate):
    for member in procedure.members.all():
        svc.scores_record(actor=city.handler, procedure=procedure, member_id=member.pk, scores=by_candidate)


@pytest.fixture
def prepared(city, applications):
    """Group of 7, both candidates scored, 2 vacant assistant posts."""
    procedure = svc.procedure_create(actor=city.handler, title="2026年度职称申报推荐")
    group(city, procedure)
    ids = [a.pk for a in applications]
    candidates = svc.candidates_add(actor=city.handler, procedure=procedure, application_ids=ids)
    score_all(city, procedure, {candidates[0].pk: "88.5", candidates[1].pk: "91"})
    svc.quota_set(actor=city.handler, procedure=procedure, level="assistant", vacant_posts=2)
    return procedure


def publicise(city, procedure):
    return svc.publicity_start(actor=city.handler, procedure=procedure, starts_on=PUBLICITY_STARTS, at=IN_WINDOW)


def candidate_ids(procedure):
    return list(procedure.candidates.order_by("id").values_list("pk", flat=True))


def messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- group ----------------------------------------------------------------------------------------


def test_it_refuses_publicity_while_the_group_is_below_the_tenant_minimum(city, applications):
    procedure = svc.procedure_create(actor=city.handler, title="推荐")
    group(city, procedure, size=6)
    candidates = svc.candidates_add(actor=city.handler, procedure=procedure, application_ids=[applications[0].pk])
    score_all(city, procedure, {candidates[0].pk: "80"})
    with pytest.raises(ValidationError) as excinfo:
        publicise(city, procedure)
    assert "至少须有7人" in messages(excinfo) and "现有6人" in messages(excinfo)
    procedure.refresh_from_db()
    assert procedure.status == UnitProcedure.Status.PREPARING


def test_it_uses_the_hebei_minimum_of_five_from_tenant_settings(city, applications):
    city.tenant.review_group_min_size = 5
    city.tenant.save()
    procedure = svc.procedure_create(actor=city.handler, title="推荐")
    group(city, procedure, size=5)
    candidates = svc.candidates_add(actor=city.handler, procedure=procedure, application_ids=[applications[0].pk])
    score_all(city, procedure, {candidates[0].pk: "80"})
    publicise(city, procedure)
    assert procedure.status == UnitProcedure.Status.PUBLICITY


def test_it_refuses_a_duplicate_member_and_an_empty_position(city):
    procedure = svc.procedure_create(actor=city.handler, title="推荐")
    svc.group_member_add(actor=city.handler, procedure=procedure, name="张三", position="副院长")
    with pytest.raises(ValidationError):
        svc.group_member_add(actor=city.handler, procedure=procedure, name="张三", position="科长")
    with pytest.raises(ValidationError) as excinfo:
        svc.group_member_add(actor=city.handler, procedure=procedure, name="李四", position="")
    assert "职务" in messages(excinfo)
    assert procedure.members.count() == 1


def test_it_refuses_staff_of_another_unit(city):
    procedure = svc.procedure_create(actor=city.handler, title="推荐")
    stranger = UserFactory(role=Role.UNIT_HANDLER, organisation=OrganisationFactory(tenant=city.tenant))
    with pytest.raises(PermissionDenied):
        svc.group_member_add(actor=stranger, procedure=procedure, name="王五", position="科长")
    assert sel.procedures_for_user(stranger).count() == 0


# --- scoring and ranking ------------------------------------------------------------------------


def test_it_refuses_scores_outside_0_to_100(city, prepared):
    member = prepared.members.first()
    with pytest.raises(ValidationError) as excinfo:
        svc.scores_record(
            actor=city.handler, procedure=prepared, member_id=member.pk, scores={candidate_ids(prepared)[0]: "101"}
        )
    assert "0至100" in messages(excinfo)


def test_it_refuses_publicity_until_every_member_scored_every_candidate(city, applications):
    procedure = svc.procedure_create(actor=city.handler, title="推荐")
    group(city, procedure)
    candidates = svc.candidates_add(actor=city.handler, procedure=procedure, application_ids=[applications[0].pk])
    first = procedure.members.first()
    svc.scores_record(actor=city.handler, procedure=procedure, member_id=first.pk, scores={candidates[0].pk: "80"})
    with pytest.raises(ValidationError) as excinfo:
        publicise(city, procedure)
    assert "尚未由评议组全体成员量化赋分" in messages(excinfo)


def test_it_ranks_by_mean_score_then_earlier_submission(city, applications):
    procedure = svc.procedure_create(actor=city.handler, title="推荐")
    group(city, procedure)
    first, second = svc.candidates_add(
        actor=city.handler, procedure=procedure, application_ids=[a.pk for a in applications]
    )
    score_all(city, procedure, {first.pk: "90", second.pk: "90"})
    Application.objects.filter(pk=first.application_id).update(submitted_at=cst(2026, 11, 10, 12, 0, 0))
    ranked = sel.ranking(procedure)
    assert [(r.candidate.pk, r.rank, str(r.total)) for r in ranked] == [(second.pk, 1, "90.00"), (first.pk, 2, "90.00")]
    member = procedure.members.first()
    svc.scores_record(actor=city.handler, procedure=procedure, member_id=member.pk, scores={first.pk: "97"})
    assert [r.candidate.pk for r in sel.ranking(procedure)] == [first.pk, second.pk]
    # 90*6 + 97 = 637; 637 / 7 = 91.00
    assert str(sel.ranking(procedure)[0].total) == "91.00"


def test_it_freezes_scores_once_publicity_starts(city, prepared):
    publicise(city, prepared)
    member = prepared.members.first()
    with pytest.raises(ValidationError):
        svc.scores_record(
            actor=city.handler, procedure=prepared, member_id=member.pk, scores={candidate_ids(prepared)[0]: "60"}
        )
    ranks = dict(prepared.candidates.values_list("pk", "rank"))
    assert sorted(ranks.values()) == [1, 2]


# --- publicity ----------------------------------------------------------------------------------


def test_it_counts_the_publicity_in_working_days_skipping_weekends(city, prepared):
    publicise(city, prepared)
    prepared.refresh_from_db()
    assert (prepared.publicity_starts_on, prepared.publicity_ends_on) == (PUBLICITY_STARTS, PUBLICITY_ENDS)
    assert AuditEvent.objects.filter(action="unit_publicity_started").count() == 1


def test_it_skips_a_bureau_declared_holiday(city, prepared):
    CalendarOverride.objects.create(date=date(2026, 11, 12), is_workday=False, note="测试假日")
    publicise(city, prepared)
    prepared.refresh_from_db()
    assert prepared.publicity_ends_on == date(2026, 11, 18)


def test_it_refuses_fewer_working_days_than_the_tenant_requires_or_more_than_ten(city, prepared):
    for days in (4, 11):
        with pytest.raises(ValidationError) as excinfo:
            svc.publicity_start(
                actor=city.handler, procedure=prepared, starts_on=PUBLICITY_STARTS, working_days=days, at=IN_WINDOW
            )
        assert "5至10个工作日" in messages(excinfo)


def test_it_refuses_to_start_publicity_on_a_weekend(city, prepared):
    with pytest.raises(ValidationError) as excinfo:
        svc.publicity_start(actor=city.handler, procedure=prepared, starts_on=date(2026, 11, 14), at=IN_WINDOW)
    assert "不是工作日" in messages(excinfo)


def test_it_refuses_to_close_or_recommend_before_the_last_working_day_has_passed(city, prepared):
    publicise(city, prepared)
    with pytest.raises(ValidationError) as excinfo:
        svc.publicity_close(actor=city.handler, procedure=prepared, at=LAST_DAY)
    assert "公示期未满" in messages(excinfo) and "5个工作日" in messages(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        svc.procedure_recommend(
            actor=city.handler, procedure=prepared, candidate_ids=candidate_ids(prepared), at=LAST_DAY
        )
    assert "公示期未满" in messages(excinfo)
    assert not ProcedureCandidate.objects.filter(recommended=True).exists()


# --- objections ---------------------------------------------------------------------------------


def test_it_refuses_an_anonymous_objection(city, prepared):
    publicise(city, prepared)
    for name in ("", "匿名", "匿名群众"):
        with pytest.raises(ValidationError) as excinfo:
            svc.objection_lodge(
                actor=city.handler, procedure=prepared, candidate_id=candidate_ids(prepared)[0], name=name,
                content="业绩不实", at=DURING,
            )
        assert "实名" in messages(excinfo)
    assert prepared.objections.count() == 0


def test_it_accepts_objections_only_during_publicity(city, prepared):
    with pytest.raises(ValidationError):
        svc.objection_lodge(
            actor=city.handler, procedure=prepared, candidate_id=candidate_ids(prepared)[0], name="赵六",
            content="业绩不实", at=DURING,
        )
    publicise(city, prepared)
    with pytest.raises(ValidationError) as excinfo:
        svc.objection_lodge(
            actor=city.handler, procedure=prepared, candidate_id=candidate_ids(prepared)[0], name="赵六",
            content="业绩不实", at=AFTER,
        )
    assert "不在公示期内" in messages(excinfo)


def test_it_refuses_to_recommend_while_an_objection_is_unresolved(city, prepared):
    publicise(city, prepared)
    objection = svc.objection_lodge(
        actor=city.handler, procedure=prepared, candidate_id=candidate_ids(prepared)[0], name="赵六",
        content="论文署名存疑", at=DURING,
    )
    with pytest.raises(ValidationError) as excinfo:
        svc.procedure_recommend(actor=city.handler, procedure=prepared, candidate_ids=candidate_ids(prepared), at=AFTER)
    assert "1条异议未作出调查核实结论" in messages(excinfo)
    with pytest.raises(ValidationError):
        svc.objection_resolve(actor=city.handler, objection=objection, finding="  ", upheld=False)
    svc.objection_resolve(actor=city.handler, objection=objection, finding="经核实，论文署名属实。", upheld=False)
    svc.publicity_close(actor=city.handler, procedure=prepared, at=AFTER)
    chosen = svc.procedure_recommend(
        actor=city.handler, procedure=prepared, candidate_ids=candidate_ids(prepared), at=AFTER
    )
    assert len(chosen) == 2


def test_it_excludes_a_candidate_whose_objection_is_upheld(city, prepared):
    publicise(city, prepared)
    target = candidate_ids(prepared)[0]
    objection = svc.objection_lodge(
        actor=city.handler, procedure=prepared, candidate_id=target, name="赵六", content="业绩造假", at=DURING
    )
    svc.objection_resolve(actor=city.handler, objection=objection, finding="经核实，业绩材料不实。", upheld=True)
    with pytest.raises(ValidationError) as excinfo:
        svc.procedure_recommend(actor=city.handler, procedure=prepared, candidate_ids=[target], at=AFTER)
    assert "核实属实，不能推荐" in messages(excinfo)
    ranked = sel.ranking(prepared)
    assert ranked[-1].candidate.pk == target and ranked[-1].rank is None


# --- quota ----------------------------------------------------------------------------------------


def test_it_refuses_to_recommend_more_than_the_vacant_posts(city, prepared):
    svc.quota_set(actor=city.handler, procedure=prepared, level="assistant", vacant_posts=1)
    publicise(city, prepared)
    with pytest.raises(ValidationError) as excinfo:
        svc.procedure_recommend(actor=city.handler, procedure=prepared, candidate_ids=candidate_ids(prepared), at=AFTER)
    assert "空余岗位1个，拟推荐2人" in messages(excinfo)
    assert ReviewStep.objects.filter(level=Level.UNIT, status=ReviewStep.Status.APPROVED).count() == 0


def test_it_leaves_green_channel_applicants_outside_the_quota(city, applications):
    applications[0].applicant.green_channel = True
    applications[0].applicant.save(update_fields=["green_channel"])
    procedure = svc.procedure_create(actor=city.handler, title="推荐")
    group(city, procedure)
    candidates = svc.candidates_add(
        actor=city.handler, procedure=procedure, application_ids=[a.pk for a in applications]
    )
    score_all(city, procedure, {candidates[0].pk: "70", candidates[1].pk: "80"})
    svc.quota_set(actor=city.handler, procedure=procedure, level="assistant", vacant_posts=1)
    publicise(city, procedure)
    svc.procedure_recommend(actor=city.handler, procedure=procedure, candidate_ids=candidate_ids(procedure), at=AFTER)
    rows = sel.quota_rows(procedure)
    assert [(r.level, r.vacant, r.used, r.left) for r in rows] == [("assistant", 1, 1, 0)]


def test_it_refuses_quota_for_a_non_public_unit(city):
    handler = UserFactory(role=Role.UNIT_HANDLER, organisation=city.private_unit)
    procedure = svc.procedure_create(actor=handler, title="推荐")
    with pytest.raises(ValidationError) as excinfo:
        svc.quota_set(actor=handler, procedure=procedure, level="assistant", vacant_posts=3)
    assert "事业单位" in messages(excinfo)


# --- the recommendation and the unit-level gate --------------------------------------------------


def test_it_approves_each_recommended_application_through_review_decide(city, prepared, applications):
    publicise(city, prepared)
    svc.procedure_recommend(actor=city.handler, procedure=prepared, candidate_ids=candidate_ids(prepared), at=AFTER)
    prepared.refresh_from_db()
    assert prepared.status == UnitProcedure.Status.RECOMMENDED
    for application in applications:
        application.refresh_from_db()
        assert application.status == Application.Status.IN_REVIEW
        unit_step = ReviewStep.objects.get(application=application, level=Level.UNIT)
        assert unit_step.status == ReviewStep.Status.APPROVED
        assert "综合排名第" in unit_step.opinion
    # 91 ranks above 88.5: the second applicant is first on the list.
    assert dict(prepared.candidates.values_list("application_id", "rank")) == {
        applications[1].pk: 1, applications[0].pk: 2
    }
    assert AuditEvent.objects.filter(action="review_approve").count() == 2


def test_it_refuses_direct_unit_approval_where_the_tenant_requires_the_procedure(city, applications):
    with pytest.raises(ValidationError) as excinfo:
        review_decide(actor=city.handler, application=applications[0], action=Action.APPROVE, at=IN_WINDOW)
    assert "推荐人员名单" in messages(excinfo)
    city.tenant.unit_procedure_required = False
    city.tenant.save()
    review_decide(actor=city.handler, application=applications[0], action=Action.APPROVE, at=IN_WINDOW)
    applications[0].refresh_from_db()
    assert applications[0].status == Application.Status.IN_REVIEW


def test_it_still_lets_the_unit_return_without_the_procedure(city, applications):
    review_decide(
        actor=city.handler, application=applications[0], action=Action.RETURN, opinion="请修改",
        problems=[{"target": "field:self_statement", "message": "过于简略。"}], at=IN_WINDOW,
    )
    applications[0].refresh_from_db()
    assert applications[0].status == Application.Status.RETURNED


# --- labour dispatch ----------------------------------------------------------------------------


@pytest.fixture
def dispatch(city, applications):
    company = OrganisationFactory(tenant=city.tenant, unit_kind=Organisation.UnitKind.NON_PUBLIC)
    company_handler = UserFactory(role=Role.UNIT_HANDLER, organisation=company)
    DispatchPlacement.objects.create(
        person=applications[0].applicant, dispatch_company=company, user_unit=city.unit, starts_on=date(2025, 1, 1)
    )
    return company_handler


def test_it_refuses_to_recommend_a_dispatched_applicant_without_the_company_approval(city, prepared, applications,
                                                                                     dispatch):
    publicise(city, prepared)
    with pytest.raises(ValidationError) as excinfo:
        svc.procedure_recommend(actor=city.handler, procedure=prepared, candidate_ids=candidate_ids(prepared), at=AFTER)
    assert "劳务派遣公司" in messages(excinfo)
    with pytest.raises(PermissionDenied):
        svc.dispatch_approve(actor=city.handler, application=applications[0], opinion="同意")
    svc.dispatch_approve(actor=dispatch, application=applications[0], opinion="经公示无异议，同意推荐。")
    svc.procedure_recommend(actor=city.handler, procedure=prepared, candidate_ids=candidate_ids(prepared), at=AFTER)
    applications[0].refresh_from_db()
    assert applications[0].status == Application.Status.IN_REVIEW


def test_it_gates_direct_unit_approval_of_a_dispatched_applicant_too(city, applications, dispatch):
    city.tenant.unit_procedure_required = False
    city.tenant.save()
    with pytest.raises(ValidationError) as excinfo:
        review_decide(actor=city.handler, application=applications[0], action=Action.APPROVE, at=IN_WINDOW)
    assert "双审核" in messages(excinfo)
    assert sel.get_dispatch_application_for_user(dispatch, applications[0].pk) == applications[0]


# --- the 公示表 ------------------------------------------------------------------------------------


def test_it_renders_the_publicity_sheet_with_names_and_masked_ids(city, prepared, applications,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publicise(city, prepared)
    prepared.refresh_from_db()
    assert prepared.sheet_status == UnitProcedure.SheetStatus.DONE
    with prepared.sheet.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    compact = text.replace(" ", "").replace("\n", "")
    for application in applications:
        applicant = application.applicant
        assert applicant.full_name in compact
        assert applicant.id_number_masked in compact
        assert crypto.decrypt(applicant.id_number_encrypted) not in compact
    assert "公示表" in compact
    # Idempotent: a second run keeps the same file.
    name = prepared.sheet.name
    from certificates.publicity import publicity_sheet_render

    publicity_sheet_render(procedure_id=prepared.pk)
    prepared.refresh_from_db()
    assert prepared.sheet.name == name
