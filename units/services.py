"""Every state change of tenants, units and their people. Typed, keyword-only, with an actor.

Each service validates everything first and reports every problem at once (一次告知), then
writes inside one transaction, so that nothing is ever half-saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from guardian.shortcuts import assign_perm

from accounts.models import UNIT_ROLES, PersonnelNature, Role, User
from core import crypto, uploads
from core.audit import audit
from core.idnumbers import validate_credit_code, validate_id_number
from core.uploads import check_upload
from units.models import District, Organisation, RegistrationDocument, RosterImport, Tenant
from units.permissions import can_approve_green_channel, can_decide_registration, can_manage_people

PHONE_RE = re.compile(r"1\d{10}")
UNIT_KINDS_WITH_DEPARTMENT = {Organisation.UnitKind.PUBLIC_INSTITUTION, Organisation.UnitKind.STATE_OWNED}


class Errors:
    """Collects field errors so that one ValidationError lists all of them."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def capture(self, field: str, error: ValidationError) -> None:
        for message in error.messages:
            self.add(field, message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


# --- Unit registration ---------------------------------------------------------------------------


def managing_authority(
    *, tenant: Tenant, unit_kind: str, district: District | None, competent_department: Organisation | None
) -> Organisation:
    """谁创建谁管理: public institutions and state-owned enterprises register with their
    competent department, others with the bureau of the county they are registered in, or the
    city bureau when they are registered at city level (000 六(二)1; 001 四(一))."""
    if unit_kind in UNIT_KINDS_WITH_DEPARTMENT and competent_department is not None:
        return competent_department
    bureaus = Organisation.objects.filter(tenant=tenant)
    if district is not None:
        county = bureaus.filter(kind=Organisation.Kind.COUNTY_BUREAU, district=district).first()
        if county is not None:
            return county
    return bureaus.get(kind=Organisation.Kind.CITY_BUREAU)


def _check_unit_details(
    errors: Errors, *, name: str, credit_code: str, contact_name: str, contact_phone: str, unit_pk: int | None = None
) -> str:
    """Checks shared by a registration and its correction; returns the normalised credit code."""
    normalised = ""
    if not name.strip():
        errors.add("name", gettext("单位名称不能为空。"))
    try:
        normalised = validate_credit_code(credit_code)
        if Organisation.objects.filter(credit_code=normalised).exclude(pk=unit_pk).exists():
            errors.add("credit_code", gettext(
                "该统一社会信用代码已注册单位账号，请勿重复注册；如需找回账号请联系管理部门。"
            ))
    except ValidationError as error:
        errors.capture("credit_code", error)
    if not contact_name.strip():
        errors.add("contact_name", gettext("联系人不能为空。"))
    if not PHONE_RE.fullmatch(contact_phone.strip()):
        errors.add("contact_phone", gettext("联系电话应为11位手机号码。"))
    return normalised


def _check_documents(errors: Errors, documents: list[tuple[str, UploadedFile]]) -> list:
    checked = []
    for title, upload in documents:
        try:
            checked.append((title, upload, check_upload(upload, field=title)))
        except ValidationError as error:
            errors.capture("documents", error)
    return checked


def _save_documents(unit: Organisation, checked: list) -> None:
    for title, upload, info in checked:
        RegistrationDocument.objects.create(
            organisation=unit,
            title=title,
            file=upload,
            original_name=upload.name[:200],
            content_type=info.content_type,
            size=info.size,
        )


@dataclass(frozen=True)
class UnitRegistration:
    tenant: Tenant
    name: str
    unit_kind: str
    credit_code: str
    district: District | None
    competent_department: Organisation | None
    contact_name: str
    contact_phone: str
    address: str
    admin_username: str
    admin_full_name: str
    admin_password: str


def unit_register(
    *, registration: UnitRegistration, documents: list[tuple[str, UploadedFile]], request=None
) -> Organisation:
    """A unit applies for an account; it stays pending until its managing authority decides."""
    r = registration
    errors = Errors()
    credit_code = _check_unit_details(
        errors, name=r.name, credit_code=r.credit_code, contact_name=r.contact_name, contact_phone=r.contact_phone
    )
    if r.unit_kind not in Organisation.UnitKind.values:
        errors.add("unit_kind", gettext("请选择单位性质。"))
    if r.district is not None and r.district.tenant_id != r.tenant.pk:
        errors.add("district", gettext("所选县（市、区）不属于该地区。"))
    department = r.competent_department
    if department is not None and (
        department.tenant_id != r.tenant.pk or department.kind != Organisation.Kind.DEPARTMENT
    ):
        errors.add("competent_department", gettext("所选主管部门不属于该地区。"))
    if r.unit_kind in UNIT_KINDS_WITH_DEPARTMENT and department is None:
        errors.add("competent_department", gettext("事业单位和国有企业须选择主管部门，由主管部门审核创建账号。"))
    if r.unit_kind == Organisation.UnitKind.NON_PUBLIC and department is not None:
        errors.add("competent_department", gettext("非公经济组织没有主管部门，请留空。"))
    username = r.admin_username.strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]{3,39}", username):
        errors.add("admin_username", gettext("管理员用户名应为4–40位字母、数字或 _ . -，以字母开头。"))
    elif User.objects.filter(username=username).exists():
        errors.add("admin_username", gettext("用户名“%(username)s”已被使用，请换一个。") % {"username": username})
    if not r.admin_full_name.strip():
        errors.add("admin_full_name", gettext("管理员姓名不能为空。"))
    try:
        validate_password(r.admin_password, User(username=username, full_name=r.admin_full_name))
    except ValidationError as error:
        errors.capture("admin_password", error)
    if not documents:
        errors.add("documents", gettext("请上传营业执照或法人证书扫描件。"))
    checked = _check_documents(errors, documents)
    errors.raise_if_any()

    with transaction.atomic():
        unit = Organisation.objects.create(
            tenant=r.tenant,
            kind=Organisation.Kind.UNIT,
            name=r.name.strip(),
            unit_kind=r.unit_kind,
            credit_code=credit_code,
            district=r.district,
            competent_department=department,
            managed_by=managing_authority(
                tenant=r.tenant, unit_kind=r.unit_kind, district=r.district, competent_department=department
            ),
            status=Organisation.Status.PENDING,
            contact_name=r.contact_name.strip(),
            contact_phone=r.contact_phone.strip(),
            address=r.address.strip(),
        )
        admin = User.objects.create_user(
            username,
            r.admin_password,
            full_name=r.admin_full_name.strip(),
            role=Role.UNIT_HANDLER,
            tenant=r.tenant,
            organisation=unit,
            phone=r.contact_phone.strip(),
        )
        _save_documents(unit, checked)
        audit(action="unit_registered", actor=admin, target=unit, request=request, name=unit.name)
    return unit


