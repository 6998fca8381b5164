"""Writes to rule sets. A published version is never changed: a revision is a new draft
version, edited until it is published, and publishing freezes it. Publishing runs the version's
test bench first (``rules.bench``): a version with a failing case is refused, naming the cases."""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.audit import audit
from rules.bench import BenchResult, cases_of, run_bench
from rules.diff import change_lines, compare_documents
from rules.engine.ruleset import RuleSetError, content_hash
from rules.labels import explain_error
from rules.models import CalendarOverride, PolicyDocument, RuleSet
from rules.permissions import can_edit_rulesets, may_use_tenant
from rules.validation import RuleSetDocumentError, validate_rule_set_document

POLICY_MAX_BYTES = 30 * 1024 * 1024
# The validator's "missing field" reason, in Chinese or in the English of the catalogue.
_MISSING_FIELD = re.compile(r"^(?:缺少必填字段|Required field )“([A-Za-z_][A-Za-z0-9_]*)”")
POLICY_MAX_PAGES = 500


class DocumentRefused(ValidationError):
    """A rule-set document the validator refuses: ``path`` (JSON path), ``reason`` (Chinese) and
    ``explained`` (where, in words and as the path, and why) for the page that shows it."""

    def __init__(self, error: RuleSetDocumentError, document: Any) -> None:
        super().__init__(f"{error.path}: {error.message}", code="invalid_document")
        self.path = error.path
        self.reason = error.message
        # A missing field is named where it belongs, not at the object that lacks it.
        missing = _MISSING_FIELD.match(error.message)
        self.field_path = (
            (f"{error.path}.{missing.group(1)}" if error.path != "$" else missing.group(1)) if missing else error.path
        )
        self.explained = explain_error(document, self.field_path, error.message)


class BenchFailed(ValidationError):
    """Publishing refused: the bench of the version has failing cases (``result.failed``)."""

    def __init__(self, result: BenchResult) -> None:
        super().__init__(result.refusal(), code="bench_failed")
        self.result = result


def _check_actor(actor: Any, tenant_code: str) -> None:
    if actor is not None and not (can_edit_rulesets(actor) and may_use_tenant(actor, tenant_code)):
        raise PermissionDenied


def _validated(document: dict[str, Any]) -> None:
    try:
        validate_rule_set_document(document)
    except RuleSetDocumentError as exc:
        raise DocumentRefused(exc, document) from exc
    except RuleSetError as exc:  # pragma: no cover - the validator wraps every engine refusal
        raise ValidationError(str(exc)) from exc


def _row_fields(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": document["name"],
        "source_document": document["source_document"],
        "document_number": document.get("document_number", ""),
        "effective_from": document.get("effective_from"),
        "effective_to": document.get("effective_to"),
    }


def _new_version(*, code: str, tenant_code: str, data: dict[str, Any]) -> RuleSet:
    """The next draft version of ``code`` (the family is locked so two editors cannot take the
    same number). Validates ``data`` first."""
    list(RuleSet.objects.select_for_update().filter(code=code).values_list("pk", flat=True))
    version = (RuleSet.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0) + 1
    document = copy.deepcopy(data)
    document.update(code=code, version=version, tenant_code=tenant_code)
    _validated(document)
    return RuleSet.objects.create(
        code=code,
        tenant_code=tenant_code,
        version=version,
        status=RuleSet.Status.DRAFT,
        data=document,
        content_hash=content_hash(document),
        **_row_fields(document),
    )


def ruleset_revise(*, rule_set: RuleSet, data: dict[str, Any], actor: Any) -> RuleSet:
    """Create the next draft version of ``rule_set.code`` with ``data``."""
    _check_actor(actor, rule_set.tenant_code)
    with transaction.atomic():
        revised = _new_version(code=rule_set.code, tenant_code=rule_set.tenant_code, data=data)
        audit(action="ruleset_revised", actor=actor, target=revised, code=revised.code, version=revised.version)
    return revised


def open_draft(code: str) -> RuleSet | None:
    return RuleSet.objects.filter(code=code, status=RuleSet.Status.DRAFT).order_by("-version").first()


