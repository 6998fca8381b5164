"""The applicant's personal record (kept across years), the achievement archive, applications
and their frozen submissions.

Files are stored through Django's default storage (a private root with no public URL) and
reach a browser only through a permission-checked download view.
"""

from __future__ import annotations

import uuid

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.triggers import Refuse
from rules import labels as vocab

# The engine's vocabularies (rules.engine.vocab: codes and Chinese names) as their display tables in
# rules.labels: the same codes and Chinese names, read in the page's language.
LEVEL_CHOICES = list(vocab.LEVELS.items())
SERIES_CHOICES = list(vocab.SERIES.items())
EDUCATION_CHOICES = list(vocab.EDUCATION.items())
SKILL_CHOICES = list(vocab.SKILLS.items())
GRADE_CHOICES = list(vocab.GRADES.items())
GENDER_CHOICES = list(vocab.GENDERS.items())


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never carries the uploader's file name (which may hold personal data).
    return f"applications/{instance.owner_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """One uploaded file, checked by content; what it is attached to refers to it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    pages = models.PositiveIntegerField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    def metadata(self) -> dict:
        return {
            "id": self.pk,
            "name": self.original_name,
            "content_type": self.content_type,
            "size": self.size,
            "pages": self.pages,
            "width": self.width,
            "height": self.height,
            "sha256": self.sha256,
        }


# --- Personal record ----------------------------------------------------------------------------


