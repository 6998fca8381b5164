"""Adapters onto the rules app: which rule set applies to a tenant, the materials checklist of an
application (from the rule set's ``materials``), and the eligibility profile built from the
applicant's saved record.

The materials list comes from ``rules.materials.materials_checklist``; the upload limits of
each slot are built here on ``core.uploads``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.uploads import DEFAULT_RULES, SlotRules
from core.idnumbers import birth_date_from_id, gender_from_id
from rules import filing
from rules.catalog import get_rule_set, shipped_rule_set_documents
from rules.engine import RuleSetData
from rules.materials import materials_checklist

if TYPE_CHECKING:
    from applications.models import Application

# Text materials of a rule set and the application field that answers them.
TEXT_FIELDS = {
    "self_statement": "self_statement",
    "achievements": "main_achievements",
    "work_summary": "main_achievements",
}
# Materials answered by the online pledge rather than by an upload.
ONLINE_PLEDGE = {"pledge"}
EXCEPTIONAL_FORM = "exceptional_promotion_form"
ENTRUSTMENT_LETTER = "entrustment_letter"

# Slots a scan already kept in the personal record can fill (“从个人档案选用”): the slot id and
# the record list whose scans answer it. Diplomas (000 八(一); 001 二(五)4), appointment letters
# and title certificates (001 二(五)2; 004 附件1 二、5(3)).
RECORD_SCAN_SLOTS: dict[str, str] = {
    "diploma": "education",
    "diplomas": "education",
    "master_degree": "education",
    "education_proof": "education",
    "education_record": "education",
    "appointment_scan": "title",
    "appointment_letters": "title",
    "appointment_certificate": "title",
    "appointment_notice": "title",
    "title_certificate": "title",
    "yuan_certificate": "title",
    "current_title_form": "title",
    "series_change_records": "title",
}


@dataclass(frozen=True)
class Slot:
    id: str
    name: str
    required: bool
    source: str = ""
    note: str = ""
    rules: SlotRules = field(default=DEFAULT_RULES)


@dataclass(frozen=True)
class TextRequirement:
    id: str
    field: str
    name: str
    min_chars: int | None
    max_chars: int | None
    source: str = ""


def rule_set_code_for_tenant(tenant_code: str) -> str | None:
    """The rule set a tenant's applicants file under (the newest published one of the tenant)."""
    from rules.models import RuleSet

    code = (
        RuleSet.objects.filter(tenant_code=tenant_code, status=RuleSet.Status.PUBLISHED)
        .order_by("-published_at", "-id")
        .values_list("code", flat=True)
        .first()
    )
    if code:
        return code
    for document in shipped_rule_set_documents().values():
        if document["tenant_code"] == tenant_code:
            return document["code"]
    return None


# What a text field is called when the rule set names no text material answered by it.
TEXT_FIELD_LABELS = {"self_statement": gettext_lazy("本人述职"), "main_achievements": gettext_lazy("主要工作业绩")}


def text_labels(application: Application, texts: list[TextRequirement] | None = None) -> dict[str, str]:
    """Field → the name people read for it: the rule set's own name of the text material it
    answers (Tangshan's main_achievements is “任现职以来专业技术工作总结”), else the field's name.
    One name per field on the form, in its errors and on the reviewers' pages."""
    labels = {field: str(label) for field, label in TEXT_FIELD_LABELS.items()}
    if texts is None:
        try:
            _slots, texts = checklist(application)
        except LookupError:
            texts = []
    named: set[str] = set()
    for text in texts:
        if text.field in labels and text.field not in named and text.name:
            labels[text.field] = text.name
            named.add(text.field)
    return labels


def material_source(tenant_id: int, material_id: str) -> str:
    """The source a tenant's own rule set gives for one material (e.g. the 破格 form), "" when the
    tenant's rule set has no such material: a page then cites nothing rather than another city's.
    One query (the tenant's newest published rule set, found by the tenant's id)."""
    from rules.models import RuleSet
    from units.models import Tenant

    data = (
        RuleSet.objects.filter(
            tenant_code__in=Tenant.objects.filter(pk=tenant_id).values("code"), status=RuleSet.Status.PUBLISHED
        )
        .order_by("-published_at", "-id")
        .values_list("data", flat=True)
        .first()
    )
    if data is None:
        tenant = Tenant.objects.filter(pk=tenant_id).only("code").first()
        code = rule_set_code_for_tenant(tenant.code) if tenant else None
        data = shipped_rule_set_documents().get(code) if code else None
    items = (data or {}).get("materials") or []
    return next((item.get("source", "") for item in items if item.get("id") == material_id), "")


