from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import chinese_date


class Tenant(models.Model):
    """A city- or district-level HR authority with its own rules, windows and chain settings."""

    class InitialPassword(models.TextChoices):
        ID_LAST_SIX = "id_last_six", _("身份证号后六位")
        SET_BY_UNIT = "set_by_unit", _("由单位设置")

    code = models.SlugField(_("租户代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    province = models.CharField(_("省份"), max_length=40)
    authority_name = models.CharField(_("职称主管机关"), max_length=100)
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    initial_password = models.CharField(
        _("申报人初始密码"), max_length=20, choices=InitialPassword.choices, default=InitialPassword.ID_LAST_SIX
    )
    max_returns_per_year = models.PositiveSmallIntegerField(
        _("每年退回次数上限"), null=True, blank=True, help_text=_("达到后当年不得再申报；为空表示不限")
    )
    review_group_min_size = models.PositiveSmallIntegerField(_("单位评议组最少人数"), default=5)
    publicity_working_days = models.PositiveSmallIntegerField(_("公示工作日数"), default=5)
    fraud_ban_years = models.PositiveSmallIntegerField(_("失信限制申报年限"), default=3)
    # 002 第七条、第八条 (Tangshan/Hebei), 003 二(一)2 (Kunming), 004 三(三) (Huzhou): the unit's
    # own group, scoring, publicity and recommendation list come before the unit may approve.
    unit_procedure_required = models.BooleanField(
        _("单位推荐须经评审推荐程序"), default=False, help_text=_("评议组、量化赋分、公示、推荐名单")
    )
    # The tenant document's other settings (units/schema/tenant.schema.json ``settings``); read them
    # through ``units.tenant_settings.setting`` so that every one has its schema default.
    settings = models.JSONField(_("其他设置"), default=dict, blank=True)
    # The review chain as data (tenant contract ``chain``); empty means the platform's default chain.
    chain = models.JSONField(_("审核链"), default=list, blank=True)
    # The number of the tenant document's newest version (``TenantVersion``); 0 before the first.
    version = models.PositiveIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("租户")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class TenantVersion(models.Model):
    """One version of a tenant's document, as exported after the change that made it.

    Every ``tenant_apply`` (command, upload or page) that changes what the tenant exports writes
    the next version; the rows are never changed, so any two can be compared."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    document = models.JSONField(_("租户文档"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("租户文档版本")
        ordering = ["tenant_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["tenant", "number"], name="tenant_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.tenant_id} v{self.number}"


class District(models.Model):
    """A county, county-level city or district (县、市、区) inside a tenant."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="districts")
    code = models.CharField(_("行政区划代码"), max_length=6)
    name = models.CharField(_("名称"), max_length=60)

    class Meta:
        verbose_name = _("县（市、区）")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="district_unique_code")]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """HR bureaus, competent departments and units (employers) of one tenant."""

    class Kind(models.TextChoices):
        CITY_BUREAU = "city_bureau", _("市人社局")
        COUNTY_BUREAU = "county_bureau", _("县（市、区）人社局")
        DEPARTMENT = "department", _("主管部门")
        UNIT = "unit", _("用人单位")

    class UnitKind(models.TextChoices):
        PUBLIC_INSTITUTION = "public_institution", _("事业单位")
        STATE_OWNED = "state_owned", _("国有企业")
        NON_PUBLIC = "non_public", _("非公经济组织")
        SOCIAL_ORG = "social_org", _("社会组织")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="organisations")
    # The tenant document's handle for this organisation (``organisations[].key``).
    key = models.CharField(_("文档标识"), max_length=60, blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=120)
    district = models.ForeignKey(
        District,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("注册所在县（市、区）"),
    )
    unit_kind = models.CharField(_("单位性质"), max_length=20, choices=UnitKind.choices, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    # A branch registered here of a company of another province (not a central, provincial or city
    # unit): its applicants attach the parent company's recommendation report where the rule set
    # asks for it (material ``when.out_of_province_branch``; 003 三(一)2, 五(五)2(5)).
    out_of_province_branch = models.BooleanField(
        _("外省企业分公司"),
        default=False,
        help_text=_("在本地工商登记的外省企业分公司（不含中央、省属和市属单位）"),
    )
    competent_department = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_units",
        limit_choices_to={"kind": "department"},
        verbose_name=_("主管部门"),
    )
    managed_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_units",
        verbose_name=_("管理机构"),
        help_text=_("谁创建谁管理：审核该单位注册并管理其账号的部门"),
    )
    status = models.CharField(_("账号状态"), max_length=10, choices=Status.choices, default=Status.APPROVED)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    rejection_reasons = models.JSONField(_("退回原因"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("机构")
        ordering = ["tenant_id", "kind", "id"]
        permissions = [("manage_unit", "管理单位人员与材料")]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="organisation_unique_credit_code"
            ),
            models.UniqueConstraint(
                fields=["tenant", "key"], condition=~models.Q(key=""), name="organisation_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "kind", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_unit(self) -> bool:
        return self.kind == self.Kind.UNIT

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class RegistrationDocument(models.Model):
    """A supporting scan (business licence, legal-person certificate) of a unit's registration."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="registration_documents")
    title = models.CharField(_("材料名称"), max_length=60)
    file = models.FileField(upload_to="registration/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("单位注册材料")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class RosterImport(models.Model):
    """A unit's Excel roster of applicants, validated row by row and imported all or nothing."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("有错误，未导入")

    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roster_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="rosters/%Y/%m/")
    original_name = models.CharField(max_length=200)
    initial_password_encrypted = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("花名册导入")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def progress_percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.FAILED):
            return 100
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0


class FilingRestriction(models.Model):
    """A person or unit that may not file (or recommend) until a date: the year closed after too
    many returns (003 三), or an integrity finding (002, 003, 004: 2–3 years). Review writes it;
    filing reads it, so neither imports the other."""

    class Kind(models.TextChoices):
        RETURN_LIMIT = "return_limit", _("退回修改次数达到上限，本年度不再受理")
        INTEGRITY = "integrity", _("弄虚作假，记入诚信档案")

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="filing_restrictions")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="filing_restrictions"
    )
    unit = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="filing_restrictions"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("原因"), max_length=200)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申报限制")
        ordering = ["-ends_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(unit__isnull=False), name="restriction_has_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（至{chinese_date(self.ends_on)}）"


class DispatchPlacement(models.Model):
    """A labour-dispatch (劳务派遣) worker: employed by a dispatch company, working at a user unit.

    003 二(一)2: dispatched applicants need "双公示、双审核、双盖章" by the dispatch company and
    the user unit. The person files through the user unit (their ``organisation``); the company's
    approval is recorded per application in ``review.DispatchApproval``."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dispatch_placements")
    dispatch_company = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="dispatched_people", verbose_name=_("劳务派遣公司")
    )
    user_unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="dispatch_placements", verbose_name=_("用工单位")
    )
    starts_on = models.DateField(_("派遣开始日期"))
    ends_on = models.DateField(_("派遣结束日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("劳务派遣关系")
        ordering = ["-starts_on", "id"]
        indexes = [models.Index(fields=["person", "user_unit"])]

    def __str__(self) -> str:
        return f"{self.dispatch_company} → {self.user_unit}"
