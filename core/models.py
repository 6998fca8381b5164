from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.triggers import Refuse


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计记录只能追加，不能修改。")

    def delete(self):
        raise PermissionError("审计记录只能追加，不能删除。")


class AuditEvent(models.Model):
    """One append-only row per action: who, in which role and organisation, when, what, from where.

    Updates and deletes are refused here and, on PostgreSQL, by the triggers below (``Meta.triggers``).
    """

    at = models.DateTimeField(pgettext_lazy("audit record", "时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(pgettext_lazy("audit record", "操作人"), max_length=200, blank=True)
    actor_role = models.CharField(pgettext_lazy("audit record", "角色"), max_length=40, blank=True)
    tenant = models.ForeignKey("units.Tenant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        "units.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(pgettext_lazy("audit record", "操作"), max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        # On PostgreSQL the database itself refuses every UPDATE, and a DELETE unless the row is
        # older than 180 days (the legal floor: 《网络安全法》第二十一条, 等保三级 安全审计) AND the
        # deleting transaction declared itself the retention purge (``SET LOCAL
        # zhicheng.audit_purge = 'on'``, done only by ``manage.py purge_audit``).
        triggers = [
            Refuse(name="auditevent_no_update", operation=pgtrigger.Update, message="core_auditevent is append-only"),
            Refuse(
                name="auditevent_retention",
                operation=pgtrigger.Delete,
                condition=pgtrigger.Condition(
                    "NOT (COALESCE(current_setting('zhicheng.audit_purge', true), '') = 'on'"
                    " AND OLD.at < now() - interval '180 days')"
                ),
                message="core_auditevent is append-only (rows younger than 180 days are never deleted)",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录只能追加，不能删除。")


class OutboxMessage(models.Model):
    """A task message that could not reach the broker (Redis down) when it was sent.

    ``core.outbox.OutboxTask`` writes one instead of failing the request whose transaction has
    already committed; the periodic ``core.outbox.sweep_outbox`` sends it once the broker is back.
    Every task is idempotent, so a message sent twice does no harm.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("待投递任务")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class NamedObjection(models.Model):
    """An objection lodged by a named person during a publicity (anonymous ones are not taken),
    resolved with the finding of its investigation: the unit's 公示 (review) and the committee's
    result publicity (committees) share these fields."""

    lodged_by_name = models.CharField(_("反映人姓名"), max_length=40)
    lodged_by_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    content = models.TextField(_("反映内容"))
    lodged_at = models.DateTimeField(_("反映时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finding = models.TextField(_("调查核实结论"), blank=True)
    upheld = models.BooleanField(_("反映属实"), null=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.lodged_by_name}：{self.content[:20]}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None