def checklist(
    application: Application, rule_set: RuleSetData | None = None
) -> tuple[list[Slot], list[TextRequirement]]:
    """The upload slots and text requirements that apply to this application, in document order.

    Materials the unit provides (``uploaded_by: unit``) and forms the system prints are left
    out: the applicant cannot supply them.

    One page asks several times (slots, blockers, unit items); the answer is kept on the instance
    for as long as the fields it depends on are unchanged.
    """
    key = (
        application.ruleset_code,
        rule_set.content_hash if rule_set else None,
        application.series,
        application.level,
        application.unit_id,
        application.unit.out_of_province_branch,
        application.exceptional_promotion,
        application.entrusted_review,
    )
    kept = application.__dict__.get("_checklist")
    if kept is not None and kept[0] == key:
        return list(kept[1]), list(kept[2])
    slots, texts = _checklist(application, rule_set)
    application.__dict__["_checklist"] = (key, slots, texts)
    return list(slots), list(texts)


def _checklist(application: Application, rule_set: RuleSetData | None) -> tuple[list[Slot], list[TextRequirement]]:
    rule_set = rule_set or get_rule_set(application.ruleset_code)
    items = materials_checklist(
        rule_set=rule_set,
        series=application.series,
        level=application.level,
        unit_kind=application.unit.unit_kind or None,
        has_title=application.applicant.titles_held.exists(),
        exceptional_promotion=application.exceptional_promotion,
        out_of_province_branch=application.unit.out_of_province_branch,
    )
    slots: list[Slot] = []
    texts: list[TextRequirement] = []
    for item in items:
        if item.uploaded_by == "unit":
            continue
        if item.kind == "text" and item.id in TEXT_FIELDS:
            texts.append(
                TextRequirement(
                    id=item.id,
                    field=TEXT_FIELDS[item.id],
                    name=item.name,
                    min_chars=item.rules.get("min_chars"),
                    max_chars=item.rules.get("max_chars"),
                    source=item.source,
                )
            )
        elif item.kind in ("attachment", "photo") and item.id not in ONLINE_PLEDGE:
            slots.append(
                Slot(
                    id=item.id,
                    name=item.name,
                    required=item.required,
                    source=item.source,
                    note=item.note,
                    rules=SlotRules.from_material(item.rules) if item.kind == "photo" else DEFAULT_RULES,
                )
            )
    ids = {slot.id for slot in slots}
    if application.exceptional_promotion and EXCEPTIONAL_FORM not in ids:
        slots.append(Slot(EXCEPTIONAL_FORM, exceptional_form_name(application.tenant), required=True))
    if application.entrusted_review and ENTRUSTMENT_LETTER not in ids:
        slots.append(Slot(ENTRUSTMENT_LETTER, _("委托评审函"), required=True))
    return slots, texts


def exceptional_form_name(tenant) -> str:
    """The 破格 form's name: the tenant's own (setting ``exceptional_promotion.form_name``, e.g. the
    Bingtuan 《破格推荐评审专业技术职务审批表》, 002 第三篇 一(五)4), else 004's."""
    from units.tenant_settings import setting

    config = (setting(tenant, "exceptional_promotion") or {}) if tenant is not None else {}
    return config.get("form_name") or _("《破格推荐专业技术职务任职资格审批表》")


def exceptional_commissioner(application: Application) -> str:
    """The 职改办 that must commission the experts' appraisal of a 破格 application of this level
    (setting ``exceptional_promotion.appraisal_commissioners``; 002 第三篇 一(五)4), or ""."""
    from units.tenant_settings import setting

    config = setting(application.tenant, "exceptional_promotion") or {}
    return (config.get("appraisal_commissioners") or {}).get(application.level, "")