def unit_registration_decide(
    *, actor: User, unit: Organisation, approve: bool, reasons: list[str] | None = None, request=None
) -> Organisation:
    """Approve a unit's registration, or reject it with every reason at once."""
    reasons = [reason.strip() for reason in (reasons or []) if reason.strip()]
    if not approve and not reasons:
        raise ValidationError({"reasons": [gettext("不通过时须逐条写明全部原因（一次告知）。")]})
    with transaction.atomic():
        unit = Organisation.objects.select_for_update().get(pk=unit.pk)
        if unit.status != Organisation.Status.PENDING:
            raise ValidationError({"__all__": [gettext(
                "该单位注册已处理（%(status)s），不能重复审核。"
            ) % {"status": unit.get_status_display()}]})
        if not can_decide_registration(actor, unit):
            raise PermissionDenied
        unit.status = Organisation.Status.APPROVED if approve else Organisation.Status.REJECTED
        unit.rejection_reasons = [] if approve else reasons
        unit.decided_by = actor
        unit.decided_at = timezone.now()
        unit.save(update_fields=["status", "rejection_reasons", "decided_by", "decided_at"])
        if approve:
            for staff in unit.people.filter(role__in=UNIT_ROLES):
                assign_perm("units.manage_unit", staff, unit)
        audit(
            action="unit_registration_approved" if approve else "unit_registration_rejected",
            actor=actor,
            target=unit,
            request=request,
            reasons=reasons,
        )
    return unit


@dataclass(frozen=True)
class UnitCorrection:
    name: str
    credit_code: str
    contact_name: str
    contact_phone: str
    address: str