def ruleset_start_draft(
    *, rule_set: RuleSet, actor: Any, data: dict[str, Any] | None = None, request=None
) -> RuleSet:
    """A new draft version of ``rule_set``'s family: a copy of ``rule_set`` (the version in force,
    usually), or ``data`` (an imported file). The draft keeps the cases ``rule_set`` is tested with
    unless the file brings its own, and the policy documents attached to ``rule_set``. One draft
    per rule set at a time, so that two people do not edit two copies."""
    _check_actor(actor, rule_set.tenant_code)
    imported = data is not None
    document = copy.deepcopy(data if imported else rule_set.data)
    if "cases" not in document:
        document["cases"] = cases_of(rule_set.data, rule_set.content_hash)
    if imported:
        for key in ("code", "tenant_code"):
            if key in document and document[key] != getattr(rule_set, key):
                refused = RuleSetDocumentError(
                    key, gettext("文件写的是“%(file)s”，与本规则集“%(ours)s”不一致") % {
                        "file": document[key], "ours": getattr(rule_set, key)}, (key,)
                )
                raise DocumentRefused(refused, document)
    with transaction.atomic():
        existing = open_draft(rule_set.code)
        if existing is not None:
            raise ValidationError(
                gettext("已有未发布的草稿（第%(version)s版），请先修改并发布它，或删除后再新建。") % {
                    "version": existing.version}, code="draft_exists"
            )
        draft = _new_version(code=rule_set.code, tenant_code=rule_set.tenant_code, data=document)
        draft.documents.set(rule_set.documents.all())
        detail: dict[str, Any] = {"code": draft.code, "version": draft.version, "from_version": rule_set.version}
        if imported:
            detail["imported"] = True
            with translation.override("zh-hans"):  # the audit log is written in Chinese
                detail["changes"] = change_lines(compare_documents(rule_set.data, draft.data))
        audit(action="ruleset_draft_started", actor=actor, target=draft, request=request, **detail)
    return draft


def ruleset_import(*, actor: Any, tenant_code: str, data: Any, request=None) -> RuleSet:
    """A rule-set file brought in by a tenant admin: the next draft of the tenant's rule set with
    that code, or the first version of a new one."""
    _check_actor(actor, tenant_code)
    if not isinstance(data, dict):
        raise DocumentRefused(RuleSetDocumentError("$", gettext("规则集须为 JSON 对象")), data)
    code = data.get("code")
    if not isinstance(code, str) or not code:
        raise DocumentRefused(RuleSetDocumentError("$", gettext("缺少必填字段“%(field)s”") % {"field": "code"}), data)
    family = RuleSet.objects.filter(code=code).order_by("-version").first()
    if family is not None:
        if family.tenant_code != tenant_code:
            taken = RuleSetDocumentError("code", gettext("规则集代码“%(code)s”已被使用，请换一个") % {"code": code},
                                         ("code",))
            raise DocumentRefused(taken, data)
        base = (
            RuleSet.objects.filter(code=code, status=RuleSet.Status.PUBLISHED).order_by("-version").first() or family
        )
        return ruleset_start_draft(rule_set=base, actor=actor, data=data, request=request)
    if data.get("tenant_code", tenant_code) != tenant_code:
        refused = RuleSetDocumentError(
            "tenant_code", gettext("文件写的是“%(file)s”，不是本地区") % {"file": data["tenant_code"]}, ("tenant_code",)
        )
        raise DocumentRefused(refused, data)
    with transaction.atomic():
        draft = _new_version(code=code, tenant_code=tenant_code, data=data)
        audit(action="ruleset_draft_started", actor=actor, target=draft, request=request, code=code,
              version=draft.version, imported=True)
    return draft


def _locked_draft(rule_set: RuleSet) -> RuleSet:
    locked = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if locked.status != RuleSet.Status.DRAFT:
        raise ValidationError(gettext("已发布的版本不可修改，请以它为基础新建草稿。"), code="published")
    return locked


def ruleset_update_draft(
    *, rule_set: RuleSet, data: dict[str, Any], actor: Any, request=None, note: str = ""
) -> RuleSet:
    """Replace the document of a draft with ``data`` (validated like every rule-set document).
    The code, version and tenant stay the draft's: a document that says otherwise is refused."""
    _check_actor(actor, rule_set.tenant_code)
    if not isinstance(data, dict):
        raise DocumentRefused(RuleSetDocumentError("$", gettext("规则集须为 JSON 对象")), data)
    for key in ("code", "version", "tenant_code"):
        if key in data and data[key] != getattr(rule_set, key):
            refused = RuleSetDocumentError(
                key, gettext("不能修改（应为 %(ours)s，现为 %(file)s）；要另建规则集请导入文件") % {
                    "ours": getattr(rule_set, key), "file": data[key]}, (key,)
            )
            raise DocumentRefused(refused, data)
    with transaction.atomic():
        locked = _locked_draft(rule_set)
        document = copy.deepcopy(data)
        document.update(code=locked.code, version=locked.version, tenant_code=locked.tenant_code)
        _validated(document)
        with translation.override("zh-hans"):  # its lines go to the audit log, written in Chinese
            changes = compare_documents(locked.data, document)
            lines = change_lines(changes)
        if not changes and document == locked.data:
            return locked
        locked.data = document
        locked.content_hash = content_hash(document)
        for name, value in _row_fields(document).items():
            setattr(locked, name, value)
        locked.save()
        audit(action="ruleset_updated", actor=actor, target=locked, request=request, code=locked.code,
              version=locked.version, changes=lines, note=note)
    return locked


def ruleset_add_case(*, rule_set: RuleSet, case: dict[str, Any], actor: Any, request=None) -> RuleSet:
    """Add a case to the draft's bench (validated with the document: the profile must be one the
    engine reads, the name unique)."""
    document = copy.deepcopy(rule_set.data)
    document["cases"] = [*cases_of(rule_set.data, rule_set.content_hash), case]
    return ruleset_update_draft(rule_set=rule_set, data=document, actor=actor, request=request,
                                note=f"添加测试用例“{case.get('name', '')}”")


