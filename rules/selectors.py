"""Reads of rule sets scoped to what a user may see; anything else is 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rules.models import RuleSet
from rules.permissions import can_view_rulesets, may_use_tenant, sees_all_tenants, user_tenant_code


def rulesets_for_user(user: Any) -> QuerySet[RuleSet]:
    if not can_view_rulesets(user):
        return RuleSet.objects.none()
    qs = RuleSet.objects.defer("data")
    if sees_all_tenants(user):
        return qs
    return qs.filter(tenant_code=user_tenant_code(user) or "")


def get_ruleset_for_user(user: Any, pk: int) -> RuleSet:
    rule_set = RuleSet.objects.filter(pk=pk).first()
    if rule_set is None or not can_view_rulesets(user) or not may_use_tenant(user, rule_set.tenant_code):
        raise Http404
    return rule_set


def latest_published(code: str) -> RuleSet | None:
    return RuleSet.objects.filter(code=code, status=RuleSet.Status.PUBLISHED).order_by("-version").first()


ACTION_WORDS = {
    "ruleset_revised": _("新建版本"),
    "ruleset_draft_started": _("新建草稿"),
    "ruleset_updated": _("修改草稿"),
    "ruleset_document_attached": _("上传政策文件"),
    "ruleset_document_detached": _("移除政策文件"),
    "ruleset_publish_refused": _("发布被拒绝（测试用例未通过）"),
    "ruleset_published": _("发布"),
    "ruleset_draft_deleted": _("删除草稿"),
}


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    version: int | None
    note: str
    lines: tuple[str, ...]


def family_history(rule_set: RuleSet, limit: int = 200) -> list[HistoryEntry]:
    """Who changed what and when, for every version of ``rule_set.code`` (deleted drafts too),
    newest first, from the audit log. One query."""
    from core.models import AuditEvent

    events = (
        AuditEvent.objects.filter(target_type=RuleSet._meta.label_lower, action__in=list(ACTION_WORDS),
                                  detail__code=rule_set.code)
        .only("at", "actor_label", "action", "detail")
        .order_by("-at", "-id")[:limit]
    )
    entries = []
    for event in events:
        detail = event.detail or {}
        lines = list(detail.get("changes") or ())
        if detail.get("title"):
            if detail.get("document_number"):
                lines.append(gettext("文件：%(title)s（%(number)s）") % {
                    "title": detail["title"], "number": detail["document_number"]})
            else:
                lines.append(gettext("文件：%(title)s") % {"title": detail["title"]})
        if detail.get("failed"):
            lines.append(gettext("未通过的用例：%(cases)s") % {"cases": gettext("、").join(detail["failed"])})
        if detail.get("from_version"):
            based = {"version": detail["from_version"]}
            lines.insert(0, gettext("以第%(version)s版为基础，导入文件") % based if detail.get("imported")
                         else gettext("以第%(version)s版为基础") % based)
        entries.append(HistoryEntry(
            at=event.at,
            actor=event.actor_label or gettext("系统"),
            action=str(ACTION_WORDS.get(event.action, event.action)),
            version=detail.get("version"),
            note=detail.get("note", ""),
            lines=tuple(lines),
        ))
    return entries
