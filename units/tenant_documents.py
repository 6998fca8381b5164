"""A city as one document (../shared/spec/tenant-contract.md): validate, apply, export.

``tenant_apply`` is the one writer of a tenant's configuration: the command, the platform admin's
upload and every tenant-admin settings page edit a document and apply it here. It validates the
whole document first (schema, then references and the database), then applies it in one
transaction; when what the tenant exports changed, it records the next ``TenantVersion`` and an
audit row. Applying the same document twice changes nothing the second time.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from guardian.shortcuts import assign_perm

from accounts.models import UNIT_ROLES, Role, User
from core.audit import audit
from core.idnumbers import validate_credit_code
from core.schemas import DocumentError, first_error
from rules.catalog import shipped_rule_set_documents, window_row_fields
from units.models import District, Organisation, Tenant, TenantVersion
from units.tenant_settings import COLUMN_SETTINGS, SCHEMA_PATH, certificate_number_problem, chain_of, defaults

TenantDocumentError = DocumentError

ROLES_AT = {
    # Which kind of organisation each staff role belongs to (None: any, or none).
    Role.UNIT_HANDLER: ("unit",),
    Role.UNIT_HEAD: ("unit",),
    Role.DEPARTMENT_REVIEWER: ("department",),
    # A tenant without counties (a district tenant) may seat its county-level reviewers at the bureau.
    Role.COUNTY_REVIEWER: ("county_bureau", "city_bureau"),
    Role.CITY_REVIEWER: ("city_bureau",),
    Role.TENANT_ADMIN: ("city_bureau",),
    Role.COMMITTEE_SECRETARY: None,
    Role.EXPERT: None,
}
LEVEL_NEEDS = {"county": "county_bureau", "city": "city_bureau"}


@dataclass
class ApplyResult:
    tenant: Tenant
    created: bool
    version: int
    changed: bool
    organisations: int
    staff_created: list[dict[str, str]] = field(default_factory=list)
    windows: int = 0
    rulesets: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tenant": self.tenant.code,
            "created": self.created,
            "version": self.version,
            "changed": self.changed,
            "organisations": self.organisations,
            "staff_created": self.staff_created,
            "windows": self.windows,
            "rulesets": self.rulesets,
        }


# --- Validation ----------------------------------------------------------------------------------


def _fail(path: str, message: str) -> None:
    raise DocumentError(path, message)


def _rule_set_document(item: Any, index: int, tenant_code: str) -> dict[str, Any]:
    path = f"rulesets[{index}]"
    if isinstance(item, str):
        document = shipped_rule_set_documents().get(item)
        if document is None:
            _fail(path, gettext("平台没有随附代码为“%(item)s”的规则集") % {"item": item})
    else:
        document = dict(item)
    document.setdefault("tenant_code", tenant_code)
    document.setdefault("version", 1)
    if document["tenant_code"] != tenant_code:
        _fail(f"{path}.tenant_code", gettext(
            "规则集属于租户“%(tenant_code)s”，不是本租户“%(tenant_code2)s”"
        ) % {"tenant_code": document['tenant_code'], "tenant_code2": tenant_code})
    try:
        from rules.validation import validate_rule_set_document
    except ImportError:  # pragma: no cover - the validator ships with the rules app
        validate_rule_set_document = None
    try:
        if validate_rule_set_document is not None:
            validate_rule_set_document(document)
        else:
            from rules.engine.ruleset import build_rule_set

            build_rule_set(document)
    except DocumentError as error:
        _fail(f"{path}.{error.path}".replace(".$", ""), error.message)
    except ValueError as error:
        inner_path = getattr(error, "path", "")
        message = getattr(error, "message", str(error))
        _fail(f"{path}.{inner_path}" if inner_path and inner_path != "$" else path, message)
    except Exception as error:
        _fail(path, gettext("规则集无法解析：%(error)s") % {"error": error})
    return document


def _check_overlaps(windows: list[dict[str, Any]]) -> None:
    """Two timed windows for the same series and levels may not take submissions at the same time:
    an applicant could not tell which batch they file in."""

    def scope_meets(a: dict[str, Any], b: dict[str, Any], key: str) -> bool:
        return not a.get(key) or not b.get(key) or bool(set(a[key]) & set(b[key]))

    timed = [(i, w) for i, w in enumerate(windows) if not w.get("recurring")]
    for n, (i, a) in enumerate(timed):
        for _j, b in timed[:n]:
            if not (scope_meets(a, b, "series") and scope_meets(a, b, "levels")):
                continue
            if _instant(a["opens_at"]) <= _instant(b["submit_closes_at"]) and _instant(b["opens_at"]) <= _instant(
                a["submit_closes_at"]
            ):
                _fail(f"windows[{i}].opens_at", gettext("与批次“%(name)s”的申报时间重叠") % {"name": b['name']})


def _check_bench(rule_set: dict[str, Any], index: int) -> None:
    """A rule set is applied as published only while every case of its test bench passes."""
    from rules.bench import run_bench

    failed = run_bench(rule_set).failed
    if failed:
        names = gettext("、").join(gettext("“%(name)s”") % {"name": outcome.name} for outcome in failed[:5])
        _fail(f"rulesets[{index}].cases", gettext("测试用例未通过：%(names)s，请先修改规则或用例") % {"names": names})


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def validate_tenant_document(document: Any) -> dict[str, Any]:
    """The document with defaults filled in, or ``DocumentError`` naming the first problem."""
    error = first_error(SCHEMA_PATH, document)
    if error is not None:
        raise error
    doc = {
        "code": document["code"],
        "name": document["name"],
        "province": document["province"],
        "authority_name": document["authority_name"],
        "region_code": document["region_code"],
        "settings": {**defaults(), **document.get("settings", {})},
        "districts": list(document.get("districts", [])),
        "organisations": list(document.get("organisations", [])),
        "staff": list(document.get("staff", [])),
        "windows": list(document.get("windows", [])),
        "rulesets": list(document.get("rulesets", [])),
    }
    if "chain" in document:
        doc["chain"] = list(document["chain"])
    code = doc["code"]

    problem = certificate_number_problem(doc["settings"]["certificate_number"])
    if problem:
        _fail("settings.certificate_number", problem.rstrip("。"))
    district_codes: set[str] = set()
    for index, district in enumerate(doc["districts"]):
        if district["code"] in district_codes:
            _fail(f"districts[{index}].code", gettext("行政区划代码“%(code)s”重复") % {"code": district['code']})
        district_codes.add(district["code"])

    kinds: dict[str, str] = {}
    credit_codes: dict[str, int] = {}
    county_districts: set[str] = set()
    for index, org in enumerate(doc["organisations"]):
        path = f"organisations[{index}]"
        if org["key"] in kinds:
            _fail(f"{path}.key", gettext("标识“%(key)s”重复") % {"key": org['key']})
        kinds[org["key"]] = org["kind"]
        if org.get("district") and org["district"] not in district_codes:
            _fail(f"{path}.district", gettext(
                "未在 districts 中列出的行政区划代码“%(district)s”"
            ) % {"district": org['district']})
        if org["kind"] == "county_bureau":
            if not org.get("district"):
                _fail(path, gettext("县（市、区）人社局须填写 district"))
            if org["district"] in county_districts:
                _fail(f"{path}.district", gettext("同一县（市、区）只能有一个人社局"))
            county_districts.add(org["district"])
        if org["kind"] == "unit" and not org.get("unit_kind"):
            _fail(path, gettext("缺少必填字段“unit_kind”（单位性质）"))
        if org["kind"] != "unit" and org.get("unit_kind"):
            _fail(f"{path}.unit_kind", gettext("只有用人单位才有单位性质"))
        if org["kind"] != "unit" and org.get("out_of_province_branch"):
            _fail(f"{path}.out_of_province_branch", gettext("只有用人单位才能标记为外省企业分公司"))
        credit = org.get("credit_code")
        if credit:
            try:
                validate_credit_code(credit)
            except ValidationError as error:
                _fail(f"{path}.credit_code", error.messages[0].rstrip("。") + "（GB 32100）")
            if credit in credit_codes:
                _fail(f"{path}.credit_code", gettext(
                    "统一社会信用代码与 organisations[%(credit_codes)s] 重复"
                ) % {"credit_codes": credit_codes[credit]})
            credit_codes[credit] = index
    for index, org in enumerate(doc["organisations"]):
        department = org.get("competent_department")
        if department:
            if org["kind"] != "unit":
                _fail(f"organisations[{index}].competent_department", gettext("只有用人单位才有主管部门"))
            if kinds.get(department) != "department":
                _fail(f"organisations[{index}].competent_department", gettext(
                    "“%(department)s”不是本文档中主管部门的标识"
                ) % {"department": department})
    if list(kinds.values()).count("city_bureau") > 1:
        _fail("organisations", gettext("只能有一个市人社局（city_bureau）"))

    usernames: set[str] = set()
    for index, person in enumerate(doc["staff"]):
        path = f"staff[{index}]"
        if person["username"] in usernames:
            _fail(f"{path}.username", gettext("用户名“%(username)s”重复") % {"username": person['username']})
        usernames.add(person["username"])
        key = person.get("organisation")
        expected = ROLES_AT[Role(person["role"])]
        if key is not None and key not in kinds:
            _fail(f"{path}.organisation", gettext("“%(key)s”不是本文档中机构的标识") % {"key": key})
        if expected is not None:
            if key is None:
                _fail(path, gettext("缺少必填字段“organisation”（该角色须属于一个机构）"))
            if kinds[key] not in expected:
                _fail(f"{path}.organisation", gettext("角色“%(label)s”须属于%(kind_label)s") % {
                    "label": Role(person['role']).label,
                    "kind_label": _kind_label(expected[0]),
                })

    chain = doc.get("chain")
    if chain is not None:
        levels = [item["level"] for item in chain]
        if not levels or levels[0] != "unit":
            _fail("chain[0].level" if levels else "chain", gettext("审核链须从用人单位（unit）开始"))
        for index, item in enumerate(chain):
            if levels.count(item["level"]) > 1:
                _fail(f"chain[{index}].level", gettext("层级“%(level)s”重复") % {"level": item['level']})
            needed = LEVEL_NEEDS.get(item["level"])
            if item["level"] == "city" and needed not in kinds.values():
                _fail(f"chain[{index}].level", gettext(
                    "审核链含市级（city），但 organisations 中没有市人社局（city_bureau）"
                ))
            if item["level"] == "committee" and item.get("deadline"):
                _fail(f"chain[{index}].deadline", gettext("评审委员会的时限由会议安排决定，不设批次截止"))
        if not any(item["level"] == "city" or item.get("final_for") for item in chain):
            _fail("chain", gettext("审核链须有终审层级：市级（city），或以 final_for 标明在某层级结束"))

    names: set[str] = set()
    for index, window in enumerate(doc["windows"]):
        path = f"windows[{index}]"
        if window["name"] in names:
            _fail(f"{path}.name", gettext("批次名称“%(name)s”重复") % {"name": window['name']})
        names.add(window["name"])
        rule = window.get("recurring")
        if rule and rule["first_day"] > rule["last_day"]:
            _fail(f"{path}.recurring.last_day", gettext("截止日不能早于开始日"))
        if not rule:
            previous = ("opens_at", _instant(window["opens_at"]))
            for key in ("submit_closes_at", "return_closes_at", "review_closes_at"):
                value = _instant(window.get(key))
                if value is None:
                    continue
                if value < previous[1]:
                    _fail(f"{path}.{key}", gettext("不能早于 %(value)s") % {"value": previous[0]})
                previous = (key, value)
            try:
                roster = _instant(window.get("roster_closes_at"))
            except ValueError:
                roster = None
                _fail(f"{path}.roster_closes_at", gettext("须为含时区的 ISO 8601 时刻，如 2024-08-29T23:59:59+08:00"))
            if roster is not None and roster.tzinfo is None:
                _fail(f"{path}.roster_closes_at", gettext("须为含时区的 ISO 8601 时刻，如 2024-08-29T23:59:59+08:00"))
            if roster is not None and roster > _instant(window["submit_closes_at"]):
                _fail(f"{path}.roster_closes_at", gettext("推荐人员名单报送截止不能晚于 submit_closes_at（申报截止）"))
        elif window.get("roster_closes_at"):
            _fail(f"{path}.roster_closes_at", gettext("每年固定批次不能设置推荐人员名单报送截止，请用定时批次"))
    _check_overlaps(doc["windows"])

    # A rule set named by code is the shipped one, to be there (a bureau's later versions stay); a
    # full document is to be the version in force. Either must pass its bench (rules.bench).
    doc["shipped_rulesets"] = sorted(item for item in doc["rulesets"] if isinstance(item, str))
    doc["rulesets"] = [_rule_set_document(item, index, code) for index, item in enumerate(doc["rulesets"])]
    for index, rule_set in enumerate(doc["rulesets"]):
        _check_bench(rule_set, index)
    seen_codes: set[str] = set()
    for index, rule_set in enumerate(doc["rulesets"]):
        if rule_set["code"] in seen_codes:
            _fail(f"rulesets[{index}].code", gettext("规则集代码“%(code)s”重复") % {"code": rule_set['code']})
        seen_codes.add(rule_set["code"])
    _check_against_database(doc)
    return doc


def _kind_label(kind: str) -> str:
    return str(Organisation.Kind(kind).label)


def _check_against_database(doc: dict[str, Any]) -> None:
    """What only the database can refuse: names other tenants already hold."""
    from rules.models import RuleSet

    tenant = Tenant.objects.filter(code=doc["code"]).first()
    tenant_id = tenant.pk if tenant else None
    for index, person in enumerate(doc["staff"]):
        other = User.objects.filter(username=person["username"]).values("tenant_id", "role").first()
        if other and (other["tenant_id"] != tenant_id or other["role"] in (Role.APPLICANT, Role.PLATFORM_ADMIN)):
            taken = gettext("用户名“%(username)s”已被其他账号使用") % {"username": person["username"]}
            _fail(f"staff[{index}].username", taken)
    for index, org in enumerate(doc["organisations"]):
        credit = org.get("credit_code")
        if credit:
            holder = Organisation.objects.filter(credit_code=credit).exclude(tenant_id=tenant_id).first()
            if holder is not None:
                _fail(f"organisations[{index}].credit_code", gettext("统一社会信用代码已被其他地区的单位使用"))
    for index, rule_set in enumerate(doc["rulesets"]):
        owner = RuleSet.objects.filter(code=rule_set["code"]).exclude(tenant_code=doc["code"]).first()
        if owner is not None:
            _fail(f"rulesets[{index}].code", gettext("规则集代码“%(code)s”已属于其他租户") % {"code": rule_set['code']})


# --- Apply ---------------------------------------------------------------------------------------


def _find_organisation(tenant: Tenant, spec: dict[str, Any]) -> Organisation | None:
    existing = Organisation.objects.filter(tenant=tenant)
    found = existing.filter(key=spec["key"]).first()
    if found is None and spec.get("credit_code"):
        found = existing.filter(credit_code=spec["credit_code"]).first()
    if found is None:
        found = existing.filter(key="", kind=spec["kind"], name=spec["name"]).first()
    return found


def _apply_organisations(tenant: Tenant, doc: dict[str, Any]) -> dict[str, Organisation]:
    from units.services import managing_authority

    districts = {d.code: d for d in District.objects.filter(tenant=tenant)}
    by_key: dict[str, Organisation] = {}
    # Bureaus and departments first: units refer to them.
    ordered = sorted(doc["organisations"], key=lambda spec: spec["kind"] == "unit")
    for spec in ordered:
        org = _find_organisation(tenant, spec) or Organisation(tenant=tenant)
        org.key = spec["key"]
        org.kind = spec["kind"]
        org.name = spec["name"]
        org.district = districts.get(spec["district"]) if spec.get("district") else None
        org.unit_kind = spec.get("unit_kind", "")
        org.credit_code = spec.get("credit_code", "")
        org.out_of_province_branch = bool(spec.get("out_of_province_branch", False))
        org.competent_department = (
            by_key.get(spec["competent_department"]) if spec.get("competent_department") else None
        )
        for name in ("contact_name", "contact_phone", "address"):
            if name in spec:
                setattr(org, name, spec[name])
        if org.kind == Organisation.Kind.UNIT:
            # Units listed in the document are the city's existing units: approved at once.
            org.status = Organisation.Status.APPROVED
        by_key[spec["key"]] = org
        if org.kind != Organisation.Kind.UNIT:
            org.save()
    for spec in ordered:
        org = by_key[spec["key"]]
        if org.kind == Organisation.Kind.UNIT:
            if org.managed_by_id is None:
                org.save()  # an id first, in case the managing authority is looked up by tenant
                org.managed_by = managing_authority(
                    tenant=tenant,
                    unit_kind=org.unit_kind,
                    district=org.district,
                    competent_department=org.competent_department,
                )
            org.save()
    return by_key


def _apply_staff(tenant: Tenant, doc: dict[str, Any], orgs: dict[str, Organisation]) -> list[dict[str, str]]:
    created: list[dict[str, str]] = []
    for spec in doc["staff"]:
        user = User.objects.filter(username=spec["username"]).first()
        org = orgs.get(spec.get("organisation")) if spec.get("organisation") else None
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User(username=spec["username"], password=make_password(password), must_change_password=True)
            created.append({"username": spec["username"], "password": password})
        user.full_name = spec["name"]
        user.role = spec["role"]
        user.tenant = tenant
        user.organisation = org
        user.phone = spec.get("phone", user.phone)
        user.email = spec.get("email", user.email)
        user.is_active = spec.get("active", True)
        user.save()
        if user.role in UNIT_ROLES and org is not None and not user.has_perm("units.manage_unit", org):
            assign_perm("units.manage_unit", user, org)
    return created


def _apply_windows(tenant: Tenant, doc: dict[str, Any]) -> int:
    from rules.models import DeclarationWindow

    names = []
    for window in doc["windows"]:
        fields = window_row_fields(window)
        row = DeclarationWindow.objects.filter(tenant_code=tenant.code, name=window["name"]).first()
        if row is None:
            DeclarationWindow.objects.create(tenant_code=tenant.code, name=window["name"], **fields)
        elif any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
        names.append(window["name"])
    DeclarationWindow.objects.filter(tenant_code=tenant.code).exclude(name__in=names).delete()
    return len(names)


def _without_version(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "version"}


def _apply_rulesets(tenant: Tenant, doc: dict[str, Any]) -> list[str]:
    from django.utils import timezone

    from rules.engine.ruleset import content_hash
    from rules.models import RuleSet

    codes = []
    for data in doc["rulesets"]:
        versions = RuleSet.objects.filter(code=data["code"])
        latest = versions.order_by("-version").values_list("version", flat=True).first()
        if data["code"] in doc.get("shipped_rulesets", ()) and latest is not None:
            codes.append(data["code"])  # named by code: there already, with whatever the bureau published since
            continue
        in_force = versions.filter(status=RuleSet.Status.PUBLISHED).order_by("-version").first()
        if in_force is None or _without_version(in_force.data) != _without_version(data):
            version = max((latest or 0) + 1, int(data.get("version", 1)))
            stored = {**data, "version": version}
            RuleSet.objects.create(
                code=data["code"],
                tenant_code=tenant.code,
                version=version,
                status=RuleSet.Status.PUBLISHED,
                name=data.get("name", data["code"])[:120],
                source_document=str(data.get("source_document", ""))[:120],
                document_number=str(data.get("document_number", ""))[:120],
                effective_from=data.get("effective_from"),
                effective_to=data.get("effective_to"),
                data=stored,
                content_hash=content_hash(stored),
                published_at=timezone.now(),
            )
        codes.append(data["code"])
    return codes


def tenant_apply(*, document: Any, actor: User | None = None, note: str = "", request=None) -> ApplyResult:
    """Validate ``document`` whole, then create or update the tenant it describes, in one transaction."""
    doc = validate_tenant_document(document)
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().filter(code=doc["code"]).first()
        created = tenant is None
        tenant = tenant or Tenant(code=doc["code"])
        for name in ("name", "province", "authority_name", "region_code"):
            setattr(tenant, name, doc[name])
        settings = doc["settings"]
        for name in COLUMN_SETTINGS:
            setattr(tenant, name, settings[name])
        tenant.settings = {name: value for name, value in settings.items() if name not in COLUMN_SETTINGS}
        if "chain" in doc:
            tenant.chain = doc["chain"]
        tenant.save()
        for district in doc["districts"]:
            District.objects.update_or_create(tenant=tenant, code=district["code"], defaults={"name": district["name"]})
        orgs = _apply_organisations(tenant, doc)
        staff_created = _apply_staff(tenant, doc, orgs)
        windows = _apply_windows(tenant, doc)
        rulesets = _apply_rulesets(tenant, doc)

        exported = tenant_export(tenant=tenant)
        latest = TenantVersion.objects.filter(tenant=tenant).order_by("-number").first()
        changed = latest is None or latest.document != exported
        if changed:
            number = (latest.number if latest else 0) + 1
            TenantVersion.objects.create(
                tenant=tenant, number=number, document=exported, note=note[:200], created_by=actor
            )
            tenant.version = number
            tenant.save(update_fields=["version"])
            audit(
                action="tenant_apply",
                actor=actor,
                target=tenant,
                request=request,
                version=number,
                created=created,
                staff_created=[item["username"] for item in staff_created],
                note=note[:200],
            )
    return ApplyResult(
        tenant=tenant,
        created=created,
        version=tenant.version,
        changed=changed,
        organisations=len(doc["organisations"]),
        staff_created=staff_created,
        windows=windows,
        rulesets=rulesets,
    )


# --- Export --------------------------------------------------------------------------------------


def _org_key(org: Organisation) -> str:
    return org.key or f"org-{org.pk}"


def _iso(value: datetime | None) -> str | None:
    from rules.windows import CST

    return value.astimezone(CST).isoformat() if value else None


def _export_window(row) -> dict[str, Any]:
    item: dict[str, Any] = {"name": row.name}
    if row.recurrence:
        item["recurring"] = row.recurrence
    else:
        for name in ("opens_at", "submit_closes_at", "return_closes_at", "review_closes_at", "roster_closes_at"):
            value = _iso(getattr(row, name))
            if value:
                item[name] = value
    if row.source:
        item["source"] = row.source
    if row.series:
        item["series"] = row.series
    if row.levels:
        item["levels"] = row.levels
    return item


def tenant_export(*, tenant: Tenant) -> dict[str, Any]:
    """The tenant's current document: ``tenant_apply`` accepts it and it reproduces the tenant
    (staff appear without passwords; organisations without a key get ``org-<id>``)."""
    from rules.models import DeclarationWindow, RuleSet

    orgs = list(
        Organisation.objects.filter(tenant=tenant)
        .exclude(kind=Organisation.Kind.UNIT, status__in=[Organisation.Status.PENDING, Organisation.Status.REJECTED])
        .select_related("district", "competent_department")
        .order_by("id")
    )
    keys = {org.pk: _org_key(org) for org in orgs}
    organisations = []
    for org in orgs:
        item: dict[str, Any] = {"key": keys[org.pk], "kind": org.kind, "name": org.name}
        if org.district_id:
            item["district"] = org.district.code
        if org.unit_kind:
            item["unit_kind"] = org.unit_kind
        if org.credit_code:
            item["credit_code"] = org.credit_code
        if org.out_of_province_branch:
            item["out_of_province_branch"] = True
        if org.competent_department_id and org.competent_department_id in keys:
            item["competent_department"] = keys[org.competent_department_id]
        for name in ("contact_name", "contact_phone", "address"):
            if getattr(org, name):
                item[name] = getattr(org, name)
        organisations.append(item)
    staff = []
    people = (
        User.objects.filter(tenant=tenant, username__isnull=False, is_service_account=False)
        .exclude(role__in=[Role.APPLICANT, Role.PLATFORM_ADMIN])
        .order_by("id")
    )
    for person in people:
        if person.organisation_id is not None and person.organisation_id not in keys:
            continue  # staff of a unit whose registration is still pending
        item = {"username": person.username, "role": person.role, "name": person.full_name}
        if person.organisation_id:
            item["organisation"] = keys[person.organisation_id]
        if person.phone:
            item["phone"] = person.phone
        if person.email:
            item["email"] = person.email
        if not person.is_active:
            item["active"] = False
        staff.append(item)
    settings = {name: getattr(tenant, name) for name in COLUMN_SETTINGS}
    settings.update(
        {name: tenant.settings.get(name, value) for name, value in defaults().items() if name not in COLUMN_SETTINGS}
    )
    rulesets = []
    for code in (
        RuleSet.objects.filter(tenant_code=tenant.code, status=RuleSet.Status.PUBLISHED)
        .order_by("code")
        .values_list("code", flat=True)
        .distinct()
    ):
        newest = RuleSet.objects.filter(code=code, status=RuleSet.Status.PUBLISHED).order_by("-version").first()
        rulesets.append(newest.data)
    document: dict[str, Any] = {
        "code": tenant.code,
        "name": tenant.name,
        "province": tenant.province,
        "authority_name": tenant.authority_name,
        "region_code": tenant.region_code,
        "settings": settings,
        "districts": [
            {"code": d.code, "name": d.name} for d in District.objects.filter(tenant=tenant).order_by("code")
        ],
        "organisations": organisations,
        "staff": staff,
        "chain": chain_of(tenant),
        "windows": [
            _export_window(row) for row in DeclarationWindow.objects.filter(tenant_code=tenant.code).order_by("id")
        ],
        "rulesets": rulesets,
    }
    return document