def ruleset_remove_case(*, rule_set: RuleSet, index: int, actor: Any, request=None) -> RuleSet:
    cases = cases_of(rule_set.data, rule_set.content_hash)
    if not 0 <= index < len(cases):
        raise ValidationError(gettext("没有这个测试用例。"))
    removed = cases.pop(index)
    document = {**copy.deepcopy(rule_set.data), "cases": cases}
    return ruleset_update_draft(rule_set=rule_set, data=document, actor=actor, request=request,
                                note=f"删除测试用例“{removed.get('name', '')}”")


def ruleset_bench(rule_set: RuleSet) -> BenchResult:
    """Run the version's cases (a read: nothing is written)."""
    return run_bench(rule_set.data, digest=rule_set.content_hash)


def ruleset_publish(*, rule_set: RuleSet, actor: Any, request=None) -> RuleSet:
    """Publish a draft: from now on new applications and the "can I apply?" check use it. Refused
    while any case of its bench fails (:class:`BenchFailed` names them)."""
    _check_actor(actor, rule_set.tenant_code)
    with transaction.atomic():
        locked = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
        if locked.status == RuleSet.Status.PUBLISHED:
            raise ValidationError(gettext("该版本已发布"))
        result = run_bench(locked.data, digest=locked.content_hash)
        if result.passed:
            locked.status = RuleSet.Status.PUBLISHED
            locked.published_at = timezone.now()
            locked.save(update_fields=["status", "published_at"])
            audit(action="ruleset_published", actor=actor, target=locked, request=request, code=locked.code,
                  version=locked.version, cases=len(result.outcomes))
    if not result.passed:
        # Recorded outside the transaction the refusal would roll back.
        audit(action="ruleset_publish_refused", actor=actor, target=locked, request=request, code=locked.code,
              version=locked.version, failed=[o.name for o in result.failed])
        raise BenchFailed(result)
    return locked


def ruleset_delete_draft(*, rule_set: RuleSet, actor: Any, request=None) -> None:
    _check_actor(actor, rule_set.tenant_code)
    with transaction.atomic():
        locked = _locked_draft(rule_set)
        audit(action="ruleset_draft_deleted", actor=actor, target=locked, request=request, code=locked.code,
              version=locked.version)
        locked.delete()


def ruleset_attach_document(
    *, rule_set: RuleSet, upload: UploadedFile, title: str, document_number: str = "", actor: Any, request=None
) -> PolicyDocument:
    """Attach the policy document (a PDF, checked by content like every upload) to a draft."""
    from core.uploads import PDF, check_upload

    _check_actor(actor, rule_set.tenant_code)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [gettext("请填写文件标题，如“关于开展2025年第一期初级职称考核认定工作的通知”。")]
    try:
        checked = check_upload(upload, field=gettext("政策文件"), allowed=(PDF,), max_bytes=POLICY_MAX_BYTES,
                               max_pages=POLICY_MAX_PAGES)
    except ValidationError as error:
        errors["file"] = error.messages
    if errors:
        raise ValidationError(errors)
    upload.seek(0)
    digest = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    with transaction.atomic():
        locked = _locked_draft(rule_set)
        document = PolicyDocument(
            tenant_code=locked.tenant_code,
            title=title[:200],
            document_number=(document_number or "").strip()[:120],
            original_name=(upload.name or "policy.pdf")[:200],
            size=checked.size,
            pages=checked.pages,
            sha256=digest,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        document.file.save(f"{digest[:16]}.pdf", upload, save=False)
        document.save()
        document.rule_sets.add(locked)
        audit(action="ruleset_document_attached", actor=actor, target=locked, request=request, code=locked.code,
              version=locked.version, title=document.title, document_number=document.document_number)
    return document


def ruleset_detach_document(*, rule_set: RuleSet, document: PolicyDocument, actor: Any, request=None) -> None:
    _check_actor(actor, rule_set.tenant_code)
    with transaction.atomic():
        locked = _locked_draft(rule_set)
        document.rule_sets.remove(locked)
        audit(action="ruleset_document_detached", actor=actor, target=locked, request=request, code=locked.code,
              version=locked.version, title=document.title)


def calendar_override_set(*, actor: Any, day: date, is_workday: bool, note: str = "", request=None) -> CalendarOverride:
    """Correct the national working-day calendar for one day (years the package does not know,
    or a late announcement). Editors of rule sets may do it; it applies to every tenant."""
    if actor is None or not can_edit_rulesets(actor):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": [gettext("请写明调整依据，如国务院办公厅放假通知的文号。")]})
    with transaction.atomic():
        override, _ = CalendarOverride.objects.update_or_create(
            date=day, defaults={"is_workday": is_workday, "note": note.strip()[:120]}
        )
        audit(
            action="calendar_override_set",
            actor=actor,
            target=override,
            request=request,
            day=day.isoformat(),
            is_workday=is_workday,
        )
    return override
