"""Every state change of committees: pool, expert accounts, plan filing, draw, pledge, votes, close,
report, publicity objections.

Sources: 001_272b0a6ee81b04e4.txt 五(一) (评审专家和工作人员要签订保密承诺书), 五(三) (pool under
dynamic management), 五(四) (plan ≥5 working days before the meeting, no meeting across years, results
and minutes within 5 working days after the meeting, published);
the national rule that a meeting needs at least two thirds of its experts present and a title passes
with the agreement of at least two thirds of the experts present (人社部令第40号《职称评审管理暂行
规定》第二十四条, restated by 002_743bb57fc6424707.txt and 004 for their committees).
"""

from __future__ import annotations

import random
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Role, User
from applications.models import Application
from committees import permissions, selectors
from committees.models import (
    AgendaItem,
    Committee,
    ConfidentialityPledge,
    Expert,
    Meeting,
    MeetingExpert,
    PublicityObjection,
    Vote,
)
from core.audit import audit, client_ip
from core.dates import local_date
from core.official import official_language
from core.outbox import enqueue
from review.chain import Action
from rules.windows import CST
from rules.workdays import CalendarUnknownError, add_working_days
from units.services import Errors

PLAN_LEAD_WORKING_DAYS = 5
REPORT_WORKING_DAYS = 5
PUBLICITY_WORKING_DAYS = 5
DISCUSSION_MAX = 4000
MIN_EXPERTS = 3
MAX_EXPERTS = 50


def _local(value: datetime) -> datetime:
    return value.astimezone(CST)


def first_allowed_meeting_date(filed_on: date) -> date:
    """The earliest meeting day for a plan filed on ``filed_on``: five whole working days must lie
    between filing and meeting (001 五(四) 于拟召开评审会议前至少5个工作日报备)."""
    return add_working_days(filed_on + timedelta(days=1), PLAN_LEAD_WORKING_DAYS) + timedelta(days=1)


def quorum(drawn: int) -> int:
    """Experts who must be present: at least two thirds of those drawn (rounded up)."""
    return -(-2 * drawn // 3)


def passes(agree: int, present: int) -> bool:
    """At least two thirds of the experts present agree."""
    return present > 0 and 3 * agree >= 2 * present


# --- Committees and the pool ---------------------------------------------------------------------


def committee_create(
    *, actor: User, name: str, series: list[str], levels: list[str], host=None, self_review_unit=None,
    filing_number: str = "", request=None,
) -> Committee:
    if not permissions.is_secretary(actor):
        raise PermissionDenied
    from applications.models import LEVEL_CHOICES, SERIES_CHOICES

    errors = Errors()
    name = (name or "").strip()
    if not name or len(name) > 120:
        errors.add("name", gettext("请填写评委会名称（不超过120字）。"))
    known_series, known_levels = dict(SERIES_CHOICES), dict(LEVEL_CHOICES)
    if not series or any(code not in known_series for code in series):
        errors.add("series", gettext("请至少选择一个评审系列。"))
    if not levels or any(code not in known_levels for code in levels):
        errors.add("levels", gettext("请至少选择一个评审级别。"))
    for org, field in ((host, "host"), (self_review_unit, "self_review_unit")):
        if org is not None and org.tenant_id != actor.tenant_id:
            errors.add(field, gettext("所选机构不属于本市。"))
    errors.raise_if_any()
    with transaction.atomic():
        committee = Committee.objects.create(
            tenant_id=actor.tenant_id, name=name, series=list(series), levels=list(levels), host=host,
            self_review_unit=self_review_unit, filing_number=filing_number.strip()[:60],
        )
        audit(action="committee_created", actor=actor, target=committee, request=request)
    return committee


def expert_enrol(
    *, actor: User, committee: Committee, user: User, series: str, specialty: str, title_name: str,
    unit_name: str, birth_date: date, is_external: bool = False, unit=None, request=None,
) -> Expert:
    """Put an expert account into a committee's pool (creating its profile on first enrolment)."""
    if not permissions.can_manage_pool(actor, committee):
        raise PermissionDenied
    errors = Errors()
    if user.role != Role.EXPERT or user.tenant_id != actor.tenant_id:
        errors.add("user", gettext("只能将本市的评审专家账号加入专家库。"))
    if series not in committee.series:
        errors.add("series", gettext("专家的专业须属于本评委会的评审系列。"))
    for field, value, limit in (("specialty", specialty, 60), ("title_name", title_name, 60),
                                ("unit_name", unit_name, 120)):
        if not (value or "").strip() or len(value) > limit:
            errors.add(field, gettext("请填写该项（不超过%(limit)s字）。") % {"limit": limit})
    if birth_date is None or birth_date.year < 1930:
        errors.add("birth_date", gettext("请填写正确的出生日期。"))
    errors.raise_if_any()
    with transaction.atomic():
        expert, _ = Expert.objects.update_or_create(
            user=user,
            defaults={
                "tenant_id": actor.tenant_id, "series": series, "specialty": specialty.strip(),
                "title_name": title_name.strip(), "unit": unit, "unit_name": unit_name.strip(),
                "birth_date": birth_date, "is_external": is_external,
            },
        )
        expert.committees.add(committee)
        audit(action="expert_enrolled", actor=actor, target=expert, request=request, committee=committee.pk)
    return expert


def expert_set_status(*, actor: User, expert: Expert, status: str, reason: str = "", request=None) -> Expert:
    """Dynamic management (001 五(三)): move an expert out of (or back into) the selectable pool."""
    if not permissions.is_pool_manager(actor) or expert.tenant_id != actor.tenant_id:
        raise PermissionDenied
    errors = Errors()
    _check_status(status, reason, errors)
    errors.raise_if_any()
    reason = (reason or "").strip()
    with transaction.atomic():
        expert.status, expert.status_reason = status, reason
        expert.save(update_fields=["status", "status_reason", "updated_at"])
        audit(action="expert_status_changed", actor=actor, target=expert, request=request, status=status)
    return expert


def _check_status(status: str, reason: str, errors: Errors) -> None:
    if status not in Expert.Status.values:
        errors.add("status", gettext("无效的专家状态。"))
    reason = (reason or "").strip()
    if status != Expert.Status.ACTIVE and not reason:
        errors.add("status_reason", gettext("不在库的专家须写明调整原因。"))
    if len(reason) > 200:
        errors.add("status_reason", gettext("原因不能超过200字。"))


# --- Expert accounts (created by the secretary or the tenant admin) ------------------------------

USERNAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{2,59}")
PASSWORD_ALPHABETS = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "#@%+=")
IMPORT_MAX_ROWS = 500
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_COLUMNS = (
    "用户名", "姓名", "专业所属系列", "专业", "职称", "工作单位", "出生日期", "市外专家", "状态", "调整原因",
)
IMPORT_REQUIRED = IMPORT_COLUMNS[:7]
EXPERT_FIELD_LABELS = {
    "username": "用户名", "full_name": "姓名", "series": "专业所属系列", "specialty": "专业", "title_name": "职称",
    "unit_name": "工作单位", "birth_date": "出生日期", "is_external": "市外专家", "status": "状态",
    "status_reason": "调整原因",
}