@dataclass(frozen=True)
class UnitItem:
    """A checklist item the applicant's unit supplies (``uploaded_by: unit``)."""

    id: str
    name: str
    required: bool
    kind: str
    source: str = ""

    @property
    def uploadable(self) -> bool:
        return self.kind == "attachment"


def unit_items(application: Application, rule_set: RuleSetData | None = None) -> list[UnitItem]:
    """The materials the unit provides for this application (e.g. 000 八(二): 单位考核报告、年度考核表、
    职称申报推荐诚信承诺书; 001 二(五)7 年度考核登记表; 003 五(二) 用人单位考核意见)."""
    rule_set = rule_set or get_rule_set(application.ruleset_code)
    items = materials_checklist(
        rule_set=rule_set,
        series=application.series,
        level=application.level,
        unit_kind=application.unit.unit_kind or None,
        has_title=application.applicant.titles_held.exists(),
        exceptional_promotion=application.exceptional_promotion,
        out_of_province_branch=application.unit.out_of_province_branch,
    )
    return [
        UnitItem(id=item.id, name=item.name, required=item.required, kind=item.kind, source=item.source)
        for item in items
        if item.uploaded_by == "unit"
    ]


def committee_choices(application: Application) -> list:
    """The committees the applicant may choose (004 三 3): active committees of the tenant that
    judge the series × level — a 自主评审 unit's own committee only for that unit's people — by
    the same rule as ``committees.selectors.jurisdiction_for``."""
    from committees.models import Committee

    found = Committee.objects.filter(tenant_id=application.tenant_id, is_active=True).order_by("id")
    return [
        c
        for c in found
        if c.judges(application.series, application.level)
        and (c.self_review_unit_id is None or c.self_review_unit_id == application.unit_id)
    ]


def unit_materials_missing(application: Application) -> list[str]:
    """The required unit-supplied uploads not yet in place. They block the unit's approval (the
    unit uploads them with its recommendation, 000 八(二)), not the applicant's submission."""
    filled = set(application.files.filter(supplied_by_unit=True).values_list("slot", flat=True))
    return [i.name for i in unit_items(application) if i.uploadable and i.required and i.id not in filled]


def unit_approval_blocker(application: Application) -> None:
    """Raised at the unit's approval while its own materials are missing (hook in review_decide)."""
    from django.core.exceptions import ValidationError

    missing = unit_materials_missing(application)
    if missing:
        raise ValidationError(
            {"__all__": [_("请先上传单位提供的材料：%(names)s。") % {"names": _("、").join(missing)}]}
        )


def slot_by_id(application: Application, slot_id: str) -> Slot | None:
    slots, _texts = checklist(application)
    return next((slot for slot in slots if slot.id == slot_id), None)


def exceptional_approvals(application: Application):
    """Approvals of the 破格 forms currently in the application's slot, newest first."""
    from applications.models import ExceptionalPromotionApproval

    return ExceptionalPromotionApproval.objects.filter(
        application=application, file__isnull=False, file__slot=EXCEPTIONAL_FORM
    ).order_by("-requested_at", "-id")


def exceptional_approved(application: Application) -> bool:
    from applications.models import ExceptionalPromotionApproval

    return exceptional_approvals(application).filter(status=ExceptionalPromotionApproval.Status.APPROVED).exists()


# --- Filing requirements (rule set ``filing_rules``) ---------------------------------------------


def applicable_filing_rules(
    application: Application, *, series: str | None = None, level: str | None = None
) -> list[filing.FilingRule]:
    """The rule set's filing requirements for this application (or for the series and level it is
    being changed to); none when the rule set is unknown (the pre-check reports that)."""
    from rules.catalog import UnknownRuleSetError

    try:
        rule_set = get_rule_set(application.ruleset_code)
    except UnknownRuleSetError:
        return []
    return filing.filing_rules(
        rule_set,
        series=series or application.series,
        level=level or application.level,
        unit_kind=application.unit.unit_kind or None,
    )


def achievements_without_document_number(achievements) -> list[str]:
    """Titles of the achievements whose title and description cite no 文号 (001 二(五)6)."""
    return [a.title for a in achievements if not filing.cites_document_number(a.title, a.description)]


