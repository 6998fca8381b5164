"""Documents rendered from a frozen submission (评审表, 考核认定表, …), recorded as jobs.

A ``DocumentJob`` is the outbox row: it is written in the same transaction as the request that
causes it, and the Celery task that renders it takes only its id. One job per (kind, submission):
a second request or a redelivered task finds the same row and the same file.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def document_path(instance: DocumentJob, filename: str) -> str:
    # No personal data in the stored name: the submission id and the kind are enough.
    return f"documents/{instance.submission_id}/{instance.kind}-{instance.pk}.pdf"


class DocumentJob(models.Model):
    class Kind(models.TextChoices):
        EVALUATION_FORM = "evaluation_form", _("评审表")
        ASSESSMENT_FORM = "assessment_form", _("考核认定表")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    kind = models.CharField(_("文书类别"), max_length=30, choices=Kind.choices)
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="document_jobs")
    submission = models.ForeignKey("applications.Submission", on_delete=models.PROTECT, related_name="document_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.CharField(_("错误信息"), max_length=500, blank=True)
    file = models.FileField(upload_to=document_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveSmallIntegerField(_("页数"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("文书生成任务")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "submission"], name="document_job_one_per_kind_and_submission"),
        ]
        indexes = [models.Index(fields=["application", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.submission_id}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def progress_percent(self) -> int:
        return {self.Status.QUEUED: 10, self.Status.RUNNING: 50}.get(self.status, 100)