def initial_password() -> str:
    """A one-time initial password of 12 characters from every class the validators ask for; the
    expert must change it at first login (``must_change_password``)."""
    pick = secrets.SystemRandom()
    chars = [pick.choice(alphabet) for alphabet in PASSWORD_ALPHABETS]
    everything = "".join(PASSWORD_ALPHABETS)
    chars += [pick.choice(everything) for _ in range(8)]
    pick.shuffle(chars)
    return "".join(chars)


@dataclass(frozen=True)
class ExpertRow:
    username: str
    full_name: str
    series: str
    specialty: str
    title_name: str
    unit_name: str
    unit: object
    birth_date: date
    is_external: bool
    status: str
    status_reason: str


def _unit_named(tenant_id: int, name: str):
    """The city's own organisation of that exact name (so that 回避 by unit works), or None."""
    from units.models import Organisation

    return Organisation.objects.filter(tenant_id=tenant_id, name=name).order_by("id").first()


def clean_expert_row(
    *, committee: Committee, username: str, full_name: str, series: str, specialty: str, title_name: str,
    unit_name: str, birth_date: date | None, is_external: bool = False, status: str = Expert.Status.ACTIVE,
    status_reason: str = "", errors: Errors, seen_usernames: set[str] | None = None,
) -> ExpertRow | None:
    """Validate one expert (form or spreadsheet row); add every problem to ``errors``."""
    before = len(errors.by_field)
    username = (username or "").strip()
    if not USERNAME_RE.fullmatch(username):
        errors.add("username", gettext("用户名须为3至60位字母、数字或“_ . -”，以字母或数字开头。"))
    elif User.objects.filter(username__iexact=username).exists():
        errors.add("username", gettext("用户名“%(username)s”已被使用，请换一个。") % {"username": username})
    elif seen_usernames is not None and username.lower() in seen_usernames:
        errors.add("username", gettext("用户名“%(username)s”在本次导入中重复出现。") % {"username": username})
    if seen_usernames is not None and username:
        seen_usernames.add(username.lower())
    full_name = (full_name or "").strip()
    if not full_name or len(full_name) > 60:
        errors.add("full_name", gettext("请填写专家姓名（不超过60字）。"))
    if series not in committee.series:
        errors.add("series", gettext("专家的专业须属于本评委会的评审系列（%(series_labels)s）。") % {
            "series_labels": committee.series_labels,
        })
    for field, value, limit in (("specialty", specialty, 60), ("title_name", title_name, 60),
                                ("unit_name", unit_name, 120)):
        if not (value or "").strip() or len(value.strip()) > limit:
            errors.add(field, gettext("请填写%(expert_field_labels)s（不超过%(limit)s字）。") % {
                "expert_field_labels": EXPERT_FIELD_LABELS[field],
                "limit": limit,
            })
    if birth_date is None or birth_date.year < 1930 or birth_date > timezone.localdate():
        errors.add("birth_date", gettext("请填写正确的出生日期。"))
    _check_status(status, status_reason, errors)
    if len(errors.by_field) > before:
        return None
    unit_name = unit_name.strip()
    unit = None if is_external else _unit_named(committee.tenant_id, unit_name)
    return ExpertRow(
        username=username, full_name=full_name, series=series, specialty=specialty.strip(),
        title_name=title_name.strip(), unit_name=unit_name, unit=unit, birth_date=birth_date,
        is_external=bool(is_external), status=status, status_reason=(status_reason or "").strip(),
    )


