"""The 公示表's dates, 003_c25e803c7aeb4e62.txt 五(六): "公示时间不少于5个工作日（周末节假日不包括在内）……
考核认定公示表中“本人郑重承诺”落款日期需早于公示时间；“单位审核意见”落款日期需在公示期满结束后。"

Checked where the product generates the sheet (the unit procedure's publicity) and where the unit enters
the dates of a sheet signed on paper (tenant setting ``publicity_sheet``)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from core.models import AuditEvent
from review import procedure as svc
from review import publicity_sheet
from review.chain import Action
from review.models import PublicitySheetDates, UnitProcedure
from review.services import review_decide
from tests.applications.helpers import IN_WINDOW, cst
from tests.factories import ApplicantFactory, UserFactory
from tests.review.helpers import build_city, submitted_application
from units.tenant_documents import tenant_apply, tenant_export
from units.tenant_settings import setting

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
STARTS = date(2026, 11, 11)  # Wednesday; 5 working days: 11, 12, 13, 16, 17 November
ENDS = date(2026, 11, 17)
DURING = cst(2026, 11, 13, 10, 0, 0)
AFTER = cst(2026, 11, 18, 9, 0, 0)
GOOD = {
    "pledge_signed_on": "2026-11-10",
    "publicity_starts_on": "2026-11-11",
    "publicity_ends_on": "2026-11-17",
    "unit_opinion_signed_on": "2026-11-18",
}


@pytest.fixture
def city():
    city = build_city()
    city.tenant.review_group_min_size = 5
    city.tenant.publicity_working_days = 5
    city.tenant.save()
    return city


def procedure_with(city, applications) -> UnitProcedure:
    procedure = svc.procedure_create(actor=city.handler, title="2026年度职称申报推荐")
    for n in range(5):
        svc.group_member_add(actor=city.handler, procedure=procedure, name=f"组员{n}", position="业务骨干")
    candidates = svc.candidates_add(
        actor=city.handler, procedure=procedure, application_ids=[a.pk for a in applications]
    )
    for member in procedure.members.all():
        svc.scores_record(actor=city.handler, procedure=procedure, member_id=member.pk,
                          scores={c.pk: "85" for c in candidates})
    return procedure


def with_sheet_setting(city, **extra) -> None:
    city.tenant.settings = {**city.tenant.settings, "publicity_sheet": {"slot": "publicity_sheet", **extra}}
    city.tenant.save(update_fields=["settings"])


# --- the sheet the product generates --------------------------------------------------------------


def test_003_5_6_publicity_cannot_start_on_or_before_a_candidates_pledge_day(city):
    """Submitted (and pledged) on 11 Nov: a publicity starting that day is refused, naming the person,
    the pledge date and the limit; one starting the next working day is accepted."""
    late = submitted_application(ApplicantFactory(organisation=city.unit, full_name="王五"),
                                 at=cst(2026, 11, 11, 9, 0, 0))
    procedure = procedure_with(city, [submitted_application(city.applicant), late])
    with pytest.raises(ValidationError) as error:
        svc.publicity_start(actor=city.handler, procedure=procedure, starts_on=STARTS, at=cst(2026, 11, 11, 10, 0, 0))
    message = " ".join(error.value.message_dict["starts_on"])
    assert "王五：“本人郑重承诺”落款日期（2026年11月11日）须早于公示开始日期（2026年11月11日）" in message
    assert city.applicant.full_name not in message  # pledged on 10 Nov: in time
    svc.publicity_start(actor=city.handler, procedure=procedure, starts_on=date(2026, 11, 12),
                        at=cst(2026, 11, 11, 10, 0, 0))


def test_003_5_6_the_generated_sheet_prints_each_pledge_date(city, django_capture_on_commit_callbacks):
    procedure = procedure_with(city, [submitted_application(city.applicant)])
    with django_capture_on_commit_callbacks(execute=True):
        svc.publicity_start(actor=city.handler, procedure=procedure, starts_on=STARTS, at=IN_WINDOW)
    procedure.refresh_from_db()
    if procedure.sheet_status != UnitProcedure.SheetStatus.DONE:
        pytest.skip(f"PDF rendering unavailable: {procedure.sheet_error}")
    with procedure.sheet.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "本人承诺日期" in compact and "2026年11月10日" in compact


def test_003_5_6_the_units_opinion_waits_for_the_publicity_to_end(city):
    """The unit's opinion is its approval at the unit level: refused while its publicity runs, given
    the day after it ended."""
    application = submitted_application(city.applicant)
    procedure = procedure_with(city, [application])
    svc.publicity_start(actor=city.handler, procedure=procedure, starts_on=STARTS, at=IN_WINDOW)
    with pytest.raises(ValidationError) as error:
        review_decide(actor=city.head, application=application, action=Action.APPROVE, opinion="同意。", at=DURING)
    assert "“单位审核意见”须在公示期满结束后填写：本单位公示至2026年11月17日，2026年11月18日起方可审核通过" in " ".join(
        error.value.messages
    )
    review_decide(actor=city.head, application=application, action=Action.APPROVE, opinion="同意。", at=AFTER)
    application.refresh_from_db()
    assert application.status == application.Status.IN_REVIEW


# --- a sheet the unit enters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"pledge_signed_on": "2026-11-11"}, "pledge_signed_on",
         "“本人郑重承诺”落款日期（2026年11月11日）须早于公示开始日期（2026年11月11日），即不晚于2026年11月10日"),
        ({"unit_opinion_signed_on": "2026-11-17"}, "unit_opinion_signed_on",
         "“单位审核意见”落款日期（2026年11月17日）须在公示期满（2026年11月17日）之后，即不早于2026年11月18日"),
        ({"publicity_ends_on": "2026-11-13", "unit_opinion_signed_on": "2026-11-16"}, "publicity_ends_on",
         "公示时间不少于5个工作日（周末节假日不计），2026年11月11日至2026年11月13日只有3个工作日"),
        ({"publicity_ends_on": "2026-11-10"}, "publicity_ends_on",
         "公示结束日期（2026年11月10日）不能早于公示开始日期"),
        ({"pledge_signed_on": ""}, "pledge_signed_on", "请填写“本人郑重承诺”落款日期"),
        ({"unit_opinion_signed_on": "2026/11/18x"}, "unit_opinion_signed_on", "“单位审核意见”落款日期不是有效日期"),
        ({"unit_opinion_signed_on": "2026-12-30"}, "unit_opinion_signed_on", "不能晚于今天（2026年11月20日）"),
    ],
)
def test_003_5_6_each_wrong_date_is_refused_naming_its_field_and_limit(city, change, field, text):
    _, errors = publicity_sheet.date_errors(tenant=city.tenant, data={**GOOD, **change}, today=date(2026, 11, 20))
    assert field in errors.by_field, errors.by_field
    assert text in " ".join(errors.by_field[field])


def test_003_5_6_a_consistent_sheet_passes(city):
    days, errors = publicity_sheet.date_errors(tenant=city.tenant, data=GOOD, today=date(2026, 11, 20))
    assert errors.by_field == {}
    assert days["unit_opinion_signed_on"] == date(2026, 11, 18)


def test_003_5_6_the_unit_enters_the_dates_on_its_page(client, city):
    with_sheet_setting(city)
    application = submitted_application(city.applicant)
    url = reverse("review:publicity_sheet_dates", args=[application.pk])
    client.force_login(city.handler)
    detail = client.get(reverse("review:detail", args=[application.pk])).content.decode()
    assert "录入并核对公示表落款日期" in detail
    response = client.post(url, {**GOOD, "pledge_signed_on": "2026-11-12"})
    assert response.status_code == 400
    assert "须早于公示开始日期（2026年11月11日）" in response.content.decode()
    assert not PublicitySheetDates.objects.filter(application=application).exists()
    assert client.post(url, GOOD).status_code == 302
    row = PublicitySheetDates.objects.get(application=application)
    assert (row.pledge_signed_on, row.publicity_ends_on) == (date(2026, 11, 10), ENDS)
    event = AuditEvent.objects.get(action="publicity_sheet_dates_recorded", target_id=str(application.pk))
    assert event.detail["unit_opinion_signed_on"] == "2026-11-18"
    detail = client.get(reverse("review:detail", args=[application.pk])).content.decode()
    assert "公示2026年11月11日至2026年11月17日" in detail
    # Only the applicant's own unit, and only where the tenant's document names a sheet.
    for stranger in (city.applicant, UserFactory(role="unit_handler", organisation=city.private_unit),
                     city.city_reviewer):
        client.force_login(stranger)
        assert client.get(url).status_code == 404, stranger.role
    city.tenant.settings = {}
    city.tenant.save(update_fields=["settings"])
    client.force_login(city.handler)
    assert client.get(url).status_code == 404


def test_003_5_6_a_tenant_requiring_the_dates_holds_the_units_approval_until_entered(city):
    with_sheet_setting(city, required=True)
    application = submitted_application(city.applicant)
    with pytest.raises(ValidationError, match="公示表落款日期"):
        review_decide(actor=city.head, application=application, action=Action.APPROVE, opinion="同意。", at=AFTER)
    publicity_sheet.publicity_sheet_dates_record(actor=city.handler, application=application, data=GOOD, at=AFTER)
    review_decide(actor=city.head, application=application, action=Action.APPROVE, opinion="同意。", at=AFTER)
    application.refresh_from_db()
    assert application.status == application.Status.IN_REVIEW


def test_003_5_6_kunming_panlongs_document_names_its_sheet_and_round_trips():
    document = json.loads((ROOT / "tenants" / "kunming-panlong.json").read_text(encoding="utf-8"))
    tenant = tenant_apply(document=document).tenant
    assert setting(tenant, "publicity_sheet")["slot"] == "publicity_sheet"
    assert tenant_export(tenant=tenant)["settings"]["publicity_sheet"] == document["settings"]["publicity_sheet"]
