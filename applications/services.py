"""Every state change of the personal record, the achievement archive and applications.

Typed, keyword-only, with the acting user. Each service validates everything first and reports
every problem at once (一次告知), then writes inside one transaction, so nothing is half-saved.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from applications import materials
from applications.models import (
    Absence,
    Achievement,
    AnnualAssessment,
    Application,
    ApplicationFile,
    Attachment,
    ContinuingEducation,
    EducationEntry,
    PersonalRecord,
    Pledge,
    Sanction,
    SkillQualification,
    Submission,
    TitleHeld,
    UnitRosterFiling,
    WorkPeriod,
)
from applications.permissions import can_decide_achievement, can_edit_application, can_file
from applications.signals import application_submitted
from applications.uploads import DEFAULT_RULES, SlotRules, check_slot_upload
from applications.wording import plain_message, reader_date, reader_moment
from core.audit import audit
from rules import filing
from rules.catalog import UnknownRuleSetError, get_rule_set
from rules.engine import ProfileError, evaluate
from rules.windows import CST, UnknownTenantError, Window, window_status
from units.selectors import filing_restriction_for
from units.services import Errors

SELF_STATEMENT_MAX = 1000
MAIN_ACHIEVEMENTS_MAX = 5000
PLEDGE_VERSION = "2026-1"
# The Chinese text (version PLEDGE_VERSION) is what is signed; an English page shows its translation.
PLEDGE_TEXT = lazy(
    lambda: _(
        "本人承诺：所填报的个人信息、业绩档案和上传的全部材料真实、准确、完整，不存在弄虚作假、"
        "伪造学历证书或资历证明等情形。如有不实，本人愿承担相应责任，接受取消申报资格、撤销已取得的职称"
        "并记入诚信档案等处理。"
    ),
    str,
)()


def char_count(text: str) -> int:
    """Characters as the documents count them (字): whitespace and line breaks do not count."""
    return len("".join((text or "").split()))


def _require_filer(actor: User) -> None:
    if not can_file(actor):
        raise PermissionDenied


def _store_attachment(*, owner: User, upload: UploadedFile, checked, sha256: str) -> Attachment:
    return Attachment.objects.create(
        owner=owner,
        file=upload,
        original_name=(upload.name or "文件")[:200],
        content_type=checked.content_type,
        size=checked.size,
        pages=checked.pages,
        width=checked.width,
        height=checked.height,
        sha256=sha256,
    )


def _check_proof(errors: Errors, field: str, label: str, upload: UploadedFile | None, rules: SlotRules = DEFAULT_RULES):
    if upload is None:
        return None
    try:
        return check_slot_upload(upload, label=label, rules=rules)
    except ValidationError as error:
        errors.capture(field, error)
        return None


# --- Personal record ----------------------------------------------------------------------------

RECORD_FIELDS = (
    "birth_date",
    "gender",
    "civil_servant",
    "retired",
    "has_contract",
    "months_in_region",
    "social_insurance_months_in_region",
    "insured_unit_is_applying_unit",
    "current_post_since",
    "current_specialty",
)


def record_save(*, actor: User, data: dict[str, Any], request=None) -> PersonalRecord:
    """Save the basic facts of the personal record (every given field, or none of them)."""
    _require_filer(actor)
    record = PersonalRecord.objects.filter(person=actor).first() or PersonalRecord(person=actor)
    for name, value in data.items():
        if name in RECORD_FIELDS:
            setattr(record, name, value)
    try:
        record.full_clean()
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    with transaction.atomic():
        record.save()
        audit(action="personal_record_saved", actor=actor, target=record, request=request)
    return record


RECORD_KINDS: dict[str, type[models.Model]] = {
    "education": EducationEntry,
    "work": WorkPeriod,
    "title": TitleHeld,
    "assessment": AnnualAssessment,
    "cpd": ContinuingEducation,
    "skill": SkillQualification,
    "sanction": Sanction,
    "absence": Absence,
}
# The scan that proves an entry, and whether the entry needs one.
PROOF_FIELDS: dict[str, tuple[str, bool]] = {
    "education": ("diploma", True),
    "title": ("appointment_letter", True),
    "skill": ("certificate", False),
}


def record_entry_add(
    *, actor: User, kind: str, data: dict[str, Any], proof: UploadedFile | None = None, request=None
) -> models.Model:
    """Add one entry to a list of the personal record (education, work, titles, …) with its scan."""
    _require_filer(actor)
    entry = RECORD_KINDS[kind](person=actor)
    return _record_entry_save(actor=actor, kind=kind, entry=entry, data=data, proof=proof, request=request)


def record_entry_update(
    *,
    actor: User,
    kind: str,
    entry: models.Model,
    data: dict[str, Any],
    proof: UploadedFile | None = None,
    request=None,
) -> models.Model:
    """Correct an entry; its scan is kept unless a new one is uploaded."""
    _require_filer(actor)
    if getattr(entry, "person_id", None) != actor.pk or not isinstance(entry, RECORD_KINDS[kind]):
        raise PermissionDenied
    return _record_entry_save(actor=actor, kind=kind, entry=entry, data=data, proof=proof, request=request)


def _record_entry_save(
    *, actor: User, kind: str, entry: models.Model, data: dict[str, Any], proof: UploadedFile | None, request
) -> models.Model:
    adding = entry.pk is None
    errors = Errors()
    for field, value in data.items():
        if field not in ("person", "id"):
            setattr(entry, field, value)
    try:
        entry.full_clean(exclude=[PROOF_FIELDS[kind][0]] if kind in PROOF_FIELDS else None)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                errors.add(field, message)
    checked = None
    if kind in PROOF_FIELDS:
        field, required = PROOF_FIELDS[kind]
        label = str(entry._meta.get_field(field).verbose_name)
        if proof is None and required and getattr(entry, f"{field}_id", None) is None:
            errors.add(field, _("请上传%(label)s。") % {"label": label})
        checked = _check_proof(errors, field, label, proof)
    errors.raise_if_any()
    with transaction.atomic():
        if checked is not None:
            setattr(
                entry,
                PROOF_FIELDS[kind][0],
                _store_attachment(owner=actor, upload=proof, checked=checked[0], sha256=checked[1]),
            )
        entry.save()
        audit(
            action="personal_record_entry_added" if adding else "personal_record_entry_updated",
            actor=actor,
            target=entry,
            request=request,
            kind=kind,
        )
    return entry


def record_entry_delete(*, actor: User, entry: models.Model, request=None) -> None:
    if getattr(entry, "person_id", None) != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        audit(action="personal_record_entry_deleted", actor=actor, target=entry, request=request)
        entry.delete()


# --- Achievement archive ------------------------------------------------------------------------


def achievement_add(*, actor: User, data: dict[str, Any], proof: UploadedFile | None, request=None) -> Achievement:
    """Add an entry to the achievement archive; it waits for the unit's approval."""
    _require_filer(actor)
    errors = Errors()
    fields = ("kind", "title", "achieved_on", "role", "description")
    entry = Achievement(person=actor, **{k: v for k, v in data.items() if k in fields})
    try:
        entry.full_clean(exclude=["proof", "decided_by"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                errors.add(field, message)
    if proof is None:
        errors.add("proof", _("请上传证明材料（论文首页、获奖证书、专利证书、项目验收文件等）。"))
    checked = _check_proof(errors, "proof", _("证明材料"), proof)
    errors.raise_if_any()
    with transaction.atomic():
        entry.proof = _store_attachment(owner=actor, upload=proof, checked=checked[0], sha256=checked[1])
        entry.save()
        audit(action="achievement_added", actor=actor, target=entry, request=request, kind=entry.kind)
    return entry


def achievement_decide(
    *, actor: User, achievement: Achievement, approve: bool, reason: str = "", request=None
) -> Achievement:
    """The applicant's unit approves an archive entry, or rejects it with the reason."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": [_("不通过时须写明原因。")]})
    with transaction.atomic():
        achievement = (
            Achievement.objects.select_for_update(of=("self",)).select_related("person").get(pk=achievement.pk)
        )
        if achievement.status != Achievement.Status.PENDING:
            raise ValidationError(
                {
                    "__all__": [
                        _("该业绩已审核（%(status)s），不能重复审核。") % {"status": achievement.get_status_display()}
                    ]
                }
            )
        if not can_decide_achievement(actor, achievement):
            raise PermissionDenied
        achievement.status = Achievement.Status.APPROVED if approve else Achievement.Status.REJECTED
        achievement.rejection_reason = "" if approve else reason[:500]
        achievement.decided_by = actor
        achievement.decided_at = timezone.now()
        achievement.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
        audit(
            action="achievement_approved" if approve else "achievement_rejected",
            actor=actor,
            target=achievement,
            request=request,
            reason=reason,
        )
    return achievement


# --- Applications -------------------------------------------------------------------------------


def _now() -> datetime:
    return timezone.now()


def current_window(tenant_code: str, at: datetime) -> dict[str, Any]:
    """``rules.windows.window_status``, with an unknown tenant answered as “no window”."""
    try:
        return window_status(tenant_code, at)
    except UnknownTenantError:
        return {"submit_open": False, "window": None}


def application_create(
    *, actor: User, series: str, level: str, specialty: str = "", request=None, at: datetime | None = None
) -> Application:
    """Start a draft for the applicant's tenant under the tenant's current rule set."""
    _require_filer(actor)
    errors = Errors()
    restriction = filing_restriction_for(actor, (at or _now()).astimezone(CST).date())
    if restriction is not None:
        errors.add("__all__", restriction_message(restriction))
    code = materials.rule_set_code_for_tenant(actor.tenant.code)
    rule_set = None
    if code is None:
        errors.add("__all__", _("本地区尚未发布职称申报规则，暂不能申报。"))
    else:
        rule_set = get_rule_set(code)
    if series not in dict(Application._meta.get_field("series").choices):
        errors.add("series", _("请选择职称系列。"))
    if level not in dict(Application._meta.get_field("level").choices):
        errors.add("level", _("请选择申报级别。"))
    if len(specialty) > 60:
        errors.add("specialty", _("专业不能超过60个字符。"))
    window = current_window(actor.tenant.code, at or _now()).get("window") or {}
    existing = live_application_in_window(actor, window)
    if existing is not None:
        errors.add("__all__", duplicate_message(existing))
    errors.raise_if_any()
    method = rule_set.covers.get("evaluation_method") if rule_set else None
    if not specialty.strip():
        # 申报专业 starts as the record's 现从事专业: the two must agree where the rule set says so
        # (filing rule specialty_matches, 001 二(五)2), and mostly do everywhere.
        record = PersonalRecord.objects.filter(person=actor).only("current_specialty").first()
        specialty = record.current_specialty if record else ""
    with transaction.atomic():
        application = Application.objects.create(
            applicant=actor,
            tenant_id=actor.tenant_id,
            unit_id=actor.organisation_id,
            series=series,
            level=level,
            specialty=specialty.strip(),
            evaluation_method=method if method in Application.EvaluationMethod.values else "assessment",
            ruleset_code=rule_set.code,
            ruleset_version=rule_set.version,
            window_name=window.get("name") or "",
            window_opens_at=datetime.fromisoformat(window["opens_at"]) if window.get("opens_at") else None,
        )
        audit(action="application_created", actor=actor, target=application, request=request)
    return application


# An application in these states holds the applicant's place in its window: no second one.
LIVE_STATUSES = (
    Application.Status.SUBMITTED,
    Application.Status.RETURNED,
    Application.Status.IN_REVIEW,
    Application.Status.APPROVED,
)


def live_application_in_window(
    applicant: User, window: dict[str, Any] | None, *, exclude: Application | None = None
) -> Application | None:
    """The applicant's submitted, returned, in-review or approved (and maybe certified)
    application of the window, if any: one filing per person and window."""
    if not window or not window.get("name"):
        return None
    same = models.Q(window_name=window["name"])
    if window.get("opens_at"):  # the name and the opening instant identify a window
        opens = datetime.fromisoformat(window["opens_at"])
        same &= models.Q(window_opens_at=opens) | models.Q(window_opens_at__isnull=True)
    found = Application.objects.filter(
        same, applicant=applicant, tenant_id=applicant.tenant_id, status__in=LIVE_STATUSES
    )
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.order_by("-submitted_at", "-id").first()


def duplicate_message(existing: Application) -> str:
    state = str(existing.get_status_display())
    if existing.status == Application.Status.APPROVED and getattr(existing, "certificate", None) is not None:
        state += _("，已取得证书")
    what = _("%(series)s%(level)s") % {
        "series": existing.get_series_display(),
        "level": existing.get_level_display(),
    }
    if existing.specialty:
        what += _("（%(specialty)s）") % {"specialty": existing.specialty}
    if existing.submitted_at:
        state += _("，%(day)s提交") % {"day": reader_date(existing.submitted_at.astimezone(CST).date())}
    then = {
        Application.Status.SUBMITTED: _("请等待审核结果"),
        Application.Status.IN_REVIEW: _("请等待审核结果"),
        Application.Status.RETURNED: _("请按退回意见修改后再次提交"),
    }.get(existing.status, "")
    if then:
        return _("您在“%(window)s”已有一份申报：%(what)s（%(state)s），同一申报批次不能重复申报，%(then)s。") % {
            "window": existing.window_name,
            "what": what,
            "state": state,
            "then": then,
        }
    return _("您在“%(window)s”已有一份申报：%(what)s（%(state)s），同一申报批次不能重复申报。") % {
        "window": existing.window_name,
        "what": what,
        "state": state,
    }


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "on", "yes"):
        return True
    if text in ("0", "false", "off", "no", ""):
        return False
    return None


DRAFT_FIELDS = (
    "series",
    "specialty",
    "level",
    "evaluation_method",
    "exceptional_promotion",
    "entrusted_review",
    "self_statement",
    "main_achievements",
    "achievement_ids",
    "committee",
)


def _draft_text(errors: Errors, name: str, value: Any) -> str:
    text = str(value or "").strip()
    if "\x00" in text:  # PostgreSQL cannot store NUL; a pasted binary fragment is refused, not saved
        errors.add(name, _("内容含有不允许的空字符（\\0），请删除后重试。"))
        return text.replace("\x00", "")
    return text


def application_save_draft(*, actor: User, application: Application, data: dict[str, Any], request=None) -> Application:
    """Save any subset of the application's fields. Every given field is checked; if one is bad,
    none is saved and every problem is reported."""
    errors = Errors()
    changes: dict[str, Any] = {}
    achievements: list[Achievement] | None = None
    for name, value in data.items():
        if name not in DRAFT_FIELDS:
            continue
        if name in ("series", "level", "evaluation_method"):
            choices = dict(Application._meta.get_field(name).choices)
            if value not in choices:
                errors.add(name, _("“%(value)s”不是有效的选项。") % {"value": value})
            else:
                changes[name] = value
        elif name in ("exceptional_promotion", "entrusted_review"):
            flag = _as_bool(value)
            if flag is None:
                errors.add(name, _("请选择是或否。"))
            else:
                changes[name] = flag
        elif name == "specialty":
            text = _draft_text(errors, name, value)
            if len(text) > 60:
                errors.add(name, _("专业不能超过60个字符。"))
            changes[name] = text
        elif name == "self_statement":
            text = _draft_text(errors, name, value)
            if char_count(text) > SELF_STATEMENT_MAX:
                label = materials.text_labels(application)[name]
                errors.add(
                    name,
                    _("“%(label)s”限%(max)s字以内，现为%(count)s字。")
                    % {"label": label, "max": SELF_STATEMENT_MAX, "count": char_count(text)},
                )
            changes[name] = text
        elif name == "main_achievements":
            text = _draft_text(errors, name, value)
            if char_count(text) > MAIN_ACHIEVEMENTS_MAX:
                label = materials.text_labels(application)[name]
                errors.add(
                    name,
                    _("“%(label)s”不能超过%(max)s字，现为%(count)s字。")
                    % {"label": label, "max": MAIN_ACHIEVEMENTS_MAX, "count": char_count(text)},
                )
            changes[name] = text
        elif name == "achievement_ids":
            ids = value if isinstance(value, list | tuple) else [value]
            try:
                wanted = {int(v) for v in ids if str(v).strip()}
            except (TypeError, ValueError):
                errors.add(name, _("所选业绩无效。"))
                continue
            found = list(Achievement.objects.filter(person=actor, pk__in=wanted))
            if len(found) != len(wanted):
                errors.add(name, _("所选业绩不在您的业绩档案中。"))
            unapproved = [a.title for a in found if a.status != Achievement.Status.APPROVED]
            if unapproved:
                errors.add(
                    name, _("以下业绩尚未经单位审核通过，不能选用：%(titles)s。") % {"titles": _("、").join(unapproved)}
                )
            if any(
                rule.kind == filing.ACHIEVEMENT_DOCUMENT_NUMBER
                for rule in materials.applicable_filing_rules(
                    application, series=data.get("series") or None, level=data.get("level") or None
                )
            ):
                uncited = materials.achievements_without_document_number(found)
                if uncited:
                    errors.add(name, filing.document_number_problem(uncited))
            achievements = found
        elif name == "committee":
            changes[name] = _chosen_committee(errors, application, data, value)
    errors.raise_if_any()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not can_edit_application(actor, application):
            if application.applicant_id == actor.pk:
                raise ValidationError(
                    {"__all__": [_("申报已%(status)s，不能再修改。") % {"status": application.get_status_display()}]}
                )
            raise PermissionDenied
        for name, value in changes.items():
            setattr(application, name, value)
        application.save()
        if achievements is not None:
            application.achievements.set(achievements)
        audit(action="application_draft_saved", actor=actor, target=application, request=request, fields=sorted(data))
    return application


def _chosen_committee(errors: Errors, application: Application, data: dict[str, Any], value: Any):
    """The committee of a draft: empty, or one that accepts the (possibly just changed) series × level."""
    if value in (None, ""):
        return None
    try:
        wanted = int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        errors.add("committee", _("所选评审委员会无效。"))
        return None
    target = Application(
        tenant_id=application.tenant_id,
        unit_id=application.unit_id,
        series=data.get("series", application.series),
        level=data.get("level", application.level),
    )
    found = next((c for c in materials.committee_choices(target) if c.pk == wanted), None)
    if found is None:
        errors.add("committee", _("所选评审委员会不评审该系列、级别，请在列出的评审委员会中选择。"))
    return found


def application_upload(
    *, actor: User, application: Application, slot: str, upload: UploadedFile, request=None
) -> ApplicationFile:
    """Put a file into one slot of the materials checklist, checked against that slot's rules."""
    application = Application.objects.select_related("applicant", "unit").get(pk=application.pk)
    if application.applicant_id != actor.pk:
        raise PermissionDenied
    if not application.is_editable:
        raise ValidationError(
            {"__all__": [_("申报已%(status)s，不能再上传材料。") % {"status": application.get_status_display()}]}
        )
    found = materials.slot_by_id(application, slot)
    if found is None:
        raise ValidationError({"slot": [_("本次申报不需要该项材料。")]})
    checked, digest = check_slot_upload(upload, label=found.name, rules=found.rules)
    with transaction.atomic():
        attachment = _store_attachment(owner=actor, upload=upload, checked=checked, sha256=digest)
        item = ApplicationFile.objects.create(
            application=application, slot=slot, attachment=attachment, uploaded_by=actor
        )
        audit(action="application_file_uploaded", actor=actor, target=application, request=request, slot=slot)
        _request_exceptional_approval(actor=actor, item=item, request=request)
    return item


def application_file_remove(*, actor: User, item: ApplicationFile, request=None) -> None:
    application = item.application
    if application.applicant_id != actor.pk or item.supplied_by_unit:
        raise PermissionDenied
    if not application.is_editable:
        raise ValidationError(
            {"__all__": [_("申报已%(status)s，不能再删除材料。") % {"status": application.get_status_display()}]}
        )
    with transaction.atomic():
        audit(action="application_file_removed", actor=actor, target=application, request=request, slot=item.slot)
        item.delete()


@dataclass(frozen=True)
class PreCheck:
    eligible: bool
    earliest_eligible_on: date | None
    checks: list[dict[str, Any]]
    problem: str = ""
    ruleset_code: str = ""
    ruleset_version: int | None = None


def application_precheck(*, application: Application, at: datetime | None = None) -> PreCheck:
    """Run the rules engine on the applicant's saved record for this application."""
    as_of = (at or _now()).astimezone(CST).date()
    try:
        rule_set = get_rule_set(application.ruleset_code)
    except UnknownRuleSetError:
        return PreCheck(False, None, [], problem=_("该申报所依据的规则集不存在，请联系人社部门。"))
    profile = materials.build_profile(application, as_of)
    try:
        decision = evaluate(rule_set, profile, as_of)
    except ProfileError as error:
        return PreCheck(
            False,
            None,
            [],
            problem=_("个人信息有误：%(error)s") % {"error": error},
            ruleset_code=rule_set.code,
            ruleset_version=rule_set.version,
        )
    result = decision.as_dict()
    return PreCheck(
        eligible=decision.eligible,
        earliest_eligible_on=decision.earliest_eligible_on,
        checks=result["checks"],
        ruleset_code=rule_set.code,
        ruleset_version=rule_set.version,
    )


def pledge_sign(
    *, actor: User, application: Application, typed_name: str, agreed: bool, ip: str | None = None, request=None
) -> Pledge:
    errors = Errors()
    if not agreed:
        errors.add("agreed", _("请勾选“本人已阅读并承诺”。"))
    if (typed_name or "").strip() != actor.full_name:
        errors.add("typed_name", _("请输入您的姓名“%(name)s”作为签名。") % {"name": actor.full_name})
    errors.raise_if_any()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not can_edit_application(actor, application):
            raise PermissionDenied
        pledge, _created = Pledge.objects.update_or_create(
            application=application,
            defaults={
                "typed_name": typed_name.strip(),
                "agreed": True,
                "signed_at": timezone.now(),
                "ip": ip or (request.META.get("REMOTE_ADDR") if request else None),
                "text_version": PLEDGE_VERSION,
            },
        )
        audit(action="pledge_signed", actor=actor, target=application, request=request, version=PLEDGE_VERSION)
    return pledge


def _cn_time(value: str | None) -> str:
    if not value:
        return ""
    return reader_moment(datetime.fromisoformat(value))


def restriction_message(restriction) -> str:
    values = {
        "reason": restriction.reason,
        "kind": restriction.get_kind_display(),
        "until": _cn_date(restriction.ends_on),
    }
    if restriction.person_id:
        return _("您暂不能申报：%(reason)s（%(kind)s），%(until)s之后可再申报。") % values
    return _("您所在单位暂不能申报：%(reason)s（%(kind)s），%(until)s之后可再申报。") % values


def _cn_date(day: date) -> str:
    return reader_date(day) if day else ""


def submission_blockers(
    application: Application, at: datetime, status: dict[str, Any] | None = None
) -> tuple[list[str], PreCheck]:
    """Everything that stops this application being submitted at ``at``, each said exactly.

    ``status`` is the tenant's window status at ``at`` when the caller already has it."""
    blockers: list[str] = []
    restriction = filing_restriction_for(application.applicant, at.astimezone(CST).date())
    if restriction is not None:
        blockers.append(restriction_message(restriction))
    if status is None:
        status = current_window(application.tenant.code, at)
    window = status.get("window")
    if application.status == Application.Status.RETURNED:
        # A return is fixed and resubmitted until the window's return deadline, even after
        # submitting has closed (003 四; 001 二(三)); a first submission needs submitting open.
        late = _resubmission_blocker(application, at)
        if late:
            blockers.append(late)
    elif not status["submit_open"]:
        if window and datetime.fromisoformat(window["opens_at"]) > at:
            blockers.append(
                _("当前不在申报时间内：下一批次“%(window)s”于%(opens)s开始申报。")
                % {"window": window["name"], "opens": _cn_time(window["opens_at"])}
            )
        elif window:
            blockers.append(
                _("当前不在申报时间内：“%(window)s”已于%(closes)s截止申报。")
                % {"window": window["name"], "closes": _cn_time(window["submit_closes_at"])}
            )
        else:
            blockers.append(_("当前不在申报时间内：本地区尚未公布下一申报批次。"))
    if application.status != Application.Status.RETURNED:
        existing = live_application_in_window(application.applicant, window, exclude=application)
        if existing is not None:
            blockers.append(duplicate_message(existing))
    precheck = application_precheck(application=application, at=at)
    slots, texts = materials.checklist(application)
    filled = set(application.files.values_list("slot", flat=True))
    exceptional_approved = application.exceptional_promotion and materials.exceptional_approved(application)
    if precheck.problem:
        blockers.append(precheck.problem)
    elif not precheck.eligible and not exceptional_approved:
        failing = [plain_message(c["message"]) for c in precheck.checks if c["passed"] is False]
        blockers.append(_("申报条件预审未通过：%(checks)s") % {"checks": _("；").join(failing)})
    for slot in slots:
        if slot.required and slot.id not in filled:
            blockers.append(_("缺少材料：%(name)s。") % {"name": slot.name})
    if application.exceptional_promotion and materials.EXCEPTIONAL_FORM in filled and not exceptional_approved:
        blockers.append(exceptional_blocker(application))
    if char_count(application.self_statement) > SELF_STATEMENT_MAX:
        label = materials.text_labels(application, texts)["self_statement"]
        blockers.append(
            _("“%(label)s”限%(max)s字以内，现为%(count)s字。")
            % {"label": label, "max": SELF_STATEMENT_MAX, "count": char_count(application.self_statement)}
        )
    for text in texts:
        count = char_count(getattr(application, text.field))
        if count == 0:
            blockers.append(_("请填写“%(name)s”。") % {"name": text.name})
        elif text.min_chars and count < text.min_chars:
            blockers.append(
                _("“%(name)s”须不少于%(min)s字，现为%(count)s字。")
                % {"name": text.name, "min": text.min_chars, "count": count}
            )
        elif text.max_chars and count > text.max_chars:
            blockers.append(
                _("“%(label)s”限%(max)s字以内，现为%(count)s字。")
                % {"label": text.name, "max": text.max_chars, "count": count}
            )
    unapproved = [a.title for a in application.achievements.all() if a.status != Achievement.Status.APPROVED]
    if unapproved:
        blockers.append(_("以下选用业绩尚未经单位审核通过：%(titles)s。") % {"titles": _("、").join(unapproved)})
    # The rule set's filing requirements (001 二(五)2 现从事专业 = 申报专业; 二(五)6 业绩注明文号).
    blockers.extend(materials.filing_problems(application))
    committee_problem = _committee_blocker(application)
    if committee_problem:
        blockers.append(committee_problem)
    pledge = Pledge.objects.filter(application=application, agreed=True).first()
    if pledge is None:
        blockers.append(_("请先签署诚信承诺书。"))
    return blockers, precheck


# Stored as the closed application's reason (Chinese, as all stored text).
OVERDUE_RETURN_REASON = gettext_noop("逾期未补正，视为不具备申报资格")  # translated when shown (status.html)


def _window_from(data: dict[str, Any]) -> Window:
    def parse(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return Window(
        name=data["name"],
        opens_at=datetime.fromisoformat(data["opens_at"]),
        submit_closes_at=datetime.fromisoformat(data["submit_closes_at"]),
        return_closes_at=parse(data.get("return_closes_at")),
        review_closes_at=parse(data.get("review_closes_at")),
    )


def _last_deadline(window: dict[str, Any]) -> datetime:
    keys = ("submit_closes_at", "return_closes_at", "review_closes_at")
    return max(datetime.fromisoformat(window[key]) for key in keys if window.get(key))


def _window_at(tenant_code: str, instant: datetime) -> dict[str, Any] | None:
    return current_window(tenant_code, instant).get("window")


def return_window(
    application: Application, *, returned_at: datetime | None, lookup=_window_at
) -> dict[str, Any] | None:
    """The window whose return deadline binds a returned application: the one it was filed in
    (``window_opens_at``), unless it was returned after that window had ended, then the window
    current when it was returned (a reviewer returns only while a window's returns are open)."""
    filed_at = application.window_opens_at or application.submitted_at
    code = application.tenant.code
    filed = lookup(code, filed_at) if filed_at else None
    if returned_at is None:
        return filed
    if filed and datetime.fromisoformat(filed["opens_at"]) <= returned_at <= _last_deadline(filed):
        return filed
    return lookup(code, returned_at)


def return_deadline(window: dict[str, Any]) -> datetime:
    """Until when a return may be fixed: the window's ``return_closes_at``; a window that sets
    none follows its submitting deadline (``rules.windows``: returns_open follows submit_open)."""
    return datetime.fromisoformat(window.get("return_closes_at") or window["submit_closes_at"])


def last_returned_at(application: Application) -> datetime | None:
    """When the review chain last returned the application for revision."""
    return application.review_transitions.filter(kind="return").aggregate(at=models.Max("created_at"))["at"]


def _returns_open(application: Application, at: datetime) -> tuple[bool, dict | None]:
    """Whether the returned application may still be resubmitted at ``at``: ``returns_open`` of its
    binding window, as ``rules.windows.window_status`` answers it (inclusive to the second)."""
    window = return_window(application, returned_at=last_returned_at(application))
    if window is None:
        return False, None
    status = window_status(application.tenant.code, at, windows=[_window_from(window)])
    return bool(status["returns_open"]), window


def resubmission_deadline(application: Application) -> datetime | None:
    """Until when a returned application may be fixed and submitted again (None if not returned)."""
    if application.status != Application.Status.RETURNED:
        return None
    window = return_window(application, returned_at=last_returned_at(application))
    return return_deadline(window) if window else None


def _resubmission_blocker(application: Application, at: datetime) -> str:
    open_, window = _returns_open(application, at)
    if open_:
        return ""
    if window is None:
        return _("已过退回修改截止时间，不能再次提交：逾期未补正，视为不具备申报资格。")
    deadline = return_deadline(window).astimezone(CST).isoformat()
    return _(
        "已过退回修改截止时间：“%(window)s”的退回修改已于%(deadline)s截止，不能再次提交；逾期未补正，视为不具备申报资格。"
    ) % {"window": window["name"], "deadline": _cn_time(deadline)}


def close_overdue_returns(*, at: datetime) -> list[Application]:
    """Close every returned application whose binding window's return deadline has passed at ``at``
    without a fixed resubmission: 逾期未补正，视为不具备申报资格 (003 四; 001 二(四)
    “逾期未补充完整的，视为放弃申报”). Deadlines are inclusive to the second.

    Idempotent: a closed application is no longer returned, so a second sweep finds nothing.
    Each application is locked and re-read first, so a resubmission that got in first wins."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=CST)
    instant = at.replace(microsecond=0)
    windows: dict[tuple[str, datetime], dict | None] = {}

    def lookup(code: str, moment: datetime) -> dict | None:  # one query per tenant and window
        if (code, moment) not in windows:
            windows[code, moment] = _window_at(code, moment)
        return windows[code, moment]

    returned = (
        Application.objects.filter(status=Application.Status.RETURNED)
        .select_related("tenant")
        .only("id", "window_opens_at", "submitted_at", "tenant__code")
        .annotate(
            returned_at=models.Max("review_transitions__created_at", filter=models.Q(review_transitions__kind="return"))
        )
        .order_by("id")
    )
    closed: list[Application] = []
    for application in returned:
        window = return_window(application, returned_at=application.returned_at, lookup=lookup)
        if window is None or instant <= return_deadline(window):
            continue
        with transaction.atomic():
            locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
            if locked.status != Application.Status.RETURNED:
                continue
            locked.status = Application.Status.CLOSED
            locked.closed_at = at
            locked.closed_reason = OVERDUE_RETURN_REASON
            locked.save(update_fields=["status", "closed_at", "closed_reason", "updated_at"])
            audit(
                action="application_closed_overdue_return",
                target=locked,
                reason=OVERDUE_RETURN_REASON,
                window=window["name"],
                return_closes_at=return_deadline(window).isoformat(),
            )
        closed.append(locked)
    return closed


def _committee_blocker(application: Application) -> str:
    """Committee review needs a committee that accepts the series × level (004 三 3). With one
    such committee it is taken without asking (see ``application_submit``); with none, the bureau
    arranges entrusted review (001 四), which the entrustment-letter slot covers."""
    if application.evaluation_method != Application.EvaluationMethod.COMMITTEE_REVIEW or application.entrusted_review:
        return ""
    choices = materials.committee_choices(application)
    if application.committee_id is not None:
        if all(c.pk != application.committee_id for c in choices):
            return _("所选评审委员会不评审该系列、级别，请重新选择评审委员会。")
        return ""
    if len(choices) > 1:
        return _("请选择评审委员会（%(names)s）。") % {"names": _("、").join(c.name for c in choices)}
    return ""


# The applicant's record lists as the snapshot stores them, with their scans.
RECORD_LISTS = (
    "education_entries__diploma",
    "work_periods",
    "titles_held__appointment_letter",
    "annual_assessments",
    "continuing_education",
    "skill_qualifications__certificate",
    "sanctions",
    "absences",
)


def _snapshot(application: Application, precheck: PreCheck, at: datetime) -> dict[str, Any]:
    person = application.applicant
    record = PersonalRecord.objects.filter(person=person).first()

    def rows(queryset, fields, files=()):  # the lists come prefetched (RECORD_LISTS)
        out = []
        for item in queryset:
            row = {f: _plain(getattr(item, f)) for f in fields}
            for f in files:
                attachment = getattr(item, f)
                row[f] = attachment.metadata() if attachment else None
            out.append(row)
        return out

    pledge = application.pledge
    return {
        "application": {
            "id": application.pk,
            "tenant": application.tenant.code,
            "unit": {"id": application.unit_id, "name": application.unit.name},
            "applicant": {"id": person.pk, "name": person.full_name, "id_number_masked": person.id_number_masked},
            "window_name": application.window_name,
            "series": application.series,
            "specialty": application.specialty,
            "level": application.level,
            "evaluation_method": application.evaluation_method,
            "committee": {"id": application.committee_id, "name": application.committee.name}
            if application.committee_id
            else None,
            "exceptional_promotion": application.exceptional_promotion,
            "entrusted_review": application.entrusted_review,
            "self_statement": application.self_statement,
            "main_achievements": application.main_achievements,
            "ruleset": {"code": precheck.ruleset_code, "version": precheck.ruleset_version},
        },
        "record": {
            "basics": {f: _plain(getattr(record, f)) for f in RECORD_FIELDS} if record else None,
            "education": rows(
                person.education_entries.all(),
                ("level", "school", "major", "graduated_on", "full_time", "major_related", "degree_certificate"),
                ("diploma",),
            ),
            "work": rows(person.work_periods.all(), ("start", "end", "employer", "post", "professional")),
            "titles": rows(
                person.titles_held.all(),
                ("series", "level", "name", "obtained_on", "appointed_on"),
                ("appointment_letter",),
            ),
            "assessments": rows(person.annual_assessments.all(), ("year", "grade")),
            "continuing_education": rows(person.continuing_education.all(), ("year", "hours")),
            "skills": rows(
                person.skill_qualifications.all(),
                ("level", "occupation", "obtained_on"),
                ("certificate",),
            ),
            "sanctions": rows(person.sanctions.all(), ("kind", "start", "end", "note")),
            "absences": rows(person.absences.all(), ("kind", "start", "end")),
        },
        "achievements": rows(
            application.achievements.select_related("proof"),
            ("id", "kind", "title", "achieved_on", "role", "description", "status"),
            ("proof",),
        ),
        "files": [
            {
                "slot": item.slot,
                **item.attachment.metadata(),
                "reused_from": item.reused_from,
                "supplied_by_unit": item.supplied_by_unit,
            }
            for item in application.files.select_related("attachment").order_by("slot", "id")
        ],
        "exceptional_promotion_approval": _approval_snapshot(application),
        "pledge": {
            "typed_name": pledge.typed_name,
            "signed_at": pledge.signed_at.isoformat(),
            "ip": pledge.ip,
            "text_version": pledge.text_version,
        },
        "precheck": {
            "eligible": precheck.eligible,
            "earliest_eligible_on": _plain(precheck.earliest_eligible_on),
            "checks": precheck.checks,
        },
        "submitted_at": at.isoformat(),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return float(value)
    return value


def content_hash(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def application_submit(
    *, actor: User, application: Application, at: datetime | None = None, request=None
) -> Submission:
    """Submit the application and freeze what was submitted.

    Idempotent: the row is locked first, so a double click or a second tab finds the application
    already submitted and gets the same submission back instead of a second one.
    """
    at = at or _now()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("tenant", "unit", "applicant")
            .get(pk=application.pk)
        )
        if locked.applicant_id != actor.pk:
            raise PermissionDenied
        if locked.status == Application.Status.SUBMITTED:
            return locked.submissions.order_by("-revision").first()
        if not locked.is_editable:
            raise ValidationError(
                {"__all__": [_("申报当前状态为“%(status)s”，不能提交。") % {"status": locked.get_status_display()}]}
            )
        if (
            locked.evaluation_method == Application.EvaluationMethod.COMMITTEE_REVIEW
            and locked.committee_id is None
            and not locked.entrusted_review
        ):
            only = materials.committee_choices(locked)
            if len(only) == 1:  # the one committee that accepts this series × level
                locked.committee = only[0]
                locked.save(update_fields=["committee", "updated_at"])
        # The record is read once, for the pre-check and the snapshot alike.
        prefetch_related_objects([locked.applicant], *RECORD_LISTS)
        status = current_window(locked.tenant.code, at)
        blockers, precheck = submission_blockers(locked, at, status)
        if blockers:
            raise ValidationError({"__all__": blockers})
        # A resubmission stays in the window it was filed in, even when another one is open now.
        window = (status.get("window") or {}) if locked.status == Application.Status.DRAFT else {}
        locked.window_name = window.get("name") or locked.window_name
        if window.get("opens_at"):
            # With the name, the opening instant identifies the window (a recurring one has no row).
            locked.window_opens_at = datetime.fromisoformat(window["opens_at"])
        locked.ruleset_code = precheck.ruleset_code
        locked.ruleset_version = precheck.ruleset_version
        locked.status = Application.Status.SUBMITTED
        locked.submitted_at = at
        locked.save(
            update_fields=[
                "window_name",
                "window_opens_at",
                "ruleset_code",
                "ruleset_version",
                "status",
                "submitted_at",
                "updated_at",
            ]
        )
        snapshot = _snapshot(locked, precheck, at)
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    application=locked,
                    revision=locked.submissions.count() + 1,
                    snapshot=snapshot,
                    content_hash=content_hash(snapshot),
                    submitted_by=actor,
                    submitted_at=at,
                )
        except IntegrityError:
            # Only reachable where the database cannot lock rows (SQLite serialises writers
            # instead); the unique revision keeps it to one submission all the same.
            return locked.submissions.order_by("-revision").first()
        audit(
            action="application_submitted",
            actor=actor,
            target=locked,
            request=request,
            revision=submission.revision,
            content_hash=submission.content_hash,
        )
        application_submitted.send(sender=Application, application=locked, submission=submission)
    application.refresh_from_db()
    return submission


def eligibility_preview(*, actor: User, series: str, level: str, at: datetime | None = None) -> PreCheck:
    """ "Can I apply?": the pre-check of the saved record for a title, without starting a draft."""
    _require_filer(actor)
    errors = Errors()
    if series not in dict(Application._meta.get_field("series").choices):
        errors.add("series", _("请选择职称系列。"))
    if level not in dict(Application._meta.get_field("level").choices):
        errors.add("level", _("请选择申报级别。"))
    errors.raise_if_any()
    code = materials.rule_set_code_for_tenant(actor.tenant.code)
    if code is None:
        return PreCheck(False, None, [], problem=_("本地区尚未发布职称申报规则，暂不能申报。"))
    # An unsaved application carries the target; nothing is written.
    target = Application(
        applicant=actor,
        tenant_id=actor.tenant_id,
        unit_id=actor.organisation_id,
        series=series,
        level=level,
        ruleset_code=code,
    )
    return application_precheck(application=target, at=at)


# --- Record scans reused in application slots ----------------------------------------------------


def application_attach_record_scan(
    *, actor: User, application: Application, slot: str, entry: models.Model, request=None
) -> ApplicationFile:
    """Put the scan of a personal-record entry (diploma, appointment letter…) into a slot instead of
    uploading it again. The slot refers to the stored attachment (never changed once stored), so
    the submission snapshot freezes it like any upload. ``entry`` comes from the actor's own record
    (``selectors.get_record_entry_for_user``); anyone else's is refused."""
    application = Application.objects.select_related("applicant", "unit").get(pk=application.pk)
    if application.applicant_id != actor.pk or getattr(entry, "person_id", None) != actor.pk:
        raise PermissionDenied
    if not application.is_editable:
        raise ValidationError(
            {"__all__": [_("申报已%(status)s，不能再添加材料。") % {"status": application.get_status_display()}]}
        )
    found = materials.slot_by_id(application, slot)
    if found is None:
        raise ValidationError({"slot": [_("本次申报不需要该项材料。")]})
    kind = next((k for k, model in RECORD_KINDS.items() if isinstance(entry, model)), None)
    if kind is None or materials.RECORD_SCAN_SLOTS.get(slot) != kind or kind not in PROOF_FIELDS:
        raise ValidationError({"slot": [_("“%(name)s”不能选用该项个人档案的扫描件。") % {"name": found.name}]})
    attachment = getattr(entry, PROOF_FIELDS[kind][0])
    if attachment is None:
        raise ValidationError({"slot": [_("该项个人档案尚未上传扫描件。")]})
    if found.rules != DEFAULT_RULES:
        raise ValidationError({"slot": [_("“%(name)s”有专门的格式要求，请直接上传。") % {"name": found.name}]})
    reference = f"{kind}:{entry.pk}"
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=application.pk)
        if ApplicationFile.objects.filter(application=application, slot=slot, attachment=attachment).exists():
            raise ValidationError(
                {"slot": [_("“%(file)s”已在“%(name)s”中。") % {"file": attachment.original_name, "name": found.name}]}
            )
        item = ApplicationFile.objects.create(
            application=application, slot=slot, attachment=attachment, reused_from=reference, uploaded_by=actor
        )
        audit(
            action="application_record_scan_reused",
            actor=actor,
            target=application,
            request=request,
            slot=slot,
            reused_from=reference,
        )
    return item


# --- Exceptional promotion (破格) approval ------------------------------------------------------


def _request_exceptional_approval(*, actor: User, item: ApplicationFile, request=None) -> None:
    """A 破格 form put into its slot goes to the city bureau's queue (inside the caller's transaction)."""
    from applications.models import ExceptionalPromotionApproval

    if item.slot != materials.EXCEPTIONAL_FORM:
        return
    approval = ExceptionalPromotionApproval.objects.create(
        application=item.application, file=item, attachment=item.attachment
    )
    audit(action="exceptional_promotion_approval_requested", actor=actor, target=approval, request=request)


def exceptional_blocker(application: Application) -> str:
    from applications.models import ExceptionalPromotionApproval

    latest = materials.exceptional_approvals(application).first()
    if latest is not None and latest.status == ExceptionalPromotionApproval.Status.REFUSED:
        return _(
            "破格申报未获市人社局批准（意见：%(reason)s），"
            "请按意见重新上传《破格推荐专业技术职务任职资格审批表》，批准后才能提交。"
        ) % {"reason": latest.reason}
    return _("破格申报须经市人社局审批：《破格推荐专业技术职务任职资格审批表》已上传，正在等待审批，批准后才能提交。")


def _approval_snapshot(application: Application) -> dict[str, Any] | None:
    if not application.exceptional_promotion:
        return None
    approval = materials.exceptional_approvals(application).filter(status="approved").first()
    if approval is None:
        return None
    return {
        "status": approval.status,
        "attachment": approval.attachment_id,
        "decided_by": approval.decided_by.full_name if approval.decided_by else "",
        "decided_at": _plain(approval.decided_at),
        "reason": approval.reason,
    }


def exceptional_requirements(tenant) -> dict[str, Any]:
    """The tenant's own 破格 requirements (setting ``exceptional_promotion``; {} for none)."""
    from units.tenant_settings import setting

    return setting(tenant, "exceptional_promotion") or {}


def exceptional_requirement_problems(approval) -> list[str]:
    """What the tenant's 破格 requirements still miss before the form may be approved: the 优秀 annual
    assessments it asks for (002 第三篇 一(五)4 “需提供两个考核为优秀的考核表”) and what other apps check
    (the expert appraisal commissioned by the 职改办, provided by review)."""
    from applications import hooks
    from applications.models import AnnualAssessment

    application = approval.application
    problems: list[str] = []
    wanted = int(exceptional_requirements(application.tenant).get("excellent_assessments") or 0)
    if wanted:
        years = list(
            AnnualAssessment.objects.filter(person_id=application.applicant_id, grade="excellent")
            .order_by("year")
            .values_list("year", flat=True)
        )
        if len(years) < wanted:
            if years:
                listed = _("、").join(_("%(year)s年度") % {"year": y} for y in years)
                have = _("现有%(count)s个（%(years)s）") % {"count": len(years), "years": listed}
            else:
                have = _("现在没有")
            problems.append(
                _(
                    "破格申报须提供%(wanted)s个考核为“优秀”的年度考核表：申报人的年度考核中“优秀”%(have)s，至少须有%(wanted)s个。"
                )
                % {"wanted": wanted, "have": have}
            )
    return problems + hooks.exceptional_approval_problems(approval)


def exceptional_approval_decide(*, actor: User, approval, approve: bool, reason: str = "", request=None):
    """The tenant's 市人社局 approves an uploaded 破格 form, or refuses it with the reasons (audited)."""
    from applications.models import ExceptionalPromotionApproval
    from applications.permissions import can_decide_exceptional

    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": [_("不批准时须写明理由。")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("审批意见不能超过500字，现为%(count)s字。") % {"count": len(reason)}]})
    with transaction.atomic():
        approval = (
            ExceptionalPromotionApproval.objects.select_for_update(of=("self",))
            .select_related("application")
            .get(pk=approval.pk)
        )
        if not can_decide_exceptional(actor, approval):
            raise PermissionDenied
        if approval.status != ExceptionalPromotionApproval.Status.PENDING:
            raise ValidationError(
                {
                    "__all__": [
                        _("该审批表已审批（%(status)s），不能重复审批。") % {"status": approval.get_status_display()}
                    ]
                }
            )
        if approval.file_id is None:
            raise ValidationError({"__all__": [_("申报人已删除该审批表，无需再审批。")]})
        if approve:
            problems = exceptional_requirement_problems(approval)
            if problems:
                raise ValidationError({"__all__": problems})
        approval.status = (
            ExceptionalPromotionApproval.Status.APPROVED if approve else ExceptionalPromotionApproval.Status.REFUSED
        )
        approval.reason = reason
        approval.decided_by = actor
        approval.decided_at = timezone.now()
        approval.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        audit(
            action="exceptional_promotion_approved" if approve else "exceptional_promotion_refused",
            actor=actor,
            target=approval,
            request=request,
            application=approval.application_id,
            reason=reason,
        )
    return approval


# --- Materials the unit supplies ----------------------------------------------------------------


def unit_material_upload(
    *, actor: User, application: Application, slot: str, upload: UploadedFile, request=None
) -> ApplicationFile:
    """The applicant's unit uploads one of the materials it supplies (000 八(二)), with the same
    content checks as the applicant's uploads."""
    from applications.permissions import can_supply_unit_materials

    application = Application.objects.select_related("applicant", "unit", "tenant").get(pk=application.pk)
    if not can_supply_unit_materials(actor, application):
        raise PermissionDenied
    item = next((i for i in materials.unit_items(application) if i.id == slot and i.uploadable), None)
    if item is None:
        raise ValidationError({"slot": [_("本次申报不需要单位提供该项材料。")]})
    checked, digest = check_slot_upload(upload, label=item.name, rules=DEFAULT_RULES)
    with transaction.atomic():
        attachment = _store_attachment(owner=actor, upload=upload, checked=checked, sha256=digest)
        stored = ApplicationFile.objects.create(
            application=application, slot=slot, attachment=attachment, supplied_by_unit=True, uploaded_by=actor
        )
        audit(action="unit_material_uploaded", actor=actor, target=application, request=request, slot=slot)
    return stored


def unit_material_remove(*, actor: User, item: ApplicationFile, request=None) -> None:
    from applications.permissions import can_supply_unit_materials

    if not item.supplied_by_unit or not can_supply_unit_materials(actor, item.application):
        raise PermissionDenied
    with transaction.atomic():
        audit(action="unit_material_removed", actor=actor, target=item.application, request=request, slot=item.slot)
        item.delete()


unit_materials_missing = materials.unit_materials_missing
unit_approval_blocker = materials.unit_approval_blocker


def unit_roster_file(
    *, actor: User, window_name: str, upload: UploadedFile, at: datetime | None = None, request=None
) -> UnitRosterFiling:
    """The unit files its 推荐人员名单 (附件3) for a window by the window's cut-off
    (``roster_closes_at``, 003 三(一)3); a later filing before the cut-off replaces the earlier one."""
    from accounts.models import UNIT_ROLES
    from applications.selectors import _cn_moment
    from rules.windows import roster_deadline

    if actor.role not in UNIT_ROLES or actor.organisation_id is None or actor.tenant_id is None:
        raise PermissionDenied
    at = at or _now()
    deadline = roster_deadline(actor.tenant.code, window_name)
    if deadline is None:
        raise ValidationError(
            {"window_name": [_("申报批次“%(window)s”不要求报送推荐人员名单。") % {"window": window_name}]}
        )
    if at > deadline:
        raise ValidationError(
            {
                "file": [
                    _(
                        "“%(window)s”的推荐人员名单（附件3）须在%(deadline)s前报送，已截止，不能再报送；"
                        "未按时报送的单位，本批次的申报不予网络审核。"
                    )
                    % {"window": window_name, "deadline": _cn_moment(deadline)}
                ]
            }
        )
    checked, digest = check_slot_upload(upload, label=_("推荐人员名单"), rules=DEFAULT_RULES)
    with transaction.atomic():
        attachment = _store_attachment(owner=actor, upload=upload, checked=checked, sha256=digest)
        filing = UnitRosterFiling.objects.create(
            tenant_id=actor.tenant_id,
            unit_id=actor.organisation_id,
            window_name=window_name,
            attachment=attachment,
            filed_by=actor,
            filed_at=at,
        )
        audit(action="unit_roster_filed", actor=actor, target=filing, request=request, window=window_name[:120])
    return filing