def _create_expert(*, committee: Committee, row: ExpertRow) -> tuple[Expert, str]:
    password = initial_password()
    user = User(
        username=row.username, full_name=row.full_name, role=Role.EXPERT, tenant_id=committee.tenant_id,
        organisation=row.unit, must_change_password=True,
    )
    user.set_password(password)
    user.save()
    expert = Expert.objects.create(
        tenant_id=committee.tenant_id, user=user, series=row.series, specialty=row.specialty,
        title_name=row.title_name, unit=row.unit, unit_name=row.unit_name, is_external=row.is_external,
        birth_date=row.birth_date, status=row.status, status_reason=row.status_reason,
    )
    expert.committees.add(committee)
    return expert, password


def expert_account_create(
    *, actor: User, committee: Committee, username: str, full_name: str, series: str, specialty: str,
    title_name: str, unit_name: str, birth_date: date | None, is_external: bool = False,
    status: str = Expert.Status.ACTIVE, status_reason: str = "", request=None,
) -> tuple[Expert, str]:
    """Create an expert's login and put them into the committee's pool: (expert, the one-time
    initial password, to be shown once and changed at first login)."""
    if not permissions.can_manage_pool(actor, committee):
        raise PermissionDenied
    errors = Errors()
    row = clean_expert_row(
        committee=committee, username=username, full_name=full_name, series=series, specialty=specialty,
        title_name=title_name, unit_name=unit_name, birth_date=birth_date, is_external=is_external, status=status,
        status_reason=status_reason, errors=errors,
    )
    errors.raise_if_any()
    with transaction.atomic():
        expert, password = _create_expert(committee=committee, row=row)
        audit(action="expert_account_created", actor=actor, target=expert, request=request,
              committee=committee.pk, username=row.username)
    return expert, password


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def _parse_day(text: str) -> date | None:
    found = DATE_TEXT.fullmatch(text.strip())
    if not found:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def _series_code(text: str) -> str:
    from applications.models import SERIES_CHOICES

    text = text.strip()
    for code, label in SERIES_CHOICES:
        if text in (code, str(label), f"{label}系列"):
            return code
    return ""


with translation.override("zh-hans"):  # sheets name the statuses in Chinese, whoever imports this first
    STATUS_BY_LABEL = {str(label): value for value, label in Expert.Status.choices}
ACTIVE_LABEL = next(label for label, value in STATUS_BY_LABEL.items() if value == Expert.Status.ACTIVE)
YES, NO = frozenset({"是", "市外", "Y", "y", "1"}), frozenset({"", "否", "本市", "N", "n", "0"})


def _read_expert_sheet(upload) -> tuple[list[tuple[int, dict[str, str]]], list[dict]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True, max_row=IMPORT_MAX_ROWS + 2))
        workbook.close()
    except Exception:  # openpyxl raises many kinds on a damaged file; the user needs one answer
        return [], [{"row": 0, "field": gettext("文件"), "message": gettext("无法读取该Excel文件，文件可能已损坏。")}]
    if not rows:
        return [], [{"row": 1, "field": gettext("表头"), "message": gettext("专家名单是空的。")}]
    header = [_cell_text(cell) for cell in rows[0]]
    missing = [column for column in IMPORT_REQUIRED if column not in header]
    if missing:
        message = gettext("缺少列：%(columns)s。请使用专家名单模板。") % {"columns": gettext("、").join(missing)}
        return [], [{"row": 1, "field": gettext("表头"), "message": message}]
    if len(rows) - 1 > IMPORT_MAX_ROWS:
        message = gettext("一次最多导入%(count)s名专家，请分批导入。") % {"count": IMPORT_MAX_ROWS}
        return [], [{"row": 0, "field": gettext("文件"), "message": message}]
    records = []
    for number, values in enumerate(rows[1:], start=2):
        record = {
            column: _cell_text(values[i]) if i < len(values) else ""
            for i, column in enumerate(header)
            if column in IMPORT_COLUMNS
        }
        if any(record.values()):
            records.append((number, record))
    if not records:
        return [], [{"row": 2, "field": gettext("数据"), "message": gettext("名单中没有专家数据。")}]
    return records, []


def import_problem_text(problem: dict) -> str:
    where = gettext("第%(row)s行 ") % {"row": problem['row']} if problem["row"] > 1 else ""
    return gettext("%(where)s%(field)s：%(message)s") % {
        "where": where,
        "field": problem['field'],
        "message": problem['message'],
    }


