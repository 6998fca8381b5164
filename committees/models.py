"""Review committees (评审委员会): jurisdiction, expert pool, meetings, agenda, draw and votes.

Sources: 001_272b0a6ee81b04e4.txt 四 (entrusted review where the city has no authority; 自主评审 units),
五(三) (expert pool under dynamic management: 中青年 share, 市外 experts, retired / out of specialty /
failing experts removed), 五(四) (plan filed ≥5 working days before the meeting, no meeting across
years, results and minutes within 5 working days, results published); 002_743bb57fc6424707.txt
(卫东区 6、7: committees formed per series, results published for one month); 004_318552047dacbbf4.txt
一(五) (entrusted review needs the bureau's consent) and 三 3 (the applicant chooses the committee).

The rows record what happened; ``committees.services`` is the one writer.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.models import LEVEL_CHOICES, SERIES_CHOICES
from core.models import NamedObjection

# 中青年专家: under this age on the day of the meeting (001 五(三)).
YOUNG_AGE = 45


class Committee(models.Model):
    """One committee of one tenant and the series × levels it may judge (its jurisdiction)."""

    tenant = models.ForeignKey("units.Tenant", on_delete=models.PROTECT, related_name="committees")
    name = models.CharField(_("评委会名称"), max_length=120)
    host = models.ForeignKey(
        "units.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_committees",
        verbose_name=_("承办部门"),
    )
    # A 职称自主评审单位's own committee judges only that unit's applicants (001 四).
    self_review_unit = models.ForeignKey(
        "units.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="self_review_committees",
        verbose_name=_("自主评审单位"),
    )
    series = models.JSONField(_("评审系列"), default=list)
    levels = models.JSONField(_("评审级别"), default=list)
    filing_number = models.CharField(_("核准备案文号"), max_length=60, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评审委员会")
        ordering = ["tenant_id", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def series_labels(self) -> str:
        names = dict(SERIES_CHOICES)
        return gettext("、").join(gettext(str(names.get(code, code))) for code in self.series)

    @property
    def level_labels(self) -> str:
        names = dict(LEVEL_CHOICES)
        return gettext("、").join(gettext(str(names.get(code, code))) for code in self.levels)

    def judges(self, series: str, level: str) -> bool:
        return self.is_active and series in self.series and level in self.levels


class Expert(models.Model):
    """An expert in the pool (专家库): a user with Role.EXPERT and the facts selection depends on."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("在库")
        RETIRED = "retired", _("已退休")
        LEFT_SPECIALTY = "left_specialty", _("已脱离专业技术岗位")
        REMOVED = "removed", _("因故调整出库")

    tenant = models.ForeignKey("units.Tenant", on_delete=models.PROTECT, related_name="experts")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_profile")
    committees = models.ManyToManyField(Committee, related_name="experts", blank=True, verbose_name=_("所属评委会"))
    series = models.CharField(_("专业所属系列"), max_length=30, choices=SERIES_CHOICES)
    specialty = models.CharField(_("专业"), max_length=60)
    title_name = models.CharField(_("职称"), max_length=60)
    unit = models.ForeignKey(
        "units.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("工作单位（本市）"),
    )
    unit_name = models.CharField(_("工作单位"), max_length=120)
    is_external = models.BooleanField(_("市外专家"), default=False)
    birth_date = models.DateField(_("出生日期"))
    retirement_age = models.PositiveSmallIntegerField(_("退休年龄"), default=60)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField(_("调整原因"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评审专家")
        ordering = ["tenant_id", "id"]

    def __str__(self) -> str:
        return self.user.display_name

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def retires_on(self) -> date:
        born = self.birth_date
        try:
            return born.replace(year=born.year + self.retirement_age)
        except ValueError:  # born on 29 February
            return born.replace(year=born.year + self.retirement_age, day=28)

    def is_young(self, day: date) -> bool:
        return self.age_on(day) < YOUNG_AGE

    def is_retired(self, day: date) -> bool:
        return self.status == self.Status.RETIRED or day >= self.retires_on()


class Meeting(models.Model):
    """One review meeting: the filed plan, the drawn experts, the online vote, minutes and results."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("已报备评审方案")
        DRAWN = "drawn", _("已抽取专家，表决中")
        CLOSED = "closed", _("会议已结束")
        REPORTED = "reported", _("结果已报送并公示")
        WITHDRAWN = "withdrawn", _("评审方案已撤回")

    tenant = models.ForeignKey("units.Tenant", on_delete=models.PROTECT, related_name="committee_meetings")
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("会议名称"), max_length=120)
    location = models.CharField(_("会议地点"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    expert_count = models.PositiveSmallIntegerField(_("抽取专家人数"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    plan_filed_at = models.DateTimeField(_("方案报备时间"))
    plan_filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    draw_seed = models.CharField(_("抽取随机种子"), max_length=64, blank=True)
    draw_record = models.JSONField(_("抽取记录"), default=dict, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    discussion = models.TextField(_("评委会讨论意见"), blank=True)
    report_due_on = models.DateField(_("结果报送截止日"), null=True, blank=True)
    reported_at = models.DateTimeField(_("结果报送时间"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("公示截止日"), null=True, blank=True)
    minutes_pdf = models.FileField(_("会议纪要"), upload_to="committees/minutes/", blank=True)
    minutes_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("评审会议")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["tenant", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def meeting_day(self) -> date:
        """The local (Beijing time) day the meeting is held: voting opens on it, not before."""
        from rules.windows import CST

        return self.starts_at.astimezone(CST).date()

    @property
    def is_open_plan(self) -> bool:
        """The plan may still be edited or withdrawn: no expert has been drawn yet."""
        return self.status == self.Status.PLANNED

    @property
    def report_is_late(self) -> bool:
        if self.report_due_on is None or self.reported_at is None:
            return False
        from rules.windows import CST

        return self.reported_at.astimezone(CST).date() > self.report_due_on


class MeetingExpert(models.Model):
    """An expert drawn for one meeting; only the secretary marks attendance."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="assignments")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    draw_order = models.PositiveSmallIntegerField()
    present = models.BooleanField(_("出席"), default=True)

    class Meta:
        verbose_name = _("参会专家")
        ordering = ["meeting_id", "draw_order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "expert"], name="meeting_expert_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.expert_id}"


class AgendaItem(models.Model):
    """One application on a meeting's agenda, with the frozen snapshot the experts judge."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待表决")
        PASSED = "passed", _("评审通过")
        FAILED = "failed", _("评审未通过")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey("applications.Submission", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    outcome = models.CharField(_("评审结果"), max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    present = models.PositiveSmallIntegerField(_("出席专家"), default=0)
    agree = models.PositiveSmallIntegerField(_("同意"), default=0)
    disagree = models.PositiveSmallIntegerField(_("不同意"), default=0)
    abstain = models.PositiveSmallIntegerField(_("弃权"), default=0)

    class Meta:
        verbose_name = _("评审议题")
        ordering = ["meeting_id", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "application"], name="agenda_item_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.application_id}"

    @property
    def tally(self) -> str:
        return gettext("出席%(present)s人，同意%(agree)s票，不同意%(disagree)s票，弃权（含未投）%(abstain)s票") % {
            "present": self.present, "agree": self.agree, "disagree": self.disagree, "abstain": self.abstain,
        }


class Vote(models.Model):
    """One expert's secret vote on one agenda item; changeable only while the meeting is open."""

    class Choice(models.TextChoices):
        AGREE = "agree", _("同意")
        DISAGREE = "disagree", _("不同意")
        ABSTAIN = "abstain", _("弃权")

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="votes")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("表决意见"), max_length=8, choices=Choice.choices)
    cast_at = models.DateTimeField()

    class Meta:
        verbose_name = _("表决票")
        constraints = [models.UniqueConstraint(fields=["item", "expert"], name="vote_unique")]

    def __str__(self) -> str:
        # Never the choice: a vote is secret.
        return f"{self.item_id}/{self.expert_id}"


class ConfidentialityPledge(models.Model):
    """The 保密承诺书 one person signs for one meeting before seeing any of its files
    (001_272b0a6ee81b04e4.txt 五(一): 评审专家和工作人员要签订保密承诺书)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="pledges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(_("签名"), max_length=60)
    text_version = models.CharField(max_length=20)
    signed_at = models.DateTimeField(_("签署时间"))
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("保密承诺书")
        ordering = ["meeting_id", "signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="pledge_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.user_id}"


class PublicityObjection(NamedObjection):
    """An objection to a committee result lodged by a named person while the result is published
    (001 五(四) 同步上网公示评审结果), resolved with the finding of the investigation."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="objections")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="objections")

    class Meta:
        verbose_name = _("评审结果公示异议")
        ordering = ["id"]
