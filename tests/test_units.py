"""Unit registration (谁创建谁管理), applicants and the roster import."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from pypdf import PdfWriter

from accounts.models import Role, User
from core.models import AuditEvent
from tests.factories import (
    ApplicantFactory,
    DistrictFactory,
    OrganisationFactory,
    TenantFactory,
    UserFactory,
    make_credit_code,
    make_id_number,
)
from units import services
from units.models import Organisation, RegistrationDocument, RosterImport, Tenant

pytestmark = pytest.mark.django_db


def pdf_upload(name="licence.pdf") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


@pytest.fixture
def city():
    tenant = TenantFactory(code="testcity")
    district = DistrictFactory(tenant=tenant)
    return {
        "tenant": tenant,
        "district": district,
        "city_bureau": OrganisationFactory(tenant=tenant, city_bureau=True, name="市人社局"),
        "county_bureau": OrganisationFactory(tenant=tenant, county_bureau=True, district=district, name="区人社局"),
        "department": OrganisationFactory(tenant=tenant, department=True, name="市教育局"),
    }


def registration(city, **overrides) -> services.UnitRegistration:
    fields = {
        "tenant": city["tenant"],
        "name": "测试科技有限公司",
        "unit_kind": Organisation.UnitKind.NON_PUBLIC,
        "credit_code": make_credit_code(),
        "district": city["district"],
        "competent_department": None,
        "contact_name": "周敏",
        "contact_phone": "13800000001",
        "address": "",
        "admin_username": "kejiadmin",
        "admin_full_name": "周敏",
        "admin_password": "Kuaile#Gongzuo9",
    }
    return services.UnitRegistration(**{**fields, **overrides})


def test_it_sends_a_non_public_units_registration_to_its_county_bureau(city):
    unit = services.unit_register(registration=registration(city), documents=[("营业执照", pdf_upload())])
    assert unit.status == Organisation.Status.PENDING
    assert unit.managed_by == city["county_bureau"]
    assert unit.people.get().role == Role.UNIT_HANDLER
    assert RegistrationDocument.objects.get(organisation=unit).content_type == "application/pdf"


def test_it_sends_a_public_institutions_registration_to_its_competent_department(city):
    unit = services.unit_register(
        registration=registration(
            city, unit_kind=Organisation.UnitKind.PUBLIC_INSTITUTION, competent_department=city["department"]
        ),
        documents=[("法人证书", pdf_upload())],
    )
    assert unit.managed_by == city["department"]


def test_it_sends_a_city_level_non_public_unit_to_the_city_bureau(city):
    unit = services.unit_register(
        registration=registration(city, district=None), documents=[("营业执照", pdf_upload())]
    )
    assert unit.managed_by == city["city_bureau"]


def test_it_reports_every_registration_problem_at_once_and_saves_nothing(city):
    bad = registration(
        city,
        credit_code="91350100M000100Y44",
        unit_kind=Organisation.UnitKind.PUBLIC_INSTITUTION,
        contact_phone="123",
        admin_password="short",
    )
    fake_pdf = SimpleUploadedFile("licence.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.unit_register(registration=bad, documents=[("营业执照", fake_pdf)])
    problems = error.value.message_dict
    assert "第18位校验码应为“3”" in problems["credit_code"][0]
    assert "须选择主管部门" in problems["competent_department"][0]
    assert "11位手机号码" in problems["contact_phone"][0]
    assert problems["admin_password"]
    assert "不是PDF、JPG、PNG格式" in problems["documents"][0]
    assert not Organisation.objects.filter(kind=Organisation.Kind.UNIT).exists()
    assert not User.objects.exists()


def test_it_refuses_a_credit_code_that_is_already_registered(city):
    code = make_credit_code()
    OrganisationFactory(tenant=city["tenant"], credit_code=code)
    with pytest.raises(ValidationError) as error:
        services.unit_register(
            registration=registration(city, credit_code=code), documents=[("营业执照", pdf_upload())]
        )
    assert "已注册单位账号" in error.value.message_dict["credit_code"][0]


def test_it_lets_only_the_managing_authority_decide(city):
    unit = services.unit_register(registration=registration(city), documents=[("营业执照", pdf_upload())])
    department_reviewer = UserFactory(role=Role.DEPARTMENT_REVIEWER, organisation=city["department"])
    with pytest.raises(PermissionDenied):
        services.unit_registration_decide(actor=department_reviewer, unit=unit, approve=True)
    county_reviewer = UserFactory(role=Role.COUNTY_REVIEWER, organisation=city["county_bureau"])
    services.unit_registration_decide(actor=county_reviewer, unit=unit, approve=True)
    unit.refresh_from_db()
    assert unit.status == Organisation.Status.APPROVED
    handler = unit.people.get()
    assert handler.has_perm("units.manage_unit", unit)
    assert AuditEvent.objects.filter(action="unit_registration_approved", target_id=str(unit.pk)).count() == 1


def test_it_requires_every_reason_for_a_rejection_and_lets_the_unit_resubmit(city):
    unit = services.unit_register(registration=registration(city), documents=[("营业执照", pdf_upload())])
    reviewer = UserFactory(role=Role.COUNTY_REVIEWER, organisation=city["county_bureau"])
    with pytest.raises(ValidationError):
        services.unit_registration_decide(actor=reviewer, unit=unit, approve=False, reasons=["  "])
    services.unit_registration_decide(
        actor=reviewer, unit=unit, approve=False, reasons=["营业执照不清晰", "联系人电话无法接通"]
    )
    unit.refresh_from_db()
    assert unit.rejection_reasons == ["营业执照不清晰", "联系人电话无法接通"]
    with pytest.raises(ValidationError):
        services.unit_registration_decide(actor=reviewer, unit=unit, approve=True)
    correction = services.UnitCorrection(
        name=unit.name, credit_code=unit.credit_code, contact_name="周敏", contact_phone="13912345678", address=""
    )
    with pytest.raises(ValidationError) as error:
        services.unit_registration_resubmit(
            actor=unit.people.get(),
            unit=unit,
            correction=correction,
            documents=[("补充材料", SimpleUploadedFile("x.pdf", b"not a pdf"))],
        )
    assert "不是PDF、JPG、PNG格式" in error.value.message_dict["documents"][0]
    services.unit_registration_resubmit(
        actor=unit.people.get(), unit=unit, correction=correction, documents=[("补充材料", pdf_upload("clear.pdf"))]
    )
    unit.refresh_from_db()
    assert unit.status == Organisation.Status.PENDING
    assert unit.contact_phone == "13912345678"
    assert unit.registration_documents.count() == 2


def test_it_keeps_a_pending_unit_from_adding_applicants(city):
    unit = services.unit_register(registration=registration(city), documents=[("营业执照", pdf_upload())])
    with pytest.raises(ValidationError) as error:
        services.applicant_create(
            actor=unit.people.get(),
            unit=unit,
            full_name="张三",
            id_number=make_id_number(),
            personnel_nature="established",
        )
    assert "尚未审核通过" in error.value.messages[0]


def test_it_creates_an_applicant_with_the_id_last_six_as_initial_password():
    handler = UserFactory(role=Role.UNIT_HANDLER)
    number = make_id_number()
    person = services.applicant_create(
        actor=handler, unit=handler.organisation, full_name="张三", id_number=number, personnel_nature="labour_dispatch"
    )
    assert person.check_password(number[-6:]) and person.must_change_password
    assert person.id_number_masked.startswith(number[:3]) and number not in person.id_number_masked
    event = AuditEvent.objects.get(action="applicant_created")
    assert event.detail["id_number"] == person.id_number_masked


def test_it_requires_a_unit_set_password_where_the_tenant_says_so():
    tenant = TenantFactory(initial_password=Tenant.InitialPassword.SET_BY_UNIT)
    handler = UserFactory(role=Role.UNIT_HANDLER, organisation=OrganisationFactory(tenant=tenant))
    with pytest.raises(ValidationError) as error:
        services.applicant_create(
            actor=handler,
            unit=handler.organisation,
            full_name="张三",
            id_number=make_id_number(),
            personnel_nature="established",
        )
    assert "initial_password" in error.value.message_dict


def test_it_refuses_a_duplicate_id_number_and_names_the_field():
    handler = UserFactory(role=Role.UNIT_HANDLER)
    number = make_id_number()
    ApplicantFactory(number=number)
    with pytest.raises(ValidationError) as error:
        services.applicant_create(
            actor=handler, unit=handler.organisation, full_name="张三", id_number=number, personnel_nature="established"
        )
    assert "已有账号" in error.value.message_dict["id_number"][0]


def test_it_flags_the_green_channel_only_after_the_bureau_approves():
    handler = UserFactory(role=Role.UNIT_HANDLER)
    person = ApplicantFactory(organisation=handler.organisation)
    with pytest.raises(ValidationError):
        services.green_channel_set(actor=handler, person=person, enabled=True)
    city_reviewer = UserFactory(
        role=Role.CITY_REVIEWER, organisation=OrganisationFactory(tenant=handler.tenant, city_bureau=True)
    )
    with pytest.raises(PermissionDenied):
        services.green_channel_approve(actor=handler, person=person, document="x")
    services.green_channel_approve(actor=city_reviewer, person=person, document="许职改办〔2023〕9号")
    services.green_channel_set(actor=handler, person=person, enabled=True)
    person.refresh_from_db()
    assert person.green_channel


def roster(rows, header=("姓名", "身份证号", "手机号", "人员性质")) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


def test_it_imports_a_valid_roster_in_full(django_capture_on_commit_callbacks):
    handler = UserFactory(role=Role.UNIT_HANDLER)
    rows = [(f"员工{i}", make_id_number(), "13900000000", "在编") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.roster_import_start(actor=handler, unit=handler.organisation, upload=roster(rows))
    job.refresh_from_db()
    assert job.status == RosterImport.Status.DONE and job.created_count == 3
    assert handler.organisation.people.filter(role=Role.APPLICANT).count() == 3


def test_it_reports_every_bad_row_and_imports_nothing(django_capture_on_commit_callbacks):
    handler = UserFactory(role=Role.UNIT_HANDLER)
    good = make_id_number()
    rows = [
        ("员工甲", good, "", "在编"),
        ("", "110105194912310021", "123", "临时工"),
        ("员工丙", good, "", "人事代理"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.roster_import_start(actor=handler, unit=handler.organisation, upload=roster(rows))
    job.refresh_from_db()
    assert job.status == RosterImport.Status.FAILED
    found = {(e["row"], e["field"]) for e in job.errors}
    assert {(3, "姓名"), (3, "身份证号"), (3, "手机号"), (3, "人员性质"), (4, "身份证号")} <= found
    assert not handler.organisation.people.filter(role=Role.APPLICANT).exists()


def test_a_roster_filled_in_from_the_english_template_imports_the_same(django_capture_on_commit_callbacks):
    """The roster template follows the page's language (issue 16); the import reads its header row
    in either language, and the problems it stores stay Chinese."""
    from django.utils import translation

    handler = UserFactory(role=Role.UNIT_HANDLER)
    with translation.override("en"):
        header = services.roster_headers()
    assert header[:2] == ["Name", "ID number"]
    assert not any("\u4e00" <= ch <= "\u9fff" for column in header for ch in column)
    rows = [(f"员工{i}", make_id_number(), "13900000000", "在编") for i in range(2)]
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        job = services.roster_import_start(actor=handler, unit=handler.organisation, upload=roster(rows, header[:4]))
    job.refresh_from_db()
    assert job.status == RosterImport.Status.DONE and job.created_count == 2
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        bad = services.roster_import_start(
            actor=handler, unit=handler.organisation, upload=roster([("", make_id_number(), "", "在编")], header[:4])
        )
    bad.refresh_from_db()
    assert bad.status == RosterImport.Status.FAILED
    assert bad.errors[0]["field"] == "姓名" and bad.errors[0]["message"] == "姓名不能为空。"


def test_it_runs_a_roster_import_once_however_often_the_task_is_delivered(django_capture_on_commit_callbacks):
    handler = UserFactory(role=Role.UNIT_HANDLER)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.roster_import_start(
            actor=handler, unit=handler.organisation, upload=roster([("员工", make_id_number(), "", "在编")])
        )
    services.roster_import_run(job_id=job.pk)
    assert handler.organisation.people.filter(role=Role.APPLICANT).count() == 1


def test_it_refuses_a_roster_that_is_not_an_excel_file():
    handler = UserFactory(role=Role.UNIT_HANDLER)
    with pytest.raises(ValidationError) as error:
        services.roster_import_start(
            actor=handler, unit=handler.organisation, upload=SimpleUploadedFile("roster.xlsx", b"%PDF-1.4 not excel")
        )
    assert "不是Excel" in error.value.message_dict["file"][0]
    assert not RosterImport.objects.exists()


def test_it_refuses_a_roster_that_is_a_zip_bomb():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))  # 60 MB of zeros, ~60 KB packed
    handler = UserFactory(role=Role.UNIT_HANDLER)
    with pytest.raises(ValidationError) as error:
        services.roster_import_start(
            actor=handler, unit=handler.organisation, upload=SimpleUploadedFile("roster.xlsx", buffer.getvalue())
        )
    assert "花名册文件" in error.value.message_dict["file"][0]
    assert not RosterImport.objects.exists()


def test_it_reports_a_roster_with_missing_columns(django_capture_on_commit_callbacks):
    handler = UserFactory(role=Role.UNIT_HANDLER)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.roster_import_start(
            actor=handler, unit=handler.organisation, upload=roster([("张三",)], header=("姓名",))
        )
    job.refresh_from_db()
    assert job.status == RosterImport.Status.FAILED
    assert "缺少列：身份证号、手机号、人员性质" in job.errors[0]["message"]


def test_it_refuses_a_huge_image_for_its_pixels_not_as_damaged(city):
    import io as _io

    from PIL import Image

    buffer = _io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")
    huge = SimpleUploadedFile("licence.png", buffer.getvalue(), content_type="image/png")
    with pytest.raises(ValidationError) as error:
        services.unit_register(registration=registration(city), documents=[("营业执照", huge)])
    assert "像素数超过上限" in error.value.message_dict["documents"][0]


def test_it_finds_a_persons_or_their_units_filing_restriction_only_while_it_lasts():
    from datetime import date

    from units.models import FilingRestriction
    from units.selectors import filing_restriction_for

    person = ApplicantFactory()
    assert filing_restriction_for(person, date(2025, 6, 1)) is None
    FilingRestriction.objects.create(
        tenant=person.tenant,
        unit=person.organisation,
        kind=FilingRestriction.Kind.INTEGRITY,
        reason="推荐材料弄虚作假",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    assert filing_restriction_for(person, date(2025, 6, 1)).reason == "推荐材料弄虚作假"
    assert filing_restriction_for(person, date(2026, 1, 1)) is None
    assert filing_restriction_for(ApplicantFactory(), date(2025, 6, 1)) is None