def expert_import(*, actor: User, committee: Committee, upload, request=None) -> list[tuple[Expert, str]]:
    """Import a list of experts from Excel: every row validated, every bad row reported with its
    number and column, and all rows created or none. Each created expert gets a one-time initial
    password (returned, to be shown once)."""
    from core import uploads

    if not permissions.can_manage_pool(actor, committee):
        raise PermissionDenied
    name = getattr(upload, "name", "") or ""
    head = upload.read(4)
    upload.seek(0)
    if not name.lower().endswith(".xlsx") or head != b"PK\x03\x04":
        raise ValidationError({"file": [gettext(
            "文件“%(name)s”不是Excel（.xlsx）文件，请使用下载的专家名单模板。"
        ) % {"name": name}]})
    if upload.size > IMPORT_MAX_BYTES:
        raise ValidationError({"file": [gettext("文件“%(name)s”超过%(value)sMB上限。") % {
            "name": name,
            "value": IMPORT_MAX_BYTES // 1048576,
        }]})
    try:  # an .xlsx is a ZIP archive: refuse archive bombs before openpyxl decompresses anything
        uploads.check_zip_container(upload, field=gettext("专家名单文件"))
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    records, problems = _read_expert_sheet(upload)
    seen: set[str] = set()
    cleaned: list[ExpertRow] = []
    for row_number, record in records:
        errors = Errors()
        external_text = record.get("市外专家", "")
        status_text = record.get("状态", "") or ACTIVE_LABEL
        birth_text = record.get("出生日期", "")
        birth = _parse_day(birth_text)
        row = clean_expert_row(
            committee=committee, username=record.get("用户名", ""), full_name=record.get("姓名", ""),
            series=_series_code(record.get("专业所属系列", "")), specialty=record.get("专业", ""),
            title_name=record.get("职称", ""), unit_name=record.get("工作单位", ""), birth_date=birth,
            is_external=external_text in YES, status=STATUS_BY_LABEL.get(status_text, status_text),
            status_reason=record.get("调整原因", ""), errors=errors, seen_usernames=seen,
        )
        if external_text not in YES | NO:
            errors.add("is_external", gettext("市外专家一栏请填“是”或“否”。"))
            row = None
        for field, messages in errors.by_field.items():
            for message in messages:
                if field == "birth_date" and birth is None and birth_text:
                    message = gettext(
                        "“%(birth_text)s”不是日期，请按“1980年5月1日”的格式填写（或使用Excel的日期格式）。"
                    ) % {
                        "birth_text": birth_text,
                    }
                if field == "status" and status_text not in STATUS_BY_LABEL:
                    message = gettext("状态应为：") + gettext("、").join(STATUS_BY_LABEL) + gettext("。")
                problems.append({"row": row_number, "field": EXPERT_FIELD_LABELS[field], "message": message})
        if row is not None:
            cleaned.append(row)
    if problems:
        # Nothing is written: every problem at once (一次告知), as the roster import does.
        raise ValidationError({"file": [import_problem_text(p) for p in problems]})
    with transaction.atomic():
        created = [_create_expert(committee=committee, row=row) for row in cleaned]
        audit(action="experts_imported", actor=actor, target=committee, request=request, created=len(created),
              file=name[:200])
    return created


# --- Meetings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    title: str
    location: str
    starts_at: datetime
    ends_at: datetime
    expert_count: int
    ids: list[int]
    candidates: dict


def _check_plan(
    *, committee: Committee, title: str, starts_at: datetime | None, ends_at: datetime | None, expert_count,
    application_ids, location: str, at: datetime, meeting: Meeting | None = None,
) -> _Plan:
    """Everything a plan must satisfy, all problems at once: dates (001 五(四): filed ≥5 working
    days before, not across years), the agenda, and enough drawable experts on the meeting day."""
    errors = Errors()
    title = (title or "").strip()
    if not title or len(title) > 120:
        errors.add("title", gettext("请填写会议名称（不超过120字）。"))
    dates_ok = False
    if starts_at is None or ends_at is None:
        errors.add("starts_at", gettext("请填写会议开始和结束时间。"))
    else:
        dates_ok = True
        if ends_at <= starts_at:
            errors.add("ends_at", gettext("会议结束时间须晚于开始时间。"))
        if _local(starts_at).year != _local(ends_at).year:
            errors.add("ends_at", gettext("评审会议不得跨年度（须在同一年内开始和结束）。"))
        filed_on = _local(at).date()
        try:
            earliest = first_allowed_meeting_date(filed_on)
        except CalendarUnknownError as error:
            errors.add("starts_at", str(error))
            dates_ok = False
        else:
            if _local(starts_at).date() < earliest:
                errors.add(
                    "starts_at",
                    gettext(
                        "评审工作方案须在会议召开前至少%(plan_lead_working_days)s个工作日报备；今天报备，会议最早可安排"
                        "在%(date)s。"
                    ) % {
                        "plan_lead_working_days": PLAN_LEAD_WORKING_DAYS,
                        "date": local_date(earliest),
                    },
                )
    count_ok = isinstance(expert_count, int) and MIN_EXPERTS <= expert_count <= MAX_EXPERTS
    if not count_ok:
        errors.add("expert_count", gettext("抽取专家人数须在%(min_experts)s至%(max_experts)s人之间。") % {
            "min_experts": MIN_EXPERTS,
            "max_experts": MAX_EXPERTS,
        })
    candidates = {a.pk: a for a in selectors.agenda_candidates(committee, meeting)}
    ids = list(dict.fromkeys(int(pk) for pk in application_ids or []))
    agenda_ok = False
    if not ids:
        errors.add("applications", gettext("请至少选择一份待评审的申报。"))
    elif any(pk not in candidates for pk in ids):
        errors.add("applications", gettext("所选申报不在本评委会待评审范围内，或已列入其他会议。"))
    else:
        agenda_ok = True
    if dates_ok and count_ok and agenda_ok:
        available = selectors.drawable(committee, _local(starts_at).date(), [candidates[pk] for pk in ids])
        if available.count < expert_count:
            errors.add(
                "expert_count",
                gettext(
                    "按会议日期%(date)s，%(available)s，不足%(expert_count)s人。请减少抽取人数，或先在专家库中补充专家"
                    "。"
                ) % {
                    "date": local_date(_local(starts_at).date()),
                    "available": available.explain(),
                    "expert_count": expert_count,
                },
            )
    errors.raise_if_any()
    return _Plan(title=title, location=(location or "").strip()[:120], starts_at=starts_at, ends_at=ends_at,
                 expert_count=expert_count, ids=ids, candidates=candidates)