def unit_registration_resubmit(
    *,
    actor: User,
    unit: Organisation,
    correction: UnitCorrection,
    documents: list[tuple[str, UploadedFile]] | None = None,
    request=None,
) -> Organisation:
    """After a rejection the unit corrects what was listed and puts its registration back in the queue."""
    if actor.organisation_id != unit.pk or actor.role not in UNIT_ROLES:
        raise PermissionDenied
    errors = Errors()
    credit_code = _check_unit_details(
        errors,
        name=correction.name,
        credit_code=correction.credit_code,
        contact_name=correction.contact_name,
        contact_phone=correction.contact_phone,
        unit_pk=unit.pk,
    )
    checked = _check_documents(errors, documents or [])
    errors.raise_if_any()
    with transaction.atomic():
        unit = Organisation.objects.select_for_update().get(pk=unit.pk)
        if unit.status != Organisation.Status.REJECTED:
            raise ValidationError({"__all__": [gettext("只有未通过的注册可以修改后重新提交。")]})
        unit.name = correction.name.strip()
        unit.credit_code = credit_code
        unit.contact_name = correction.contact_name.strip()
        unit.contact_phone = correction.contact_phone.strip()
        unit.address = correction.address.strip()
        unit.status = Organisation.Status.PENDING
        unit.save(update_fields=["name", "credit_code", "contact_name", "contact_phone", "address", "status"])
        _save_documents(unit, checked)
        audit(action="unit_registration_resubmitted", actor=actor, target=unit, request=request)
    return unit


# --- Applicants ----------------------------------------------------------------------------------

with translation.override("zh-hans"):  # sheets name the natures in Chinese, whoever imports this first
    PERSONNEL_NATURE_BY_LABEL = {str(label): value for value, label in PersonnelNature.choices}


def _in_every_language(words) -> dict[str, str]:
    """Each Chinese word and its translation in every language → the Chinese word (a sheet filled
    in from an English page reads the same as one filled in Chinese)."""
    found = {str(word): str(word) for word in words}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.update({gettext(str(word)): str(word) for word in words})
    return found


def _nature_code(text: str) -> str:
    by_label = _in_every_language(PERSONNEL_NATURE_BY_LABEL)
    return PERSONNEL_NATURE_BY_LABEL.get(by_label.get(text, text), text)


@dataclass(frozen=True)
class PersonRow:
    full_name: str
    id_number: str
    phone: str
    personnel_nature: str
    initial_password: str


def clean_person_row(
    *,
    tenant: Tenant,
    full_name: str,
    id_number: str,
    phone: str,
    personnel_nature: str,
    initial_password: str = "",
    errors: Errors,
    seen_digests: set[str] | None = None,
) -> PersonRow | None:
    """Validate one applicant (form or roster row); add every problem to ``errors``."""
    before = len(errors.by_field)
    full_name = (full_name or "").strip()
    if not full_name:
        errors.add("full_name", gettext("姓名不能为空。"))
    elif len(full_name) > 60:
        errors.add("full_name", gettext("姓名不能超过60个字符。"))
    number = ""
    try:
        number = validate_id_number(id_number)
        digest = crypto.digest(number)
        if seen_digests is not None and digest in seen_digests:
            errors.add("id_number", gettext("该身份证号在本次导入中重复出现。"))
        elif User.objects.filter(id_number_digest=digest).exists():
            errors.add("id_number", gettext("该身份证号已有账号，不能重复创建；如已调动单位请联系原单位或管理部门。"))
        if seen_digests is not None:
            seen_digests.add(digest)
    except ValidationError as error:
        errors.capture("id_number", error)
    phone = (phone or "").strip()
    if phone and not PHONE_RE.fullmatch(phone):
        errors.add("phone", gettext("手机号应为11位数字，以1开头。"))
    nature = _nature_code((personnel_nature or "").strip()) if personnel_nature else personnel_nature
    if nature not in PersonnelNature.values:
        natures = gettext("、").join(str(label) for _value, label in PersonnelNature.choices)
        errors.add("personnel_nature", gettext("人员性质应为：%(natures)s。") % {"natures": natures})
    password = (initial_password or "").strip()
    if tenant.initial_password == Tenant.InitialPassword.SET_BY_UNIT:
        if len(password) < 8:
            errors.add("initial_password", gettext("本地区由单位设置初始密码，初始密码至少8位。"))
    else:
        password = number[-6:]
    if len(errors.by_field) > before:
        return None
    return PersonRow(
        full_name=full_name, id_number=number, phone=phone, personnel_nature=nature, initial_password=password
    )


def _create_applicant(*, unit: Organisation, row: PersonRow) -> User:
    person = User(
        full_name=row.full_name,
        role=Role.APPLICANT,
        tenant_id=unit.tenant_id,
        organisation=unit,
        phone=row.phone,
        personnel_nature=row.personnel_nature,
        must_change_password=True,
    )
    person.set_id_number(row.id_number)
    person.set_password(row.initial_password)
    person.save()
    return person


