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
    # No personal data in the stored name: the submission (or tenant) id and the kind are enough.
    extension = "xlsx" if instance.kind in DocumentJob.SPREADSHEET_KINDS else "pdf"
    if instance.submission_id is None:  # a window-level document (roster, notice)
        return f"documents/tenant-{instance.tenant_id}/{instance.kind}-{instance.pk}.{extension}"
    return f"documents/{instance.submission_id}/{instance.kind}-{instance.pk}.{extension}"


class DocumentJob(models.Model):
    class Kind(models.TextChoices):
        EVALUATION_FORM = "evaluation_form", _("评审表")
        ASSESSMENT_FORM = "assessment_form", _("考核认定表")
        DOSSIER = "dossier", _("材料册")
        # Window-level documents: no submission, keyed by tenant and ``subject_key`` (window and level).
        ROSTER = "roster", _("推荐人员名单")
        STATISTICS = "statistics", _("申报统计表")
        APPOINTMENT_NOTICE = "appointment_notice", _("任职资格文件")

    SPREADSHEET_KINDS = ("roster", "statistics")
    WINDOW_KINDS = ("roster", "statistics", "appointment_notice")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    kind = models.CharField(_("文书类别"), max_length=30, choices=Kind.choices)
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="document_jobs"
    )
    submission = models.ForeignKey(
        "applications.Submission", on_delete=models.PROTECT, null=True, blank=True, related_name="document_jobs"
    )
    tenant = models.ForeignKey("units.Tenant", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # What the file was rendered from beyond the submission: the review opinions' fingerprint for
    # forms (a new opinion gives a new job, the old file stays as history), or window and level
    # for window-level documents.
    subject_key = models.CharField(max_length=200, blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
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
            models.UniqueConstraint(
                fields=["kind", "submission", "subject_key"],
                condition=models.Q(submission__isnull=False),
                name="document_job_one_per_kind_submission_and_key",
            ),
            models.UniqueConstraint(
                fields=["kind", "tenant", "subject_key"],
                condition=models.Q(submission__isnull=True),
                name="document_job_one_per_window_document",
            ),
        ]
        indexes = [models.Index(fields=["application", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.submission_id or self.subject_key}"

    @property
    def is_spreadsheet(self) -> bool:
        return self.kind in self.SPREADSHEET_KINDS

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
    version = models.PositiveSmallIntegerField(_("版次"), default=1)
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


# ---------------------------------------------------------------------------------------------
# Signing keys, certificate versions (补发/换发) and fees
# ---------------------------------------------------------------------------------------------


class SigningKey(models.Model):
    """A signing key and its X.509 certificate. One platform root CA (``is_root``, no tenant) signs
    one certificate per issuing tenant; verification trusts the root only. The private key is kept
    encrypted with ``core.crypto`` and never leaves the process that signs."""

    tenant = models.OneToOneField(
        "units.Tenant", on_delete=models.PROTECT, null=True, blank=True, related_name="signing_key"
    )
    is_root = models.BooleanField(default=False)
    subject = models.CharField(_("主体"), max_length=200)
    certificate_pem = models.TextField()
    private_key_encrypted = models.TextField()
    fingerprint = models.CharField(max_length=64)
    not_after = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("签名密钥")
        constraints = [
            models.UniqueConstraint(
                fields=["is_root"], condition=models.Q(is_root=True), name="signing_key_one_platform_root"
            ),
            models.CheckConstraint(
                condition=models.Q(is_root=True, tenant__isnull=True) | models.Q(is_root=False, tenant__isnull=False),
                name="signing_key_root_xor_tenant",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


def certificate_issue_path(instance: CertificateIssue, filename: str) -> str:
    return f"certificates/{instance.certificate.tenant_id}/{instance.certificate_id}-v{instance.version}.pdf"


def notice_scan_path(instance: CertificateIssue, filename: str) -> str:
    return f"certificates/{instance.certificate.tenant_id}/notice-{instance.certificate_id}-v{instance.version}"


class CertificateIssue(models.Model):
    """One issued file of a certificate. The number stays; each 补发 (lost) or 换发 (damaged) adds
    a version and supersedes the previous file (002_743bb57fc6424707.txt, 证书补发、换发)."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("首次发证")
        REISSUE = "reissue", _("补发（遗失）")
        REPLACEMENT = "replacement", _("换发（损坏）")

    class Status(models.TextChoices):
        PENDING = "pending", _("待生成")
        CURRENT = "current", _("现行")
        SUPERSEDED = "superseded", _("已被取代")

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="issues")
    version = models.PositiveSmallIntegerField(_("版次"))
    kind = models.CharField(_("发证类型"), max_length=12, choices=Kind.choices, default=Kind.ORIGINAL)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    notice_newspaper = models.CharField(_("登报报纸名称"), max_length=100, blank=True)
    notice_date = models.DateField(_("登报日期"), null=True, blank=True)
    notice_text = models.TextField(_("遗失声明内容"), blank=True)
    notice_scan = models.FileField(_("遗失声明扫描件"), upload_to=notice_scan_path, max_length=200, blank=True)
    file = models.FileField(upload_to=certificate_issue_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("证书发放记录")
        ordering = ["certificate", "version"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "version"], name="certificate_issue_one_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} v{self.version}"


class FeeEntry(models.Model):
    """A fee owed on an application (证书费, 评审费, 论文鉴定费), recorded by bureau staff, seen by the
    applicant."""

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("证书费")
        REVIEW = "review", _("评审费")
        # 002_743bb57fc6424707.txt 第四篇 卫东区 中级 收费标准: 论文鉴定费每篇30元.
        PAPER_APPRAISAL = "paper_appraisal", _("论文鉴定费")

    class Status(models.TextChoices):
        UNPAID = "unpaid", _("未缴")
        PAID = "paid", _("已缴")

    tenant = models.ForeignKey("units.Tenant", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="fees")
    kind = models.CharField(_("费用类别"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=8, decimal_places=2)
    basis = models.CharField(_("收费依据"), max_length=200, blank=True)
    status = models.CharField(_("缴费状态"), max_length=8, choices=Status.choices, default=Status.UNPAID)
    paid_at = models.DateTimeField(_("缴费时间"), null=True, blank=True)
    receipt_number = models.CharField(_("票据号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("费用记录")
        ordering = ["application", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="fee_entry_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