def _agenda_items(meeting: Meeting, plan: _Plan) -> list[AgendaItem]:
    return [
        AgendaItem(
            meeting=meeting, application_id=pk, order=index,
            submission=plan.candidates[pk].submissions.order_by("-revision").first(),
        )
        for index, pk in enumerate(plan.ids, start=1)
    ]


def meeting_plan_file(
    *, actor: User, committee: Committee, title: str, starts_at: datetime, ends_at: datetime,
    expert_count: int, application_ids: list[int], location: str = "", at: datetime | None = None, request=None,
) -> Meeting:
    """The secretary files the review plan (评审工作方案) with its agenda; a plan the pool cannot
    staff on the meeting day is refused with the number that can be drawn."""
    if not permissions.can_manage(actor, committee):
        raise PermissionDenied
    at = at or timezone.now()
    plan = _check_plan(committee=committee, title=title, starts_at=starts_at, ends_at=ends_at,
                       expert_count=expert_count, application_ids=application_ids, location=location, at=at)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            tenant_id=committee.tenant_id, committee=committee, title=plan.title, location=plan.location,
            starts_at=starts_at, ends_at=ends_at, expert_count=expert_count, plan_filed_at=at, plan_filed_by=actor,
        )
        AgendaItem.objects.bulk_create(_agenda_items(meeting, plan))
        audit(action="committee_plan_filed", actor=actor, target=meeting, request=request, items=len(plan.ids))
    return meeting