class PersonalRecord(models.Model):
    """Facts about the person that do not come in lists; one per applicant."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_record")
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    gender = models.CharField(_("性别"), max_length=1, choices=GENDER_CHOICES, blank=True)
    civil_servant = models.BooleanField(_("公务员（参照公务员法管理人员）"), default=False)
    retired = models.BooleanField(_("已办理退休"), default=False)
    has_contract = models.BooleanField(_("已与单位签订聘用合同或劳动合同"), default=False)
    months_in_region = models.PositiveIntegerField(_("在本地工作月数"), null=True, blank=True)
    social_insurance_months_in_region = models.PositiveIntegerField(_("在本地缴纳社保月数"), null=True, blank=True)
    insured_unit_is_applying_unit = models.BooleanField(_("社保缴纳单位即申报单位"), default=True)
    current_post_since = models.DateField(_("现岗位起始日期"), null=True, blank=True)
    # 现从事专业: where a rule set requires it (filing rule specialty_matches, 001 二(五)2) it must
    # equal the application's 申报专业 before the application can be submitted.
    current_specialty = models.CharField(_("现从事专业"), max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("个人信息")

    def __str__(self) -> str:
        return str(self.person)


class EducationEntry(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="education_entries")
    level = models.CharField(_("学历"), max_length=30, choices=EDUCATION_CHOICES)
    school = models.CharField(_("毕业院校"), max_length=100)
    major = models.CharField(_("所学专业"), max_length=100)
    graduated_on = models.DateField(_("毕业日期"))
    full_time = models.BooleanField(_("全日制"), default=True)
    major_related = models.BooleanField(_("所学专业与申报专业相近"), default=True)
    degree_certificate = models.BooleanField(_("取得学位证书"), default=False)
    diploma = models.ForeignKey(
        Attachment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("学历学位证书扫描件"),
    )

    class Meta:
        verbose_name = _("学历")
        ordering = ["graduated_on", "id"]  # first education to highest

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.school}"


class WorkPeriod(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_periods")
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("至今的留空"))
    employer = models.CharField(_("工作单位"), max_length=120)
    post = models.CharField(_("岗位（职务）"), max_length=100)
    professional = models.BooleanField(_("从事专业技术工作"), default=True)

    class Meta:
        verbose_name = _("工作经历")
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return f"{self.start}–{self.end or '至今'} {self.employer}"

    def clean(self) -> None:
        if self.end is not None and self.start is not None and self.end < self.start:
            raise ValidationError({"end": _("截止日期不能早于起始日期。")})


class TitleHeld(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="titles_held")
    series = models.CharField(_("职称系列"), max_length=30, choices=SERIES_CHOICES)
    level = models.CharField(_("级别"), max_length=20, choices=LEVEL_CHOICES)
    name = models.CharField(_("职称名称"), max_length=60, blank=True)
    obtained_on = models.DateField(_("取得资格日期"))
    appointed_on = models.DateField(_("聘任日期"), null=True, blank=True)
    appointment_letter = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("聘书扫描件")
    )

    class Meta:
        verbose_name = _("已取得职称")
        ordering = ["obtained_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_series_display()}{self.get_level_display()}"


class AnnualAssessment(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annual_assessments")
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(_("考核等次"), max_length=20, choices=GRADE_CHOICES)

    class Meta:
        verbose_name = _("年度考核")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="assessment_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_grade_display()}"


class ContinuingEducation(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="continuing_education")
    year = models.PositiveSmallIntegerField(_("年度"))
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = _("继续教育学时")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="cpd_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.hours}"


class Sanction(models.Model):
    """Disciplinary or criminal sanctions and investigations: within 2 years they bar filing
    (002 第一篇 二(一)); declared by the applicant, verified by the unit."""

    class Kind(models.TextChoices):
        DISCIPLINARY = "disciplinary", _("党纪政务处分")
        CRIMINAL = "criminal", _("刑事处罚")
        UNDER_INVESTIGATION = "under_investigation", _("正在接受纪律审查或立案调查")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(_("类别"), max_length=30, choices=Kind.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("影响期或审查尚未结束的请留空"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("处分及审查情况")
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}"

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("结束日期不能早于开始日期。")})


class Absence(models.Model):
    """Study abroad or sick leave: away more than a year bars filing (002 第一篇 二(一))."""

    class Kind(models.TextChoices):
        STUDY_ABROAD = "study_abroad", _("出国（境）进修学习")
        SICK_LEAVE = "sick_leave", _("病休")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("尚未返回工作岗位的请留空"))

    class Meta:
        verbose_name = _("出国进修或病休情况")
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}"

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("结束日期不能早于开始日期。")})


class SkillQualification(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_qualifications")
    level = models.CharField(_("技能等级"), max_length=30, choices=SKILL_CHOICES)
    occupation = models.CharField(_("职业（工种）"), max_length=60)
    obtained_on = models.DateField(_("取得日期"))
    certificate = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("证书扫描件")
    )

    class Meta:
        verbose_name = _("技能等级")
        ordering = ["obtained_on", "id"]

    def __str__(self) -> str:
        return f"{self.occupation} {self.get_level_display()}"


class Achievement(models.Model):
    """An entry of the achievement archive; usable in an application once the unit approves it."""

    class Kind(models.TextChoices):
        PAPER = "paper", _("论文论著")
        AWARD = "award", _("获奖")
        PATENT = "patent", _("专利")
        PROJECT = "project", pgettext_lazy("achievement kind", "项目")
        REPORT = "report", _("专业技术报告")
        STANDARD = "standard", _("标准规范")

    class Status(models.TextChoices):
        PENDING = "pending", _("待单位审核")
        APPROVED = "approved", _("单位已审核通过")
        REJECTED = "rejected", _("单位审核未通过")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="achievements")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    achieved_on = models.DateField(pgettext_lazy("achievement date", "时间"))
    role = models.CharField(_("本人角色（排名）"), max_length=60, blank=True)
    description = models.TextField(_("简要说明"), max_length=1000, blank=True)
    proof = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("证明材料")
    )
    status = models.CharField(_("审核状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(_("未通过原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("业绩档案")
        ordering = ["-achieved_on", "id"]
        indexes = [models.Index(fields=["status", "person"])]

    def __str__(self) -> str:
        return self.title


# --- Applications -------------------------------------------------------------------------------


class Application(models.Model):
    class EvaluationMethod(models.TextChoices):
        ASSESSMENT = "assessment", pgettext_lazy("evaluation method", "考核认定")
        COMMITTEE_REVIEW = "committee_review", pgettext_lazy("evaluation method", "评审")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交，待单位审核")
        RETURNED = "returned", _("已退回修改")
        IN_REVIEW = "in_review", _("审核中")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")
        # A return not fixed and resubmitted by the window's return deadline (003 四, 001 二(四)).
        CLOSED = "closed", _("已关闭（逾期未补正）")

    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications")
    tenant = models.ForeignKey("units.Tenant", on_delete=models.PROTECT, related_name="applications")
    unit = models.ForeignKey("units.Organisation", on_delete=models.PROTECT, related_name="applications")
    window_name = models.CharField(_("申报批次"), max_length=120, blank=True)
    window_opens_at = models.DateTimeField(null=True, blank=True)
    series = models.CharField(_("职称系列"), max_length=30, choices=SERIES_CHOICES)
    specialty = models.CharField(_("专业"), max_length=60, blank=True)
    level = models.CharField(_("申报级别"), max_length=20, choices=LEVEL_CHOICES)
    evaluation_method = models.CharField(
        _("评价方式"), max_length=20, choices=EvaluationMethod.choices, default=EvaluationMethod.ASSESSMENT
    )
    # Chosen by the applicant among the committees that accept the series × level (004 三 3).
    committee = models.ForeignKey(
        "committees.Committee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=pgettext_lazy("one committee", "评审委员会"),
    )
    exceptional_promotion = models.BooleanField(_("破格申报"), default=False)
    entrusted_review = models.BooleanField(_("委托评审"), default=False)
    self_statement = models.TextField(_("本人述职"), blank=True)
    main_achievements = models.TextField(_("主要工作业绩"), blank=True)
    achievements = models.ManyToManyField(Achievement, blank=True, related_name="+", verbose_name=_("选用业绩"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    ruleset_code = models.CharField(_("规则集"), max_length=60)
    ruleset_version = models.PositiveIntegerField(_("规则集版本"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_reason = models.CharField(_("关闭原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("职称申报")
        ordering = ["-id"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["tenant", "status"])]

    def __str__(self) -> str:
        return f"{self.get_series_display()}{self.get_level_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ApplicationFile(models.Model):
    """A file in one slot of an application's materials checklist.

    ``reused_from`` names the personal-record entry whose scan was chosen instead of a new upload
    (the attachment is shared: attachments are never changed once stored). ``supplied_by_unit``
    marks the materials the unit uploads (000 八(二); rule-set items with ``uploaded_by: unit``).
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    slot = models.CharField(_("材料"), max_length=60)
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="+")
    reused_from = models.CharField(_("选用自个人档案"), max_length=40, blank=True)
    supplied_by_unit = models.BooleanField(_("单位提供"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("申报材料")
        ordering = ["supplied_by_unit", "slot", "id"]  # the applicant's own first

    def __str__(self) -> str:
        return f"{self.slot}: {self.attachment}"


class ExceptionalPromotionApproval(models.Model):
    """The approval of one uploaded 《破格推荐专业技术职务任职资格审批表》.

    The form's last signature is the city's: “市（厅、局）人事部门意见（盖章）” (004 附件
    《破格推荐 级专业技术职务任职资格审批表》; 004 一(一) requires the form for everyone filing
    without the required education or experience). So the tenant's 市人社局 (city reviewer or
    tenant administrator) decides, before the application can be submitted.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待市人社局审批")
        APPROVED = "approved", _("市人社局已批准")
        REFUSED = "refused", _("市人社局未批准")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="exception_approvals")
    file = models.OneToOneField(
        ApplicationFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="exception_approval"
    )
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("审批状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("审批意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("破格申报审批")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "application"])]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_status_display()}"


class Pledge(models.Model):
    """The applicant's signed integrity pledge (诚信承诺书)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="pledge")
    typed_name = models.CharField(_("签名"), max_length=60)
    agreed = models.BooleanField(_("已阅读并承诺"))
    signed_at = models.DateTimeField(_("签署时间"))
    ip = models.GenericIPAddressField(null=True, blank=True)
    text_version = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("诚信承诺书")

    def __str__(self) -> str:
        return f"{self.typed_name} {self.signed_at:%Y-%m-%d %H:%M}"


class SubmissionQuerySet(models.QuerySet):
    """Bulk writes would go round ``Submission.save``/``delete``: refused here as well, and on
    PostgreSQL by a trigger (``Submission.Meta.triggers``)."""

    def update(self, **kwargs):
        raise ValidationError(_("提交快照不可修改。"))

    def delete(self):
        raise ValidationError(_("提交快照不可删除。"))


class Submission(models.Model):
    """A frozen snapshot of what was submitted. Never updated, never deleted."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="submissions")
    revision = models.PositiveIntegerField()
    snapshot = models.JSONField()
    content_hash = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("提交快照")
        ordering = ["application_id", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["application", "revision"], name="submission_unique_revision"),
        ]
        # On PostgreSQL the database itself refuses UPDATE and DELETE of a snapshot, whatever the client.
        triggers = [
            Refuse(
                name="submission_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
                message="applications_submission rows are immutable (submission snapshots)",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.revision}"

    def save(self, *args, **kwargs) -> None:
        # A guard, not a write: a snapshot is evidence and must stay as it was submitted.
        if self.pk is not None:
            raise ValidationError(_("提交快照不可修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("提交快照不可删除。"))


class UnitRosterFiling(models.Model):
    """A unit's 推荐人员名单 (附件3, 《XX单位X年X季度初级职称考核推荐人员名单》) filed for one window.

    Where the window sets ``roster_closes_at`` the unit files it by then; a unit that did not is
    excluded from the window's online review (003_c25e803c7aeb4e62.txt 三(一)3 “未提前上报附件3名单的
    单位，不予网络审核”). A later filing before the cut-off replaces the earlier one as the current list.
    """

    tenant = models.ForeignKey("units.Tenant", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("units.Organisation", on_delete=models.PROTECT, related_name="roster_filings")
    window_name = models.CharField(_("申报批次"), max_length=120)
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="+", verbose_name=_("名单文件"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("报送时间"))

    class Meta:
        verbose_name = _("推荐人员名单报送")
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["unit", "window_name"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.window_name}"