def filing_problems(application: Application) -> list[str]:
    """Why the filled-in application does not meet its rule set's filing requirements."""
    problems = []
    for rule in applicable_filing_rules(application):
        if rule.kind == filing.SPECIALTY_MATCHES:
            record = getattr(application.applicant, "personal_record", None)
            problem = filing.specialty_problem(
                current=record.current_specialty if record else "", applied=application.specialty
            )
        else:
            problem = filing.document_number_problem(
                achievements_without_document_number(application.achievements.all())
            )
        if problem:
            problems.append(problem)
    return problems


# --- Eligibility profile ------------------------------------------------------------------------


def _professional_work_since(periods: list) -> date | None:
    """Start of the continuous run of professional work that reaches today (gaps of a month or
    less between periods do not break it)."""
    professional = sorted((p for p in periods if p.professional), key=lambda p: p.start)
    if not professional or professional[-1].end is not None:
        return None
    since = professional[-1].start
    for period in reversed(professional[:-1]):
        if period.end is not None and period.end >= since - timedelta(days=31):
            since = min(since, period.start)
        else:
            break
    return since


def build_profile(application: Application, as_of: date) -> dict[str, Any]:
    """The eligibility-contract profile of the applicant's saved record, for this application."""
    person = application.applicant
    record = getattr(person, "personal_record", None)
    profile: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "target": {"series": application.series, "level": application.level},
        "education": [
            {
                "level": e.level,
                "graduated_on": e.graduated_on.isoformat(),
                "full_time": e.full_time,
                "major_related": e.major_related,
                "degree_certificate": e.degree_certificate,
            }
            for e in person.education_entries.all()
        ],
        "skills": [
            {"level": s.level, "obtained_on": s.obtained_on.isoformat()} for s in person.skill_qualifications.all()
        ],
        "titles": [
            {
                "series": t.series,
                "level": t.level,
                "obtained_on": t.obtained_on.isoformat(),
                "appointed_on": t.appointed_on.isoformat() if t.appointed_on else None,
            }
            for t in person.titles_held.all()
        ],
        "assessments": [{"year": a.year, "grade": a.grade} for a in person.annual_assessments.all()],
        "continuing_education_hours": {str(c.year): float(c.hours) for c in person.continuing_education.all()},
        # Declared by the applicant (verified by the unit; the signed pledge covers the truth).
        "sanctions": [
            {"kind": x.kind, "start": x.start.isoformat(), "end": x.end.isoformat() if x.end else None}
            for x in person.sanctions.all()
        ],
        "absences": [
            {"kind": x.kind, "start": x.start.isoformat(), "end": x.end.isoformat() if x.end else None}
            for x in person.absences.all()
        ],
        # Waivers apply once the city bureau has approved the uploaded form (004 附件 审批表).
        "exceptional_promotion_approved": application.exceptional_promotion
        and application.pk is not None
        and exceptional_approved(application),
    }
    since = _professional_work_since(list(person.work_periods.all()))
    if since is not None:
        profile["professional_work_since"] = since.isoformat()
    # The ID number carries the birth date and sex (GB 11643): the record need not repeat them.
    number = person.reveal_id_number()
    from_id = {"birth_date": birth_date_from_id(number).isoformat(), "gender": gender_from_id(number)} if number else {}
    if record is None and from_id:
        profile["person"] = from_id
    if record is not None:
        person_part = {"civil_servant": record.civil_servant, "retired": record.retired, "retirement_extended": False}
        person_part.update(from_id)
        if record.birth_date:
            person_part["birth_date"] = record.birth_date.isoformat()
        if record.gender:
            person_part["gender"] = record.gender
        profile["person"] = person_part
        employment: dict[str, Any] = {
            "has_contract": record.has_contract,
            "insured_unit_is_applying_unit": record.insured_unit_is_applying_unit,
        }
        if application.unit.unit_kind:
            employment["unit_kind"] = application.unit.unit_kind
        if record.months_in_region is not None:
            employment["months_in_region"] = record.months_in_region
        if record.social_insurance_months_in_region is not None:
            employment["social_insurance_months_in_region"] = record.social_insurance_months_in_region
        current_post = record.current_post_since or since
        if current_post:
            employment["current_post_since"] = current_post.isoformat()
        profile["employment"] = employment
    return profile