def _locked_plan(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("committee").get(pk=meeting.pk)
    if locked.status == Meeting.Status.WITHDRAWN:
        raise ValidationError({"__all__": [gettext("该评审方案已撤回。")]})
    if locked.status != Meeting.Status.PLANNED:
        raise ValidationError({"__all__": [gettext("专家已抽取，评审方案不能再修改或撤回。")]})
    return locked


def meeting_plan_update(
    *, actor: User, meeting: Meeting, title: str, starts_at: datetime, ends_at: datetime, expert_count: int,
    application_ids: list[int], location: str = "", at: datetime | None = None, request=None,
) -> Meeting:
    """Change a filed plan until the experts are drawn. A changed plan is filed again: the same
    checks as a first filing, counted from today (001 五(四))."""
    if not permissions.can_manage(actor, meeting.committee):
        raise PermissionDenied
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked_plan(meeting)
        plan = _check_plan(committee=locked.committee, title=title, starts_at=starts_at, ends_at=ends_at,
                           expert_count=expert_count, application_ids=application_ids, location=location, at=at,
                           meeting=locked)
        before = {"starts_at": locked.starts_at.isoformat(), "expert_count": locked.expert_count,
                  "items": list(locked.items.order_by("order").values_list("application_id", flat=True))}
        locked.items.all().delete()  # a plan has no votes before the draw
        locked.title, locked.location = plan.title, plan.location
        locked.starts_at, locked.ends_at, locked.expert_count = starts_at, ends_at, expert_count
        locked.plan_filed_at, locked.plan_filed_by = at, actor
        locked.save(update_fields=["title", "location", "starts_at", "ends_at", "expert_count", "plan_filed_at",
                                   "plan_filed_by"])
        AgendaItem.objects.bulk_create(_agenda_items(locked, plan))
        audit(action="committee_plan_changed", actor=actor, target=locked, request=request, before=before,
              items=len(plan.ids), expert_count=expert_count)
    meeting.refresh_from_db()
    return meeting


def meeting_plan_withdraw(
    *, actor: User, meeting: Meeting, reason: str, at: datetime | None = None, request=None
) -> Meeting:
    """Withdraw a plan before the draw; its applications wait for the next plan."""
    if not permissions.can_manage(actor, meeting.committee):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise ValidationError({"reason": [gettext("请写明撤回原因（不超过200字）。")]})
    with transaction.atomic():
        locked = _locked_plan(meeting)
        locked.status = Meeting.Status.WITHDRAWN
        locked.withdrawn_at = at or timezone.now()
        locked.withdrawn_reason = reason
        locked.save(update_fields=["status", "withdrawn_at", "withdrawn_reason"])
        audit(action="committee_plan_withdrawn", actor=actor, target=locked, request=request, reason=reason)
    meeting.refresh_from_db()
    return meeting


def conflicts(meeting: Meeting) -> dict[int, str]:
    """Expert id → why they may not sit on this meeting (回避): same unit as an applicant on the agenda,
    or they decided an agenda application at an earlier level of its chain."""
    applications = [item.application for item in meeting.items.select_related("application")]
    return selectors.conflicts_for(meeting.tenant_id, applications)


# --- Confidentiality pledge (001 五(一)) ----------------------------------------------------------

PLEDGE_VERSION = "2026.1"
PLEDGE_TEXT = (
    "本人自愿签订本保密承诺书，郑重承诺：严格遵守职称评审工作纪律，对本次评审会议的申报材料、专家名单、"
    "评审意见和表决情况严格保密，不以任何方式泄露、复制、留存或向他人提供；与申报人有利害关系的主动回避；"
    "不接受请托，不徇私舞弊，客观公正地履行评审职责。如有违反，愿承担相应责任。"
)


def pledge_sign(
    *, actor: User, meeting: Meeting, typed_name: str, agreed: bool, at: datetime | None = None, request=None
) -> ConfidentialityPledge:
    """Sign the meeting's 保密承诺书 once, before seeing any file (001 五(一): 评审专家和工作人员要签订
    保密承诺书): a drawn expert, or the secretary who runs the meeting."""
    is_expert = actor.role == Role.EXPERT and MeetingExpert.objects.filter(
        meeting=meeting, expert__user=actor, expert__tenant_id=actor.tenant_id
    ).exists()
    if not is_expert and not permissions.can_manage(actor, meeting.committee):
        raise PermissionDenied
    if meeting.status == Meeting.Status.WITHDRAWN:
        raise ValidationError({"__all__": [gettext("该评审方案已撤回。")]})
    errors = Errors()
    if not agreed:
        errors.add("agreed", gettext("请阅读并勾选同意保密承诺。"))
    if (typed_name or "").strip() != actor.full_name:
        errors.add("typed_name", gettext("请输入您的姓名“%(full_name)s”作为签名。") % {"full_name": actor.full_name})
    errors.raise_if_any()
    with transaction.atomic():
        pledge, created = ConfidentialityPledge.objects.get_or_create(
            meeting=meeting, user=actor,
            defaults={"typed_name": actor.full_name, "text_version": PLEDGE_VERSION, "signed_at": at or timezone.now(),
                      "ip": client_ip(request)},
        )
        if created:
            audit(action="committee_pledge_signed", actor=actor, target=meeting, request=request,
                  version=PLEDGE_VERSION)
    return pledge


def _require_pledge(actor: User, meeting: Meeting) -> None:
    if not selectors.has_pledged(actor, meeting):
        raise ValidationError({"__all__": [gettext("请先签署本次评审会议的保密承诺书。")]})


def meeting_draw_experts(
    *, actor: User, meeting: Meeting, seed: str | None = None, at: datetime | None = None, request=None
) -> list[MeetingExpert]:
    """Draw the meeting's experts at random from the eligible pool, conflicts excluded; the seed,
    the pool and each exclusion are recorded so the draw can be re-run and checked. The secretary
    signs the pledge first: the names drawn are confidential (001 五(一))."""
    if not permissions.can_manage(actor, meeting.committee):
        raise PermissionDenied
    at = at or timezone.now()
    seed = (seed or "").strip() or secrets.token_hex(8)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != Meeting.Status.PLANNED:
            raise ValidationError({"__all__": [gettext("本次会议已抽取专家，不能重复抽取。")]
                                   if locked.status != Meeting.Status.WITHDRAWN else [gettext("该评审方案已撤回。")]})
        _require_pledge(actor, locked)
        applications = [item.application for item in locked.items.select_related("application")]
        available = selectors.drawable(locked.committee, _local(locked.starts_at).date(), applications)
        if available.count < locked.expert_count:
            raise ValidationError(
                {"expert_count": [
                    gettext("%(available)s，不足%(expert_count)s人。请修改评审方案的抽取人数，或先补充专家。") % {
                        "available": available.explain(),
                        "expert_count": locked.expert_count,
                    }
                ]}
            )
        chosen = random.Random(seed).sample(available.candidates, locked.expert_count)
        rows = MeetingExpert.objects.bulk_create(
            [MeetingExpert(meeting=locked, expert=e, draw_order=i) for i, e in enumerate(chosen, start=1)]
        )
        locked.status = Meeting.Status.DRAWN
        locked.draw_seed = seed
        locked.drawn_at = at
        locked.draw_record = {
            "seed": seed,
            "pool": [e.pk for e in available.pool],
            "excluded": {str(pk): reason for pk, reason in available.excluded.items()},
            "chosen": [e.pk for e in chosen],
        }
        locked.save(update_fields=["status", "draw_seed", "drawn_at", "draw_record"])
        audit(action="committee_experts_drawn", actor=actor, target=locked, request=request, seed=seed,
              chosen=len(chosen))
    meeting.refresh_from_db()
    return rows


def attendance_set(*, actor: User, meeting: Meeting, absent_expert_ids: list[int], request=None) -> None:
    if not permissions.can_manage(actor, meeting.committee):
        raise PermissionDenied
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != Meeting.Status.DRAWN:
            raise ValidationError({"__all__": [gettext("只能在表决期间登记出席情况。")]})
        absent = {int(pk) for pk in absent_expert_ids}
        for row in locked.assignments.all():
            present = row.expert_id not in absent
            if row.present != present:
                row.present = present
                row.save(update_fields=["present"])
        audit(action="committee_attendance_set", actor=actor, target=locked, request=request, absent=len(absent))


def voting_opens_message(meeting: Meeting) -> str:
    return gettext("评审会议定于%(date)s召开，会议当天起方可表决。") % {"date": local_date(meeting.meeting_day)}


def vote_cast(*, actor: User, item: AgendaItem, choice: str, at: datetime | None = None, request=None) -> Vote:
    """An expert's vote on one agenda item, from the meeting day (not before) until the meeting
    closes; the expert has signed the meeting's 保密承诺书."""
    at = at or timezone.now()
    if choice not in Vote.Choice.values:
        raise ValidationError({"choice": [gettext("请选择同意、不同意或弃权。")]})
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
        assignment = (
            MeetingExpert.objects.select_related("expert")
            .filter(meeting=meeting, expert__user=actor, expert__tenant_id=actor.tenant_id)
            .first()
        )
        if assignment is None or actor.role != Role.EXPERT:
            raise PermissionDenied
        if meeting.status != Meeting.Status.DRAWN:
            raise ValidationError({"__all__": [gettext("会议已结束，表决结果不可更改。")]
                                   if meeting.status != Meeting.Status.PLANNED else [gettext("会议尚未开始表决。")]})
        _require_pledge(actor, meeting)
        if _local(at).date() < meeting.meeting_day:
            raise ValidationError({"__all__": [voting_opens_message(meeting)]})
        if not assignment.present:
            raise ValidationError({"__all__": [gettext("您已登记为缺席，不能参加本次表决。")]})
        application = Application.objects.get(pk=item.application_id)
        expert = assignment.expert
        if expert.unit_id is not None and expert.unit_id == application.unit_id:
            raise ValidationError({"__all__": [gettext("您与该申报人同一单位，须回避，不能对其表决。")]})
        vote, _ = Vote.objects.update_or_create(item=item, expert=expert, defaults={"choice": choice, "cast_at": at})
        # The audit row records that a vote was cast, never its content: votes are secret.
        audit(action="committee_vote_cast", actor=actor, target=item, request=request)
    return vote


def report_due_on(meeting: Meeting) -> date | None:
    """The last day to report results and minutes: 5 working days after the meeting ends
    (001 五(四) 在评审会议结束后5个工作日内) — after its scheduled end, or its actual close if later."""
    ended = _local(meeting.ends_at).date()
    if meeting.closed_at is not None:
        ended = max(ended, _local(meeting.closed_at).date())
    try:
        return add_working_days(ended + timedelta(days=1), REPORT_WORKING_DAYS)
    except CalendarUnknownError:
        return None


def meeting_close(
    *, actor: User, meeting: Meeting, discussion: str = "", at: datetime | None = None, request=None
) -> Meeting:
    """Close the meeting once it has begun: count the votes, decide each application's committee
    step through ``review_decide`` (approve = passed, reject = failed, the tally as opinion) and
    queue the minutes."""
    from review.services import review_decide

    if not permissions.can_manage(actor, meeting.committee):
        raise PermissionDenied
    at = at or timezone.now()
    discussion = (discussion or "").strip()
    if len(discussion) > DISCUSSION_MAX:
        raise ValidationError({"discussion": [gettext("讨论意见不能超过%(discussion_max)s字。") % {
            "discussion_max": DISCUSSION_MAX,
        }]})
    with transaction.atomic():
        locked = Meeting.objects.select_for_update(of=("self",)).select_related("committee").get(pk=meeting.pk)
        if locked.status != Meeting.Status.DRAWN:
            raise ValidationError({"__all__": [gettext("只有正在表决的会议才能结束。")]})
        if at < locked.starts_at:
            raise ValidationError({"__all__": [
                gettext("评审会议定于%(date)s %(local)s开始，会议开始后才能结束会议并统计表决结果。") % {
                    "date": local_date(locked.meeting_day),
                    "local": format(_local(locked.starts_at), "%H:%M"),
                }
            ]})
        drawn = locked.assignments.count()
        present_ids = set(locked.assignments.filter(present=True).values_list("expert_id", flat=True))
        if len(present_ids) < quorum(drawn):
            raise ValidationError(
                {"__all__": [gettext(
                    "出席专家%(count)s人，不足抽取人数%(drawn)s人的三分之二（%(quorum)s人），不能形成有效表决。"
                ) % {
                    "count": len(present_ids),
                    "drawn": drawn,
                    "quorum": quorum(drawn),
                }]}
            )
        items = list(locked.items.select_related("application").order_by("order"))
        for item in items:
            votes = [v for v in item.votes.all() if v.expert_id in present_ids]
            item.present = len(present_ids)
            item.agree = sum(1 for v in votes if v.choice == Vote.Choice.AGREE)
            item.disagree = sum(1 for v in votes if v.choice == Vote.Choice.DISAGREE)
            item.abstain = item.present - item.agree - item.disagree
            item.outcome = AgendaItem.Outcome.PASSED if passes(item.agree, item.present) else AgendaItem.Outcome.FAILED
            item.save(update_fields=["present", "agree", "disagree", "abstain", "outcome"])
            passed = item.outcome == AgendaItem.Outcome.PASSED
            with translation.override("zh-hans"):  # the opinion is stored: in Chinese
                tally = item.tally
            review_decide(
                actor=actor,
                application=item.application,
                action=Action.APPROVE if passed else Action.REJECT,
                opinion=f"{locked.committee.name}评审{'通过' if passed else '未通过'}：{tally}。",
                request=request,
                at=at,
                via_committee=True,
            )
        locked.status = Meeting.Status.CLOSED
        locked.closed_at = at
        locked.discussion = discussion
        locked.report_due_on = report_due_on(locked)
        locked.save(update_fields=["status", "closed_at", "discussion", "report_due_on"])
        audit(action="committee_meeting_closed", actor=actor, target=locked, request=request, items=len(items))
        meeting_id = locked.pk
        enqueue("committees.tasks.render_minutes", meeting_id)
    meeting.refresh_from_db()
    return meeting


def meeting_report(*, actor: User, meeting: Meeting, at: datetime | None = None, request=None) -> Meeting:
    """Report the results to the bureau and publish them (001 五(四): within 5 working days after
    the meeting). A report after the due day still goes through — the results must reach the
    bureau — and is recorded and shown as late."""
    if not permissions.can_manage(actor, meeting.committee):
        raise PermissionDenied
    at = at or timezone.now()
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == Meeting.Status.REPORTED:
            return locked
        if locked.status != Meeting.Status.CLOSED:
            raise ValidationError({"__all__": [gettext("会议结束后才能报送评审结果。")]})
        if at < locked.closed_at:
            raise ValidationError({"__all__": [gettext("报送时间不能早于会议结束时间。")]})
        locked.status = Meeting.Status.REPORTED
        locked.reported_at = at
        try:
            locked.publicity_ends_on = add_working_days(_local(at).date() + timedelta(days=1), PUBLICITY_WORKING_DAYS)
        except CalendarUnknownError:
            locked.publicity_ends_on = None
        locked.save(update_fields=["status", "reported_at", "publicity_ends_on"])
        late = locked.report_due_on is not None and _local(at).date() > locked.report_due_on
        audit(action="committee_results_reported", actor=actor, target=locked, request=request, late=late)
    meeting.refresh_from_db()
    return meeting


# --- Objections to the published results -----------------------------------------------------------


def publicity_objection_lodge(
    *, actor: User, meeting: Meeting, item_id: int, name: str, content: str, phone: str = "",
    at: datetime | None = None, request=None,
) -> PublicityObjection:
    """Record a named objection to a published result while its publicity runs; until it is
    resolved the application's certificate waits."""
    if not permissions.can_manage(actor, meeting.committee):
        raise PermissionDenied
    at = at or timezone.now()
    errors = Errors()
    name, content, phone = (name or "").strip(), (content or "").strip(), (phone or "").strip()
    if not name or name in ("匿名", "无名氏") or len(name) > 40:
        errors.add("name", gettext("请填写反映人的真实姓名（匿名反映不予受理，不超过40字）。"))
    if not content or len(content) > 2000:
        errors.add("content", gettext("请填写反映内容（不超过2000字）。"))
    if len(phone) > 20:
        errors.add("phone", gettext("联系电话不超过20位。"))
    item = meeting.items.filter(pk=item_id).first()
    if item is None:
        errors.add("item", gettext("请选择被反映的申报。"))
    errors.raise_if_any()
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != Meeting.Status.REPORTED or (
            locked.publicity_ends_on is not None and _local(at).date() > locked.publicity_ends_on
        ):
            raise ValidationError({"__all__": [gettext("只能在评审结果公示期间登记异议。")]})
        objection = PublicityObjection.objects.create(
            meeting=locked, item=item, lodged_by_name=name, lodged_by_phone=phone, content=content, lodged_at=at,
            recorded_by=actor,
        )
        audit(action="committee_objection_lodged", actor=actor, target=locked, request=request,
              objection=objection.pk, item=item.pk)
    return objection


def publicity_objection_resolve(
    *, actor: User, objection: PublicityObjection, finding: str, upheld: bool, at: datetime | None = None,
    request=None,
) -> PublicityObjection:
    """Record the finding of the investigation; an objection found true keeps the certificate back."""
    if not permissions.can_manage(actor, objection.meeting.committee):
        raise PermissionDenied
    finding = (finding or "").strip()
    if not finding or len(finding) > 2000:
        raise ValidationError({"finding": [gettext("请填写调查核实结论（不超过2000字）。")]})
    with transaction.atomic():
        row = PublicityObjection.objects.select_for_update().get(pk=objection.pk)
        if row.resolved_at is not None:
            raise ValidationError({"__all__": [gettext("该异议已有处理结论。")]})
        row.finding, row.upheld, row.resolved_by, row.resolved_at = finding, bool(upheld), actor, at or timezone.now()
        row.save(update_fields=["finding", "upheld", "resolved_by", "resolved_at"])
        audit(action="committee_objection_resolved", actor=actor, target=row.meeting, request=request,
              objection=row.pk, upheld=row.upheld)
    return row


@official_language
def minutes_render(*, meeting_id: int) -> Meeting:
    """Render the minutes PDF of a closed meeting; a second run keeps the first file."""
    from django.core.files.base import ContentFile
    from django.template.loader import render_to_string

    from certificates.rendering import font_face_css, render_pdf

    meeting = Meeting.objects.select_related("committee", "tenant").get(pk=meeting_id)
    if meeting.status not in (Meeting.Status.CLOSED, Meeting.Status.REPORTED) or meeting.minutes_pdf:
        return meeting
    html = render_to_string("committees/minutes_pdf.html", {**minutes_context(meeting), "font_css": font_face_css()})
    pdf = render_pdf(html)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting_id)
        if not locked.minutes_pdf:
            locked.minutes_pdf.save(f"minutes-{meeting_id}.pdf", ContentFile(pdf.content), save=False)
            locked.minutes_sha256 = pdf.sha256
            locked.save(update_fields=["minutes_pdf", "minutes_sha256"])
    return locked


def minutes_context(meeting: Meeting) -> dict:
    """Time, members, agenda, tallies and discussion (001 五(四) 会议纪要)."""
    members = list(meeting.assignments.select_related("expert__user").order_by("draw_order"))
    signed = set(meeting.pledges.values_list("user_id", flat=True))
    return {
        "meeting": meeting,
        "members": members,
        "pledged_members": sum(1 for row in members if row.expert.user_id in signed),
        "items": list(meeting.items.select_related("application__applicant", "application__unit").order_by("order")),
    }
