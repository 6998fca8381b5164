"""The review chain of one application: a row per level and submission revision, the problems a
return lists (一次告知), and an append-only record of every transition.

The rows only record what happened; ``review.services.review_decide`` is the one writer.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from review.chain import Level


class ReviewStep(models.Model):
    """One level of authority acting on one submitted revision of an application."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("未开始")
        ACTIVE = "active", _("审核中")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回修改")
        REJECTED = "rejected", _("未通过")

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="review_steps")
    submission = models.ForeignKey("applications.Submission", on_delete=models.PROTECT, related_name="review_steps")
    revision = models.PositiveIntegerField(_("提交次数"))
    order = models.PositiveSmallIntegerField(_("顺序"))
    level = models.CharField(_("审核层级"), max_length=12, choices=Level.choices)
    organisation = models.ForeignKey(
        "units.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_steps",
        verbose_name=_("审核机构"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.WAITING)
    active_since = models.DateTimeField(_("开始审核时间"), null=True, blank=True)
    deadline = models.DateTimeField(_("审核截止时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    opinion = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("审核环节")
        ordering = ["application_id", "revision", "order"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "order"], name="review_step_unique_order"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["level", "status"]),
            models.Index(fields=["application", "revision"]),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.revision} {self.get_level_display()}"

    @property
    def label(self) -> str:
        if self.organisation_id is None:
            return str(self.get_level_display())
        return f"{self.get_level_display()}（{self.organisation.name}）"


class ReviewTransition(models.Model):
    """Append-only: who moved the application from which state to which, and why."""

    class Kind(models.TextChoices):
        START = "start", _("提交，进入审核")
        APPROVE = "approve", _("通过")
        RETURN = "return", _("退回修改")
        REJECT = "reject", _("不通过")

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="review_transitions"
    )
    step = models.ForeignKey(ReviewStep, on_delete=models.PROTECT, related_name="transitions")
    revision = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_status = models.CharField(max_length=12)
    to_status = models.CharField(max_length=12)
    closes_filing = models.BooleanField(_("本年度不再受理"), default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(max_length=30)
    opinion = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("审核记录")
        ordering = ["application_id", "created_at", "id"]
        indexes = [models.Index(fields=["kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.revision} {self.kind}"

    def save(self, *args, **kwargs) -> None:
        # A guard, not a write: the record of a decision is evidence.
        if self.pk is not None:
            raise ValidationError(_("审核记录不可修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("审核记录不可删除。"))


class ReturnProblem(models.Model):
    """One problem of a return, tied to the field or attachment slot it concerns."""

    class TargetKind(models.TextChoices):
        FIELD = "field", _("填报内容")
        SLOT = "slot", _("申报材料")

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="return_problems"
    )
    step = models.ForeignKey(ReviewStep, on_delete=models.PROTECT, related_name="problems")
    transition = models.ForeignKey(ReviewTransition, on_delete=models.PROTECT, related_name="problems")
    revision = models.PositiveIntegerField()
    target_kind = models.CharField(max_length=5, choices=TargetKind.choices)
    target = models.CharField(_("问题所在"), max_length=60)
    target_label = models.CharField(max_length=120)
    message = models.CharField(_("问题说明"), max_length=500)

    class Meta:
        verbose_name = _("退回问题")
        ordering = ["application_id", "revision", "id"]

    def __str__(self) -> str:
        return f"{self.target_label}：{self.message}"

    @property
    def key(self) -> str:
        return f"{self.target_kind}:{self.target}"
