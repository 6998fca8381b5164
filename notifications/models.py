"""In-app messages (站内信); email and SMS copies are sent through notifications.gateways."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person. ``key`` makes every send idempotent: the same event never
    produces two messages to the same recipient (a retried task changes nothing)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("申报已提交")
        TO_REVIEW = "to_review", _("待审核")
        APPROVED = "approved", _("审核通过")
        RETURNED = "returned", _("退回修改")
        REJECTED = "rejected", _("审核不通过")
        CERTIFICATE = "certificate", _("证书已签发")
        DRAFT_REMINDER = "draft_reminder", _("申报即将截止")
        OVERDUE = "overdue", _("审核已超期")
        ESCALATED = "escalated", _("超期督办")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=120)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    texted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title