def _require_people_manager(actor: User, unit: Organisation) -> None:
    if not can_manage_people(actor, unit):
        if actor.organisation_id == unit.pk and not unit.is_approved:
            raise ValidationError({"__all__": [gettext("单位账号尚未审核通过，暂不能添加申报人。")]})
        raise PermissionDenied


def applicant_create(
    *,
    actor: User,
    unit: Organisation,
    full_name: str,
    id_number: str,
    phone: str = "",
    personnel_nature: str,
    initial_password: str = "",
    request=None,
) -> User:
    _require_people_manager(actor, unit)
    errors = Errors()
    row = clean_person_row(
        tenant=unit.tenant,
        full_name=full_name,
        id_number=id_number,
        phone=phone,
        personnel_nature=personnel_nature,
        initial_password=initial_password,
        errors=errors,
    )
    errors.raise_if_any()
    with transaction.atomic():
        person = _create_applicant(unit=unit, row=row)
        audit(
            action="applicant_created", actor=actor, target=person, request=request, id_number=person.id_number_masked
        )
    return person


def applicant_reset_password(*, actor: User, person: User, new_password: str = "", request=None) -> None:
    unit = person.organisation
    _require_people_manager(actor, unit)
    if unit.tenant.initial_password == Tenant.InitialPassword.SET_BY_UNIT:
        if len(new_password) < 8:
            raise ValidationError({"new_password": [gettext("本地区由单位设置初始密码，初始密码至少8位。")]})
        password = new_password
    else:
        password = person.reveal_id_number()[-6:]
    with transaction.atomic():
        person.set_password(password)
        person.must_change_password = True
        person.save(update_fields=["password", "must_change_password"])
        audit(action="applicant_password_reset", actor=actor, target=person, request=request)


def green_channel_approve(*, actor: User, person: User, document: str, request=None) -> User:
    """The bureau approves an applicant for the green channel (outside the post quota)."""
    if not can_approve_green_channel(actor, person):
        raise PermissionDenied
    document = document.strip()
    if not document:
        raise ValidationError({"document": [gettext("请填写绿色通道批准文件的文号。")]})
    with transaction.atomic():
        person.green_channel_approval = document[:120]
        person.save(update_fields=["green_channel_approval"])
        audit(action="green_channel_approved", actor=actor, target=person, request=request, document=document)
    return person


def green_channel_set(*, actor: User, person: User, enabled: bool, request=None) -> User:
    """A unit flags the green channel only once the bureau has approved it."""
    _require_people_manager(actor, person.organisation)
    if enabled and not person.green_channel_approval:
        raise ValidationError({"green_channel": [gettext("绿色通道须经人社部门批准后方可标记，请先报批。")]})
    with transaction.atomic():
        person.green_channel = enabled
        person.save(update_fields=["green_channel"])
        audit(action="green_channel_set", actor=actor, target=person, request=request, enabled=enabled)
    return person


# --- Roster import -------------------------------------------------------------------------------

ROSTER_COLUMNS = ("姓名", "身份证号", "手机号", "人员性质", "初始密码")


def roster_headers() -> list[str]:
    """The roster template's header row in the page's language; the import reads either language."""
    return [gettext(column) for column in ROSTER_COLUMNS]
ROSTER_MAX_ROWS = 5000


def roster_import_start(
    *, actor: User, unit: Organisation, upload: UploadedFile, initial_password: str = "", request=None
) -> RosterImport:
    _require_people_manager(actor, unit)
    name = upload.name or ""
    head = upload.read(4)
    upload.seek(0)
    if not name.lower().endswith(".xlsx") or head != b"PK\x03\x04":
        raise ValidationError({"file": [gettext(
            "文件“%(name)s”不是Excel（.xlsx）文件，请使用下载的花名册模板。"
        ) % {"name": name}]})
    if upload.size > 5 * 1024 * 1024:
        raise ValidationError({"file": [gettext("文件“%(name)s”超过5MB上限。") % {"name": name}]})
    try:  # an .xlsx is a ZIP archive: refuse archive bombs before openpyxl decompresses anything
        uploads.check_zip_container(upload, field=gettext("花名册文件"))
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    from core.outbox import enqueue

    with transaction.atomic():
        job = RosterImport.objects.create(
            unit=unit,
            uploaded_by=actor,
            file=upload,
            original_name=name[:200],
            initial_password_encrypted=crypto.encrypt(initial_password) if initial_password else "",
        )
        audit(action="roster_import_started", actor=actor, target=job, request=request, file=name[:200])
        enqueue("units.tasks.run_roster_import", job.pk)
    return job


