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


def certificate_path(instance: Certificate, filename: str) -> str:
    # The stored name carries the tenant and the row id only, never the holder's name.
    return f"certificates/{instance.tenant_id}/{instance.pk}-{instance.sha256[:12] or 'pending'}.pdf"


class CertificateCounter(models.Model):
    """The last serial handed out per (tenant, year, level); locked while a number is allocated,
    so that numbers are sequential with neither gaps nor duplicates."""

    tenant = models.ForeignKey("units.Tenant", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=20)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("证书编号计数器")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "year", "level"], name="certificate_counter_one_per_series"),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.year}/{self.level}: {self.last}"


class CertificateBatch(models.Model):
    """The outbox row of one batch issue: written with the request, run by a Celery task by id."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("发证中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    tenant = models.ForeignKey("units.Tenant", on_delete=models.PROTECT, related_name="certificate_batches")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    application_ids = models.JSONField(null=True, blank=True)
    base_url = models.CharField(max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("待发证数"), default=0)
    done = models.PositiveIntegerField(_("已处理数"), default=0)
    issued = models.PositiveIntegerField(_("新发证书数"), default=0)
    failed = models.PositiveIntegerField(_("失败数"), default=0)
    error = models.CharField(_("错误信息"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("批量发证任务")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"批量发证 #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def progress_percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)


class Certificate(models.Model):
    """An electronic title certificate of one approved application.

    The holder's name, masked ID number, title and issuer are copied at issue time: a certificate
    states what was certified then, whatever later happens to the account.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        REVOKED = "revoked", _("已撤销")

    tenant = models.ForeignKey("units.Tenant", on_delete=models.PROTECT, related_name="certificates")
    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT, related_name="certificate")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    batch = models.ForeignKey(CertificateBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("级别"), max_length=20)
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("证书编号"), max_length=40)
    holder_name = models.CharField(_("姓名"), max_length=60)
    holder_id_masked = models.CharField(_("身份证号"), max_length=18, blank=True)
    title = models.CharField(_("职称"), max_length=100)
    issuer = models.CharField(_("发证机关"), max_length=100)
    issued_on = models.DateField(_("发证日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_reason = models.CharField(_("撤销原因"), max_length=500, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    file = models.FileField(upload_to=certificate_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("职称证书")
        ordering = ["-year", "level", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "year", "level", "serial"], name="certificate_serial_unique"),
            models.UniqueConstraint(fields=["tenant", "number"], name="certificate_number_unique_per_tenant"),
        ]
        indexes = [models.Index(fields=["number"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID
