from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import crypto
from core.idnumbers import DOCUMENT_TYPES, document_type, mask_id_number, nationality_from_id, nationality_name


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报人")
    UNIT_HANDLER = "unit_handler", _("单位经办人")
    UNIT_HEAD = "unit_head", _("单位负责人")
    DEPARTMENT_REVIEWER = "department_reviewer", _("主管部门审核人")
    COUNTY_REVIEWER = "county_reviewer", _("县（市、区）人社审核人")
    CITY_REVIEWER = "city_reviewer", _("市人社审核人")
    COMMITTEE_SECRETARY = "committee_secretary", _("评委会秘书")
    EXPERT = "expert", _("评审专家")
    TENANT_ADMIN = "tenant_admin", _("市人社局管理员")
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")


UNIT_ROLES = frozenset({Role.UNIT_HANDLER, Role.UNIT_HEAD})
BUREAU_ROLES = frozenset({Role.DEPARTMENT_REVIEWER, Role.COUNTY_REVIEWER, Role.CITY_REVIEWER, Role.TENANT_ADMIN})


class PersonnelNature(models.TextChoices):
    ESTABLISHED = "established", _("在编")
    PERSONNEL_AGENCY = "personnel_agency", _("人事代理")
    LABOUR_DISPATCH = "labour_dispatch", _("劳务派遣")
    OTHER = "other", _("其他")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(username=username)

    def create_user(self, username: str, password: str | None = None, **fields):
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **fields):
        fields.setdefault("role", Role.PLATFORM_ADMIN)
        fields.setdefault("full_name", username)
        return self.create_user(username, password, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who logs in. Applicants by ID number, staff by username.

    The ID number is stored only encrypted, with a keyed digest for lookup and a masked copy
    for display; the full number is decrypted only for the audited reveal.
    """

    username = models.CharField(_("用户名"), max_length=60, unique=True, null=True, blank=True)
    full_name = models.CharField(_("姓名"), max_length=60)
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices, db_index=True)
    tenant = models.ForeignKey("units.Tenant", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    organisation = models.ForeignKey(
        "units.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    id_number_encrypted = models.TextField(blank=True)
    id_number_digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True)
    # Derived from the number by ``set_id_number`` (001_272b0a6ee81b04e4.txt 一(二): 港澳台 residents
    # and foreign permanent residents file too); blank for staff, who log in by username.
    id_document_type = models.CharField(_("证件类型"), max_length=30, choices=DOCUMENT_TYPES.items(), blank=True)
    nationality = models.CharField(_("国籍代码"), max_length=3, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    personnel_nature = models.CharField(_("人员性质"), max_length=20, choices=PersonnelNature.choices, blank=True)
    green_channel = models.BooleanField(_("绿色通道"), default=False)
    green_channel_approval = models.CharField(_("绿色通道批准文件"), max_length=120, blank=True)
    must_change_password = models.BooleanField(default=False)
    # A tenant's program (``accounts.service_accounts``): acts only through its API tokens, in the
    # remit of its role and organisation; it has no usable password and the login form refuses it.
    is_service_account = models.BooleanField(_("服务账号"), default=False, editable=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("用户")
        ordering = ["id"]
        indexes = [models.Index(fields=["organisation", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(username__isnull=True, id_number_digest__isnull=True),
                name="user_has_login_name",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username or self.id_number_masked

    @property
    def login_name(self) -> str:
        return self.username or self.id_number_masked

    @property
    def is_staff(self) -> bool:
        # No Django admin is mounted; "staff" means every role other than applicant, for the
        # idle-timeout and two-factor rules.
        return self.role != Role.APPLICANT

    @property
    def is_applicant(self) -> bool:
        return self.role == Role.APPLICANT

    def set_id_number(self, number: str) -> None:
        """Store an already validated ID number: encrypted, digested and masked, with the document
        type and nationality it carries (``core.idnumbers.document_type``)."""
        self.id_number_encrypted = crypto.encrypt(number)
        self.id_number_digest = crypto.digest(number)
        self.id_number_masked = mask_id_number(number)
        self.id_document_type = document_type(number)
        self.nationality = nationality_from_id(number)

    @property
    def nationality_label(self) -> str:
        return nationality_name(self.nationality)

    def reveal_id_number(self) -> str:
        """Decrypt the ID number. Call only through ``accounts.services.id_number_reveal``."""
        return crypto.decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""


class TokenScope(models.TextChoices):
    """What a program may do with an API token (always within what its owner may do)."""

    READ_APPLICATIONS = "applications:read", _("读取申报、审核队列与统计")
    REVIEW = "review", _("审核（通过、退回、不通过）与诚信记录")
    ISSUE_CERTIFICATES = "certificates:issue", _("发放、撤销、补发换发证书与收费")
    MANAGE_TENANT = "tenant:manage", _("管理本地区设置（租户文档、申报批次）")


class ApiToken(models.Model):
    """A named token a program presents as ``Authorization: Bearer zc_…``. Only a keyed digest of
    the secret is stored; the secret is shown once, when the token is created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(pgettext_lazy("API token", "名称"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("权限范围"), default=list)
    expires_at = models.DateTimeField(_("有效期至"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(TokenScope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]
