"""The review chain of one application: a row per level and submission revision, the problems a
return lists (一次告知), and an append-only record of every transition.

The rows only record what happened; ``review.services.review_decide`` is the one writer.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import NamedObjection
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
    # Whether ``deadline`` binds (the chain declares one for this level) or only informs.
    deadline_enforced = models.BooleanField(default=False)
    # The tenant document version whose chain laid this step out: a resubmission keeps it.
    chain_version = models.PositiveIntegerField(null=True, blank=True)
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
            # A queue page: one organisation's steps at a level and status, oldest first (keyset).
            models.Index(fields=["organisation", "level", "status", "active_since", "id"], name="review_step_queue"),
            # The queue's 已超期 count (issue 18): active steps by deadline, read from the index alone
            # instead of visiting every active step's row for its deadline.
            models.Index(
                fields=["organisation", "level", "deadline"],
                condition=models.Q(status="active"),
                name="review_step_overdue",
            ),
            models.Index(fields=["level", "status"]),
            models.Index(fields=["application", "revision"]),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.revision} {self.get_level_display()}"

    @property
    def label(self) -> str:
        if self.organisation_id is None:
            return str(self.get_level_display())
        from django.utils.translation import gettext

        return gettext("%(level)s（%(organisation)s）") % {
            "level": self.get_level_display(), "organisation": self.organisation.name,
        }


class ReviewTransition(models.Model):
    """Append-only: who moved the application from which state to which, and why."""

    class Kind(models.TextChoices):
        START = "start", _("提交，进入审核")
        APPROVE = "approve", _("通过")
        RETURN = "return", _("退回修改")
        REJECT = "reject", _("不通过")
        # An appeal revoked the decision: the deciding level acts again (review.appeals).
        REOPEN = "reopen", _("申诉复查撤销原决定，重新审核")

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


# ---------------------------------------------------------------------------------------------
# The unit's own recommendation procedure (单位评审推荐程序): 002 第七条、第八条 (Tangshan/Hebei),
# 003 二(一)2 (Kunming: publicity ≥ 5 working days, no objection, then recommend), 004 三(三)
# (Huzhou: post-structure quota for public institutions). ``review.procedure`` is the one writer.
# ---------------------------------------------------------------------------------------------


def publicity_sheet_path(instance: UnitProcedure, filename: str) -> str:
    # No personal data in the stored name.
    return f"publicity/{instance.unit_id}/{instance.pk}-{instance.sheet_sha256[:12] or 'pending'}.pdf"


class UnitProcedure(models.Model):
    """One round of a unit's recommendation: group, candidates, scores, publicity, list."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("组建评议组与量化赋分")
        PUBLICITY = "publicity", _("公示中")
        CLOSED = "closed", _("公示结束")
        RECOMMENDED = "recommended", _("已推荐上报")

    class SheetStatus(models.TextChoices):
        NONE = "", _("未生成")
        QUEUED = "queued", _("排队中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    tenant = models.ForeignKey("units.Tenant", on_delete=models.PROTECT, related_name="unit_procedures")
    unit = models.ForeignKey("units.Organisation", on_delete=models.PROTECT, related_name="unit_procedures")
    title = models.CharField(_("名称"), max_length=100)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PREPARING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    publicity_working_days = models.PositiveSmallIntegerField(_("公示工作日数"), null=True, blank=True)
    publicity_starts_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("公示结束日期"), null=True, blank=True)
    publicity_closed_at = models.DateTimeField(_("公示结束时间"), null=True, blank=True)
    recommended_at = models.DateTimeField(_("推荐上报时间"), null=True, blank=True)
    sheet_status = models.CharField(max_length=10, choices=SheetStatus.choices, default="", blank=True)
    sheet = models.FileField(upload_to=publicity_sheet_path, max_length=200, blank=True)
    sheet_sha256 = models.CharField(max_length=64, blank=True)
    sheet_error = models.CharField(max_length=500, blank=True)
    # 002 第一篇 第七条(三): the unit's 《量化考核实施细则》 is passed by the 职代会 and, with the
    # congress's minutes, agreed by the competent department before it is used (tenant setting
    # ``unit_procedure_steps.rules_approval``); ``review.procedure.rules_approval_record`` writes these.
    rules_congress_on = models.DateField(_("职代会讨论通过日期"), null=True, blank=True)
    rules_congress_document = models.CharField(_("职代会会议纪要"), max_length=100, blank=True)
    rules_department_on = models.DateField(_("上级主管部门同意日期"), null=True, blank=True)
    rules_department_document = models.CharField(_("主管部门同意文件"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("单位评审推荐")
        ordering = ["-id"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.title


class ReviewGroupMember(models.Model):
    """A member of the unit's 申报推荐考核小组 (002 第七条(二): leaders, heads, experts)."""

    procedure = models.ForeignKey(UnitProcedure, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=40)
    position = models.CharField(_("职务"), max_length=60)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评议组成员")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["procedure", "name"], name="group_member_unique_name")]

    def __str__(self) -> str:
        return self.name


class ProcedureCandidate(models.Model):
    """An application under the unit's procedure; ``rank`` is fixed when the list goes up."""

    procedure = models.ForeignKey(UnitProcedure, on_delete=models.CASCADE, related_name="candidates")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="procedure_candidacies"
    )
    green_channel = models.BooleanField(_("绿色通道"), default=False)
    excluded = models.BooleanField(_("经核实取消推荐"), default=False)
    recommended = models.BooleanField(_("已推荐"), default=False)
    rank = models.PositiveSmallIntegerField(_("综合排名"), null=True, blank=True)
    total_score = models.DecimalField(_("综合得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    # 002 第一篇 第七条(三) 公开述职 before all the unit's professionals, (四) 考核答辩 before its experts
    # (tenant setting ``unit_procedure_steps.hearings``; ``review.procedure.hearing_record``).
    report_on = models.DateField(_("公开述职日期"), null=True, blank=True)
    report_place = models.CharField(_("述职地点及情况"), max_length=200, blank=True)
    defence_on = models.DateField(_("考核答辩日期"), null=True, blank=True)
    defence_notes = models.CharField(_("答辩地点及情况"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("推荐候选人")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "application"], name="candidate_unique_application"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id}/{self.application_id}"


class ProcedureScore(models.Model):
    """One group member's quantified score (量化赋分, 0–100) of one candidate."""

    candidate = models.ForeignKey(ProcedureCandidate, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(ReviewGroupMember, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("量化赋分")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["candidate", "member"], name="score_unique_member")]

    def __str__(self) -> str:
        return f"{self.candidate_id}/{self.member_id}: {self.score}"


class PostQuota(models.Model):
    """Vacant posts per level of a public institution (004 三(三) 岗位结构比例)."""

    procedure = models.ForeignKey(UnitProcedure, on_delete=models.CASCADE, related_name="quotas")
    level = models.CharField(_("申报级别"), max_length=20)
    vacant_posts = models.PositiveSmallIntegerField(_("空余岗位数"))

    class Meta:
        verbose_name = _("岗位结构空余数额")
        ordering = ["level"]
        constraints = [models.UniqueConstraint(fields=["procedure", "level"], name="quota_unique_level")]

    def __str__(self) -> str:
        return f"{self.level}: {self.vacant_posts}"


class Objection(NamedObjection):
    """An objection lodged by a named person during publicity, resolved with a finding."""

    procedure = models.ForeignKey(UnitProcedure, on_delete=models.CASCADE, related_name="objections")
    candidate = models.ForeignKey(ProcedureCandidate, on_delete=models.PROTECT, related_name="objections")

    class Meta:
        verbose_name = _("公示异议")
        ordering = ["id"]


class DispatchApproval(models.Model):
    """The dispatch company's approval of a dispatched applicant's application (003 二(一)2)."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="dispatch_approval"
    )
    dispatch_company = models.ForeignKey("units.Organisation", on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()
    opinion = models.CharField(_("派遣公司意见"), max_length=500)

    class Meta:
        verbose_name = _("劳务派遣公司审核")

    def __str__(self) -> str:
        return f"{self.application_id} {self.dispatch_company_id}"


# ---------------------------------------------------------------------------------------------
# Entrusted review (委托评审): 001_272b0a6ee81b04e4.txt 四 — where the city has no committee for the
# series and level, the city bureau reviews the qualification, issues a 委托代评函 and a committee
# elsewhere reviews; "未经委托评审的，评审结果无效". ``review.entrusted`` is the one writer.
# ---------------------------------------------------------------------------------------------


class EntrustedReview(models.Model):
    """The bureau's consent to entrusted review and the letter it issues (委托评审函)."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="entrustment"
    )
    tenant = models.ForeignKey("units.Tenant", on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey("units.Organisation", on_delete=models.PROTECT, related_name="+")
    authority = models.CharField(_("受托评审机构"), max_length=100)
    committee_name = models.CharField(_("受托评审委员会"), max_length=100)
    opinion = models.CharField(_("资格审查意见"), max_length=500, blank=True)
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    letter_number = models.CharField(_("委托评审函文号"), max_length=60)
    issued_on = models.DateField(_("出具日期"))
    consented_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    consented_at = models.DateTimeField()

    class Meta:
        verbose_name = _("委托评审")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "year", "serial"], name="entrusted_unique_serial"),
        ]

    def __str__(self) -> str:
        return self.letter_number


def entrusted_result_path(instance: EntrustedResult, filename: str) -> str:
    # No personal data in the stored name.
    return f"entrusted/{instance.entrustment.tenant_id}/{instance.entrustment_id}-{instance.sha256[:16]}.pdf"


class EntrustedResult(models.Model):
    """The entrusted committee's result for one committee step, with its result document."""

    entrustment = models.ForeignKey(EntrustedReview, on_delete=models.PROTECT, related_name="results")
    step = models.OneToOneField(ReviewStep, on_delete=models.PROTECT, related_name="entrusted_result")
    passed = models.BooleanField(_("评审通过"))
    decided_on = models.DateField(_("评审日期"))
    document_number = models.CharField(_("评审结果文号"), max_length=60)
    remarks = models.CharField(_("备注"), max_length=500, blank=True)
    document = models.FileField(upload_to=entrusted_result_path, max_length=200)
    document_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    transition = models.ForeignKey(
        ReviewTransition, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("委托评审结果")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.document_number


# ---------------------------------------------------------------------------------------------
# Appeals (申诉与复查): 003_c25e803c7aeb4e62.txt 六(二)3 — the applicant appeals to the competent
# department, which re-examines (复查); one who disagrees with the re-examination appeals to the
# bureau. ``review.appeals`` is the one writer.
# ---------------------------------------------------------------------------------------------


class Appeal(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("复查中")
        UPHELD = "upheld", _("维持原决定")
        REVOKED = "revoked", _("撤销原决定")

    class HandlerLevel(models.TextChoices):
        DEPARTMENT = "department", _("主管部门")
        CITY = "city", _("市人社部门")

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="appeals")
    decision = models.ForeignKey(ReviewTransition, on_delete=models.PROTECT, related_name="appeals")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handler_level = models.CharField(_("复查机关"), max_length=12, choices=HandlerLevel.choices)
    handler = models.ForeignKey("units.Organisation", on_delete=models.PROTECT, related_name="appeals")
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lodged_by_role = models.CharField(max_length=30)
    reasons = models.TextField(_("申诉理由"))
    lodged_at = models.DateTimeField(_("申诉时间"))
    due_on = models.DateField(_("复查期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    finding = models.TextField(_("复查意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reopen = models.ForeignKey(ReviewTransition, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("申诉")
        ordering = ["-lodged_at", "-id"]
        indexes = [models.Index(fields=["handler", "status"])]

    def __str__(self) -> str:
        return f"{self.application_id} {self.status}"


class PublicitySheetDates(models.Model):
    """The dates signed on an application's 公示表 as its unit entered them (003_c25e803c7aeb4e62.txt
    五(六): “本人郑重承诺”落款日期需早于公示时间；“单位审核意见”落款日期需在公示期满结束后). One row per
    application, replaced when the unit corrects it; ``review.publicity_sheet`` is the one writer."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="publicity_sheet_dates"
    )
    pledge_signed_on = models.DateField(_("“本人郑重承诺”落款日期"))
    publicity_starts_on = models.DateField(_("公示开始日期"))
    publicity_ends_on = models.DateField(_("公示结束日期"))
    unit_opinion_signed_on = models.DateField(_("“单位审核意见”落款日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("公示表落款日期")

    def __str__(self) -> str:
        return f"{self.application_id} {self.publicity_starts_on}–{self.publicity_ends_on}"


class ExceptionalAppraisal(models.Model):
    """The peer experts' appraisal of a 破格 application, commissioned by the 职改办 (002_743bb57fc6424707.txt
    第三篇 一(五)4: “参加审查评估的同行专家”一栏，由职改部门委托专家进行鉴定（中级由师职改办委托、高级由兵团
    职改办委托），个人或单位委托专家鉴定无效). Recorded by the city bureau before it approves the 破格 form
    where the tenant's document names a commissioner for the level; ``review.exceptional`` writes it."""

    approval = models.OneToOneField(
        "applications.ExceptionalPromotionApproval", on_delete=models.CASCADE, related_name="expert_appraisal"
    )
    commissioned_by = models.CharField(_("委托鉴定的职改部门"), max_length=60)
    experts = models.CharField(_("鉴定专家"), max_length=200)
    conclusion = models.TextField(_("鉴定意见"))
    appraised_on = models.DateField(_("鉴定日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("破格申报专家鉴定")

    def __str__(self) -> str:
        return f"{self.approval_id} {self.commissioned_by}"