def _read_roster(job: RosterImport) -> tuple[list[tuple[int, dict[str, str]]], list[dict]]:
    from openpyxl import load_workbook

    problems: list[dict] = []
    try:
        with job.file.open("rb") as handle:
            workbook = load_workbook(handle, read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            rows = list(sheet.iter_rows(values_only=True, max_row=ROSTER_MAX_ROWS + 2))
            workbook.close()
    except Exception:  # openpyxl raises many kinds on a damaged file; the user needs one answer
        return [], [{"row": 0, "field": "文件", "message": "无法读取该Excel文件，文件可能已损坏。"}]
    if not rows:
        return [], [{"row": 1, "field": "表头", "message": "花名册是空的。"}]
    aliases = _in_every_language(ROSTER_COLUMNS)
    header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
    header = [aliases.get(cell, cell) for cell in header]
    missing = [column for column in ROSTER_COLUMNS[:4] if column not in header]
    if missing:
        return [], [{"row": 1, "field": "表头", "message": "缺少列：" + "、".join(missing) + "。请使用花名册模板。"}]
    if len(rows) - 1 > ROSTER_MAX_ROWS:
        return [], [{"row": 0, "field": "文件", "message": f"一次最多导入{ROSTER_MAX_ROWS}人，请分批导入。"}]
    records = []
    for number, values in enumerate(rows[1:], start=2):
        record = {
            column: ("" if values[i] is None else str(values[i]).strip()) if i < len(values) else ""
            for i, column in enumerate(header)
            if column in ROSTER_COLUMNS
        }
        if any(record.values()):
            records.append((number, record))
    if not records:
        problems.append({"row": 2, "field": "数据", "message": "花名册中没有人员数据。"})
    return records, problems


FIELD_LABELS = {
    "full_name": "姓名",
    "id_number": "身份证号",
    "phone": "手机号",
    "personnel_nature": "人员性质",
    "initial_password": "初始密码",
}


def roster_import_run(*, job_id: int) -> RosterImport:
    """Validate every row, report every bad row with its number, import all rows or none.

    Idempotent: a job that has finished is left as it is, so a redelivered task does nothing.
    The problems are stored with the job, so they are written in Chinese whoever uploaded.
    """
    with translation.override("zh-hans"):
        return _roster_import_run(job_id=job_id)


def _roster_import_run(*, job_id: int) -> RosterImport:
    with transaction.atomic():
        job = RosterImport.objects.select_for_update(of=("self",)).select_related("unit__tenant").get(pk=job_id)
        if job.status in (RosterImport.Status.DONE, RosterImport.Status.FAILED):
            return job
        job.status = RosterImport.Status.RUNNING
        job.save(update_fields=["status"])

    records, problems = _read_roster(job)
    job.total_rows = len(records)
    default_password = crypto.decrypt(job.initial_password_encrypted) if job.initial_password_encrypted else ""
    seen: set[str] = set()
    cleaned: list[PersonRow] = []
    for index, (row_number, record) in enumerate(records, start=1):
        errors = Errors()
        row = clean_person_row(
            tenant=job.unit.tenant,
            full_name=record.get("姓名", ""),
            id_number=record.get("身份证号", ""),
            phone=record.get("手机号", ""),
            personnel_nature=record.get("人员性质", ""),
            initial_password=record.get("初始密码", "") or default_password,
            errors=errors,
            seen_digests=seen,
        )
        for field, messages in errors.by_field.items():
            for message in messages:
                problems.append({"row": row_number, "field": FIELD_LABELS[field], "message": message})
        if row is not None:
            cleaned.append(row)
        if index % 200 == 0:
            RosterImport.objects.filter(pk=job.pk).update(processed_rows=index, total_rows=job.total_rows)

    with transaction.atomic():
        job = RosterImport.objects.select_for_update().get(pk=job.pk)
        if job.status != RosterImport.Status.RUNNING:
            return job
        if problems:
            job.status = RosterImport.Status.FAILED
            job.errors = problems
        else:
            for row in cleaned:
                _create_applicant(unit=job.unit, row=row)
            job.status = RosterImport.Status.DONE
            job.created_count = len(cleaned)
        job.total_rows = len(records)
        job.processed_rows = len(records)
        job.finished_at = timezone.now()
        job.save()
        audit(
            action="roster_import_finished",
            actor=job.uploaded_by,
            target=job,
            created=job.created_count,
            errors=len(problems),
        )
    return job
