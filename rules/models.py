from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSet(models.Model):
    """One version of a tenant's rule set. A published version is never changed:
    editing creates the next version (see ``rules.services.ruleset_revise``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    code = models.SlugField(_("规则集代码"), max_length=60)
    tenant_code = models.CharField(_("租户代码"), max_length=40, db_index=True)
    version = models.PositiveIntegerField(_("版本"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    name = models.CharField(_("名称"), max_length=120)
    source_document = models.CharField(_("依据文件"), max_length=120)
    document_number = models.CharField(_("文号"), max_length=120, blank=True)
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    data = models.JSONField(_("规则内容"))
    content_hash = models.CharField(_("内容摘要"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("规则集")
        verbose_name_plural = _("规则集")
        ordering = ["tenant_code", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="ruleset_unique_version")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code} 第{self.version}版）"

    def save(self, *args, **kwargs) -> None:
        # A guard, not a write: the stored row of a published version must stay as published.
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values("status", "content_hash").first()
            if stored and stored["status"] == self.Status.PUBLISHED:
                from rules.engine.ruleset import content_hash

                if content_hash(self.data) != stored["content_hash"] or self.status != self.Status.PUBLISHED:
                    raise ValidationError(_("已发布的规则集不可修改，请创建新版本"))
        super().save(*args, **kwargs)


class DeclarationWindow(models.Model):
    """A tenant's declaration window (申报批次). Deadlines are inclusive to the second."""

    tenant_code = models.CharField(_("租户代码"), max_length=40, db_index=True)
    name = models.CharField(_("名称"), max_length=120)
    # A recurring window (``{"months": [3, 6, 9, 12], "first_day": 1, "last_day": 25}``) has no
    # instants of its own: each month's window is computed from the rule.
    recurrence = models.JSONField(_("周期"), null=True, blank=True)
    opens_at = models.DateTimeField(_("开始申报"), null=True, blank=True)
    submit_closes_at = models.DateTimeField(_("申报截止"), null=True, blank=True)
    return_closes_at = models.DateTimeField(_("退回修改截止"), null=True, blank=True)
    review_closes_at = models.DateTimeField(_("审核截止"), null=True, blank=True)
    # Units file their 推荐人员名单 (附件3) by this instant; a unit that did not is excluded from the
    # window's online review (003 三(一)3). Not part of ``window_status`` (the contract's fields).
    roster_closes_at = models.DateTimeField(_("推荐人员名单报送截止"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=120, blank=True)
    # Empty: the window covers every series / level.
    series = models.JSONField(_("适用系列"), default=list, blank=True)
    levels = models.JSONField(_("适用级别"), default=list, blank=True)

    class Meta:
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        ordering = ["tenant_code", "opens_at"]
        constraints = [models.UniqueConstraint(fields=["tenant_code", "name"], name="window_unique_name")]

    def __str__(self) -> str:
        return self.name


class CalendarOverride(models.Model):
    """A bureau's correction to the working-day calendar, consulted before the package."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}：{'工作日' if self.is_workday else '休息日'}"


class PolicyDocument(models.Model):
    """The policy document itself (a PDF), attached to the versions whose clauses cite it. Stored
    through the private, encrypted storage; read only through the permission-checked download."""

    tenant_code = models.CharField(_("租户代码"), max_length=40, db_index=True)
    title = models.CharField(_("文件标题"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=120, blank=True)
    file = models.FileField(upload_to="policy/%Y/%m/")
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    pages = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    rule_sets = models.ManyToManyField(RuleSet, related_name="documents", blank=True, verbose_name=_("规则集版本"))

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def citation(self) -> str:
        """How a clause cites it: the 文号, or the title when there is none."""
        return self.document_number or self.title
