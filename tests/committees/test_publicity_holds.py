"""Issue 17: a certificate was issued while the committee's 公示 was still running. The committee
reports and publishes its results (001_272b0a6ee81b04e4.txt 五(四): 人力资源社会保障部门和职称评审委员会
承办部门同步分别上网公示评审结果); a certificate now waits until that publicity has ended without an
objection left open or found true, and the certificate pages say which applications wait and why.
(certificates.services.certificate_batch_issue / certificate_batch_run / certificate_create read
committees.selectors.certificate_holds.)"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certificates import services as certificates
from certificates.models import Certificate, CertificateBatch
from committees import selectors, services
from committees.models import Meeting
from tests.applications.helpers import cst
from tests.committees.helpers import CLOSE_AT, draw, plan, xuchang_world

pytestmark = pytest.mark.django_db

REPORTED = cst(2026, 11, 23, 9, 0, 0)  # publicity: 24, 25, 26, 27, 30 November
DURING = cst(2026, 11, 25, 10, 0, 0)
LAST_DAY = cst(2026, 11, 30, 16, 0, 0)
AFTER = cst(2026, 12, 1, 9, 0, 0)


def passed(world, *, report: bool = True) -> Meeting:
    meeting = draw(world, plan(world, count=3))
    for assignment in meeting.assignments.select_related("expert__user"):
        services.vote_cast(actor=assignment.expert.user, item=meeting.items.get(), choice="agree",
                           at=cst(2026, 11, 20, 10, 0, 0))
    services.meeting_close(actor=world.secretary, meeting=meeting, at=CLOSE_AT)
    if report:
        services.meeting_report(actor=world.secretary, meeting=meeting, at=REPORTED)
    return meeting


def at(monkeypatch, moment) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


def issuable(world) -> list[int]:
    return list(certificates.issuable_for(world.city.tenant.pk).values_list("pk", flat=True))


def test_it_holds_the_certificate_while_the_result_is_unreported_or_published(monkeypatch):
    world = xuchang_world(experts=3)
    application = world.applications[0]
    meeting = passed(world, report=False)
    at(monkeypatch, cst(2026, 11, 21, 9, 0, 0))
    assert issuable(world) == []
    assert "尚未报送公示" in certificates.committee_holds(world.city.tenant.pk)[application.pk].reason
    services.meeting_report(actor=world.secretary, meeting=meeting, at=REPORTED)
    for moment in (DURING, LAST_DAY):
        at(monkeypatch, moment)
        assert issuable(world) == []
        hold = certificates.committee_holds(world.city.tenant.pk)[application.pk]
        assert hold.reason == "评审结果正在公示（公示至2026年11月30日），公示期满后方可发证"
        with pytest.raises(ValidationError) as error:
            certificates.certificate_create(application_id=application.pk)
        assert "公示期满后方可发证" in str(error.value)
    at(monkeypatch, AFTER)
    assert issuable(world) == [application.pk]
    certificate, created = certificates.certificate_create(application_id=application.pk)
    assert created and certificate.application == application


def test_it_issues_no_certificate_in_a_batch_during_publicity(monkeypatch, django_capture_on_commit_callbacks):
    world = xuchang_world(experts=3)
    passed(world)
    at(monkeypatch, DURING)
    batch = certificates.certificate_batch_issue(actor=world.city.city_reviewer, tenant=world.city.tenant)
    assert batch.total == 0
    certificates.certificate_batch_run(batch_id=batch.pk)
    assert not Certificate.objects.exists()
    assert CertificateBatch.objects.get().issued == 0


def test_it_holds_the_certificate_until_an_objection_is_resolved_and_for_good_when_found_true(monkeypatch):
    world = xuchang_world(experts=3)
    application = world.applications[0]
    meeting = passed(world)
    item = meeting.items.get()
    with pytest.raises(ValidationError) as error:
        services.publicity_objection_lodge(actor=world.secretary, meeting=meeting, item_id=item.pk, name="匿名",
                                           content="论文存疑", at=DURING)
    assert "真实姓名" in str(error.value)
    objection = services.publicity_objection_lodge(
        actor=world.secretary, meeting=meeting, item_id=item.pk, name="王建国", phone="13800000000",
        content="业绩材料存疑", at=DURING,
    )
    at(monkeypatch, AFTER)
    assert issuable(world) == []
    assert certificates.committee_holds(world.city.tenant.pk)[application.pk].reason == "公示期间收到的异议尚未调查核实"
    with pytest.raises(ValidationError):
        services.publicity_objection_lodge(actor=world.secretary, meeting=meeting, item_id=item.pk, name="李四",
                                           content="迟到的反映", at=AFTER)
    services.publicity_objection_resolve(actor=world.secretary, objection=objection, finding="经核实，业绩材料真实。",
                                         upheld=False, at=AFTER)
    assert issuable(world) == [application.pk]
    second = services.publicity_objection_lodge(actor=world.secretary, meeting=meeting, item_id=item.pk,
                                                name="李四", content="论文抄袭", at=DURING)
    services.publicity_objection_resolve(actor=world.secretary, objection=second, finding="经核实，论文抄袭属实。",
                                         upheld=True, at=AFTER)
    assert issuable(world) == []
    assert "经核实属实，不予发证" in certificates.committee_holds(world.city.tenant.pk)[application.pk].reason
    with pytest.raises(ValidationError) as error:
        services.publicity_objection_resolve(actor=world.secretary, objection=second, finding="再次", upheld=False)
    assert "已有处理结论" in str(error.value)


def test_it_leaves_applications_that_never_met_a_committee_alone():
    """The hold reads only applications a committee passed: 考核认定 and the rest are untouched."""
    world = xuchang_world(experts=3)
    assert selectors.certificate_holds(world.city.tenant.pk, AFTER.date()) == {}


def test_it_names_the_waiting_applications_and_why_on_the_certificate_pages(client, monkeypatch):
    world = xuchang_world(experts=3)
    passed(world)
    at(monkeypatch, DURING)
    client.force_login(world.city.city_reviewer)
    name = world.applications[0].applicant.full_name
    for url in (reverse("certificates:certificate_list"),):
        page = client.get(url).content.decode()
        assert "以下1件评审通过的申报暂不发证" in page and name in page and "公示至2026年11月30日" in page
    batch = certificates.certificate_batch_issue(actor=world.city.city_reviewer, tenant=world.city.tenant)
    page = client.get(reverse("certificates:batch_detail", args=[batch.pk])).content.decode()
    assert "暂不发证" in page and name in page
    at(monkeypatch, AFTER)
    assert "暂不发证" not in client.get(reverse("certificates:certificate_list")).content.decode()


def test_it_lodges_and_resolves_an_objection_on_the_meeting_page(client, monkeypatch):
    world = xuchang_world(experts=3)
    meeting = passed(world)
    item = meeting.items.get()
    at(monkeypatch, DURING)
    client.force_login(world.secretary)
    client.post(reverse("committees:objection_add", args=[meeting.pk]),
                {"item": str(item.pk), "name": "王建国", "content": "业绩材料存疑"})
    objection = meeting.objections.get()
    page = client.get(reverse("committees:meeting_detail", args=[meeting.pk])).content.decode()
    assert "尚未处理，该申报暂不发证" in page
    client.post(reverse("committees:objection_resolve", args=[objection.pk]),
                {f"o{objection.pk}-finding": "经核实，材料真实。", f"o{objection.pk}-upheld": "0"})
    objection.refresh_from_db()
    assert objection.is_resolved and objection.upheld is False
