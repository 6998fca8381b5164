"""The check kinds a rule set can use.

Every kind is a pure function ``(spec, ctx) -> CheckResult``. A failing result carries
``satisfied_on`` when time alone makes it pass (months still to serve, a sanction that
expires); ``None`` means time cannot help (an exclusion, a missing degree, a wrong series, a
missing field). Messages are Chinese and name the numbers involved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rules.engine import vocab
from rules.engine.dates import add_months, cn_date, first_of_next_month, months_completed, year_end
from rules.engine.profile import Education, Profile, Title
from rules.engine.retirement import statutory_retirement
from rules.engine.ruleset import CheckSpec


@dataclass(slots=True)
class CheckResult:
    code: str
    passed: bool | None
    message: str
    source: str
    satisfied_on: date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "passed": self.passed, "message": self.message, "source": self.source}


@dataclass(frozen=True, slots=True)
class Context:
    profile: Profile
    as_of: date

    def extrapolated(self, count: int) -> int:
        """A month count given at ``profile.as_of``, carried to ``as_of`` (continuous)."""
        if self.as_of >= self.profile.as_of:
            return count + months_completed(self.profile.as_of, self.as_of)
        return max(count - months_completed(self.as_of, self.profile.as_of), 0)

    @property
    def record_year(self) -> int:
        """The year whose preceding annual records (assessments, hours) can be on file.

        Projecting the profile forward must not demand a record for a year that had not
        ended when the profile was written: those are assumed to follow, like the months.
        """
        return min(self.as_of.year, self.profile.as_of.year)

    def count_reached_on(self, count: int, required: int) -> date:
        return add_months(self.profile.as_of, required - count)


def _ok(spec: CheckSpec, message: str) -> CheckResult:
    return CheckResult(spec.code, True, message, spec.source)


def _fail(spec: CheckSpec, message: str, satisfied_on: date | None = None) -> CheckResult:
    return CheckResult(spec.code, False, message, spec.source, satisfied_on)


def _open(spec: CheckSpec, message: str) -> CheckResult:
    return CheckResult(spec.code, None, message, spec.source)


def _missing(spec: CheckSpec, what: str, field_path: str) -> CheckResult:
    return _fail(spec, f"缺少{what}（{field_path}），无法核对：{spec.label}")


LEVEL = vocab.LEVELS
EDU = vocab.EDUCATION


# --- scope -------------------------------------------------------------------------------------


def check_target_level(spec: CheckSpec, ctx: Context) -> CheckResult:
    """The document defines conditions only for some levels; any other level has no path."""
    target = ctx.profile.target
    allowed: dict[str, list[str]] = spec.params["allowed"]
    levels = allowed.get(target.series, allowed.get("*", []))
    if target.level in levels:
        return _ok(spec, f"{vocab.SERIES[target.series]}系列{LEVEL[target.level]}属于本文件适用范围")
    level_names = "、".join(LEVEL[x] for x in levels) or "无"
    return _fail(
        spec,
        f"本文件未规定{vocab.SERIES[target.series]}系列{LEVEL[target.level]}的申报条件"
        f"（适用级别：{level_names}），无可申报路径",
    )


def check_series_excluded(spec: CheckSpec, ctx: Context) -> CheckResult:
    series = ctx.profile.target.series
    excluded = spec.params["series"]
    if series in excluded:
        return _fail(spec, f"{vocab.SERIES[series]}系列实行以考代评"
            f"（{vocab.names(excluded, vocab.SERIES)}），不在考核认定范围")
    return _ok(spec, f"{vocab.SERIES[series]}系列不属于以考代评或不予考核认定的系列")


def check_unit_kind(spec: CheckSpec, ctx: Context) -> CheckResult:
    emp = ctx.profile.employment
    if emp is None or emp.unit_kind is None:
        return _missing(spec, "单位性质", "employment.unit_kind")
    allowed = spec.params["unit_kinds"]
    if emp.unit_kind in allowed:
        return _ok(spec, f"单位性质为{vocab.UNIT_KINDS[emp.unit_kind]}，属于申报范围")
    return _fail(spec, f"单位性质为{vocab.UNIT_KINDS[emp.unit_kind]}，不属于申报范围"
        f"（{vocab.names(allowed, vocab.UNIT_KINDS)}）")


def check_months_in_region(spec: CheckSpec, ctx: Context) -> CheckResult:
    emp = ctx.profile.employment
    if emp is None or emp.months_in_region is None:
        return _missing(spec, "在本地工作月数", "employment.months_in_region")
    required = int(spec.params["min_months"])
    region = spec.params.get("region", "本地")
    have = ctx.extrapolated(emp.months_in_region)
    if have >= required:
        return _ok(spec, f"在{region}工作满{have}个月，达到{required}个月的要求")
    return _fail(
        spec,
        f"须在{region}工作满{required}个月，现满{have}个月",
        ctx.count_reached_on(emp.months_in_region, required),
    )


def check_has_contract(spec: CheckSpec, ctx: Context) -> CheckResult:
    emp = ctx.profile.employment
    if emp is None or emp.has_contract is None:
        return _missing(spec, "是否签订聘用合同或劳动合同", "employment.has_contract")
    if emp.has_contract:
        return _ok(spec, "已与用人单位签订聘用合同或劳动合同")
    return _fail(spec, "未与用人单位签订聘用合同或劳动合同，不属于申报范围")


def check_social_insurance(spec: CheckSpec, ctx: Context) -> CheckResult:
    emp = ctx.profile.employment
    if emp is None or emp.social_insurance_months_in_region is None:
        return _missing(spec, "在本地连续缴纳社保月数", "employment.social_insurance_months_in_region")
    required = int(spec.params["min_months"])
    region = spec.params.get("region", "本地")
    reduced = spec.params.get("reduced")
    note = ""
    if reduced and ctx.profile.education and any(e.level in reduced["education"] for e in ctx.profile.education):
        required = int(reduced["months"])
        who = reduced.get("label") or vocab.names(reduced["education"], EDU)
        note = f"（{who}学历只需{required}个月）"
    have = ctx.extrapolated(emp.social_insurance_months_in_region)
    if have >= required:
        return _ok(spec, f"在{region}连续缴纳社保{have}个月，达到{required}个月的要求{note}")
    return _fail(
        spec,
        f"须在{region}连续缴纳社保满{required}个月{note}，现{have}个月",
        ctx.count_reached_on(emp.social_insurance_months_in_region, required),
    )


def check_insured_unit(spec: CheckSpec, ctx: Context) -> CheckResult:
    emp = ctx.profile.employment
    if emp is None or emp.insured_unit_is_applying_unit is None:
        return _missing(spec, "社保缴纳单位是否为申报单位", "employment.insured_unit_is_applying_unit")
    if emp.insured_unit_is_applying_unit:
        return _ok(spec, "最后缴纳社保的单位与申报单位一致")
    return _fail(spec, "最后缴纳社保的单位与申报单位不一致，须由参保单位申报")


# --- exclusions ------------------------------------------------------------------------------


def check_not_civil_servant(spec: CheckSpec, ctx: Context) -> CheckResult:
    person = ctx.profile.person
    if person is None or person.civil_servant is None:
        return _missing(spec, "是否为公务员（含参公管理人员）", "person.civil_servant")
    if person.civil_servant:
        return _fail(spec, "公务员（含参照公务员法管理的人员）不得申报职称")
    return _ok(spec, "非公务员或参公管理人员")


def check_not_retired(spec: CheckSpec, ctx: Context) -> CheckResult:
    person = ctx.profile.person
    if person is None or person.retired is None:
        return _missing(spec, "是否已离退休", "person.retired")
    if person.retired:
        return _fail(spec, "离退休人员不得申报职称")
    return _ok(spec, "未离退休")


def check_retirement_age(spec: CheckSpec, ctx: Context) -> CheckResult:
    person = ctx.profile.person
    if person is None or person.birth_date is None:
        return _missing(spec, "出生日期", "person.birth_date")
    if person.gender is None:
        return _missing(spec, "性别", "person.gender")
    age = statutory_retirement(
        birth_date=person.birth_date, gender=person.gender, original_age=person.original_retirement_age
    )
    cutoff = year_end(ctx.as_of)
    reached = age.retires_on <= cutoff
    facts = f"法定退休年龄{age.age_text}，{cn_date(age.retires_on)}达到"
    if not reached:
        return _ok(spec, f"{facts}，{ctx.as_of.year}年底前未达到退休年龄")
    if person.retirement_extended:
        return _ok(spec, f"{facts}，已办理延长退休手续")
    if person.retirement_extended is None:
        return _fail(spec, f"{facts}，{ctx.as_of.year}年底前达到退休年龄；"
            "缺少是否已办理延长退休手续（person.retirement_extended）")
    return _fail(spec, f"{facts}，{ctx.as_of.year}年底前达到退休年龄且未办理延长退休手续，不得申报")


def check_sanctions(spec: CheckSpec, ctx: Context) -> CheckResult:
    sanctions = ctx.profile.sanctions
    if sanctions is None:
        return _missing(spec, "处分及审查情况", "sanctions")
    months = int(spec.params.get("months", 24))
    blocked_until: date | None = ctx.as_of
    problems = []
    for index, s in enumerate(sanctions):
        if s.start is None:
            return _missing(spec, "处分开始日期", f"sanctions[{index}].start")
        if s.start > ctx.as_of:
            continue
        if s.kind == "under_investigation":
            if s.end is None or s.end >= ctx.as_of:
                until = s.end + timedelta(days=1) if s.end else None
                problems.append(f"自{cn_date(s.start)}起正在接受审查")
                blocked_until = None if until is None or blocked_until is None else max(blocked_until, until)
            continue
        until = add_months(s.start, months)
        if s.end is not None:
            until = max(until, s.end + timedelta(days=1))
        if until > ctx.as_of:
            problems.append(f"{cn_date(s.start)}受{vocab.SANCTIONS[s.kind]}，"
                f"未满{months // 12}年（{cn_date(until)}期满）")
            if blocked_until is not None:
                blocked_until = max(blocked_until, until)
    if not problems:
        return _ok(spec, f"无未满{months // 12}年的处分，未在接受审查")
    return _fail(spec, "；".join(problems) + "，不得申报推荐", blocked_until)


def check_absences(spec: CheckSpec, ctx: Context) -> CheckResult:
    absences = ctx.profile.absences
    if absences is None:
        return _missing(spec, "出国进修、脱产学习或病休情况", "absences")
    kinds = spec.params["kinds"]
    months = int(spec.params.get("months", 12))
    problems = []
    blocked_until: date | None = ctx.as_of
    for index, a in enumerate(absences):
        if a.kind not in kinds:
            continue
        if a.start is None:
            return _missing(spec, "开始日期", f"absences[{index}].start")
        ongoing = a.start <= ctx.as_of and (a.end is None or a.end >= ctx.as_of)
        away = months_completed(a.start, ctx.as_of)
        if ongoing and away >= months:
            problems.append(f"自{cn_date(a.start)}起{vocab.ABSENCES[a.kind]}已满{away}个月，"
                "至今未回单位正常工作")
            until = a.end + timedelta(days=1) if a.end else None
            blocked_until = None if until is None or blocked_until is None else max(blocked_until, until)
    label = vocab.names(kinds, vocab.ABSENCES)
    if not problems:
        return _ok(spec, f"无{label}满{months}个月且未回单位工作的情形")
    return _fail(spec, "；".join(problems) + "，不得申报推荐", blocked_until)


GOOD_GRADES = frozenset({"excellent", "qualified"})


def check_assessments_all_qualified(spec: CheckSpec, ctx: Context) -> CheckResult:
    records = ctx.profile.assessments
    if records is None:
        return _missing(spec, "年度考核结果", "assessments")
    bad = [r for r in records if r.grade not in GOOD_GRADES and r.year < ctx.record_year]
    if bad:
        listed = "、".join(f"{r.year}年度{vocab.GRADES[r.grade]}" for r in bad)
        return _fail(spec, f"年度考核须均为合格及以上等次，现有{listed}")
    return _ok(spec, f"已填报的{len(records)}个年度考核均为合格及以上等次")


def check_assessment_previous_year(spec: CheckSpec, ctx: Context) -> CheckResult:
    records = ctx.profile.assessments
    year = ctx.record_year - 1
    if records is None:
        return _missing(spec, f"{year}年度考核结果", "assessments")
    record = next((r for r in records if r.year == year), None)
    if record is None:
        return _fail(spec, f"缺少{year}年度考核结果（assessments），无法核对：{spec.label}")
    if record.grade in spec.params.get("excluded", ["unqualified", "basic_qualified"]):
        return _fail(spec, f"上年度（{year}年度）考核为{vocab.GRADES[record.grade]}，不得参加考核认定")
    return _ok(spec, f"上年度（{year}年度）考核为{vocab.GRADES[record.grade]}")


def _current_title(profile: Profile) -> Title | None:
    if not profile.titles:
        return None
    return max(
        profile.titles,
        key=lambda t: (vocab.LEVEL_ORDER.index(t.level), t.appointed_on or t.obtained_on or date.min),
    )


def check_assessments_in_tenure(spec: CheckSpec, ctx: Context) -> CheckResult:
    """No 'basic qualified' or worse, and no unexcused absence, in the years of the current post."""
    records = ctx.profile.assessments
    if records is None:
        return _missing(spec, "任现职以来年度考核结果", "assessments")
    title = _current_title(ctx.profile)
    start = (title.appointed_on or title.obtained_on) if title else None
    start_text = "任现职"
    if start is None:
        start = ctx.profile.professional_work_since
        start_text = "参加专业技术工作"
    if start is None:
        return _missing(
            spec, "现任职称聘任日期或参加专业技术工作日期", "titles[].appointed_on / professional_work_since"
        )
    first_full_year = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    last_year = ctx.record_year - 1
    by_year = {r.year: r for r in records}
    bad = [r for r in records if start.year <= r.year <= last_year and r.grade not in GOOD_GRADES]
    if bad:
        listed = "、".join(f"{r.year}年度{vocab.GRADES[r.grade]}" for r in bad)
        return _fail(spec, f"{start_text}以来年度考核有{listed}，不得申报推荐")
    missing = [y for y in range(first_full_year, last_year + 1) if y not in by_year]
    if missing:
        years = "、".join(str(y) for y in missing)
        return _fail(spec, f"缺少{years}年度考核结果（assessments），无法核对{start_text}以来的年度考核")
    count = len(range(first_full_year, last_year + 1))
    return _ok(spec, f"{start_text}（{cn_date(start)}）以来{count}个完整年度的考核均为合格及以上等次")


# --- series change, continuing education, appointment years ------------------------------------


def check_series_change(spec: CheckSpec, ctx: Context) -> CheckResult:
    titles = ctx.profile.titles
    target = ctx.profile.target
    levels = spec.params.get("title_levels", list(vocab.LEVELS))
    required = int(spec.params.get("months", 12))
    if titles is None:
        return _ok(spec, "未填报现有职称（titles），按首次申报处理，无转换系列要求")
    held = [t for t in titles if t.level in levels]
    if not held or any(t.series == target.series for t in held):
        return _ok(spec, "未转换职称系列（专业）")
    if any(t.series is None for t in held):
        return _missing(spec, "现有职称的系列", "titles[].series")
    emp = ctx.profile.employment
    if emp is None or emp.current_post_since is None:
        return _missing(spec, "现岗位起始日期", "employment.current_post_since")
    have = months_completed(emp.current_post_since, ctx.as_of)
    old = vocab.names([t.series for t in held if t.series], vocab.SERIES)
    if have >= required:
        return _ok(spec, f"由{old}系列转换为{vocab.SERIES[target.series]}系列，"
            f"现岗位已工作{have}个月，达到{required}个月")
    return _fail(
        spec,
        f"由{old}系列转换为{vocab.SERIES[target.series]}系列，须在现岗位工作满{required}个月，现满{have}个月",
        add_months(emp.current_post_since, required),
    )


def check_continuing_education(spec: CheckSpec, ctx: Context) -> CheckResult:
    hours = ctx.profile.continuing_education_hours
    years = int(spec.params["years"])
    minimum = float(spec.params["min_hours_per_year"])
    wanted = list(range(ctx.record_year - years, ctx.record_year))
    span = f"近{years}年（{wanted[0]}—{wanted[-1]}年）"
    if hours is None:
        return _missing(spec, f"{span}继续教育学时", "continuing_education_hours")
    missing = [y for y in wanted if y not in hours]
    if missing:
        return _fail(spec, f"缺少{'、'.join(map(str, missing))}年继续教育学时"
            f"（continuing_education_hours），须提供{span}学时")
    short = [f"{y}年{hours[y]:g}学时" for y in wanted if hours[y] < minimum]
    if short:
        return _fail(spec, f"{span}继续教育须每年不少于{minimum:g}学时，现{'、'.join(short)}")
    total = sum(hours[y] for y in wanted)
    return _ok(spec, f"{span}继续教育共{total:g}学时，每年均不少于{minimum:g}学时")


def _waiver(spec: CheckSpec, ctx: Context) -> CheckResult | None:
    for flag, text in (spec.params.get("waivers") or {}).items():
        if getattr(ctx.profile, flag, False):
            return _ok(spec, text)
    return None


def check_appointment_to_year_end(spec: CheckSpec, ctx: Context) -> CheckResult:
    """Years in the current appointment, counted to 31 December of the application year."""
    if (waived := _waiver(spec, ctx)) is not None:
        return waived
    levels = spec.params["title_levels"]
    required = int(spec.params["months"])
    cutoff = year_end(ctx.as_of)
    titles = [t for t in (ctx.profile.titles or ()) if t.level in levels]
    names = vocab.names(levels, LEVEL)
    if ctx.profile.titles is None:
        return _missing(spec, f"现任{names}职称及聘任时间", "titles")
    if not titles:
        return _fail(spec, f"须现任{names}职称并聘任满{required // 12}年（计算至{cn_date(cutoff)}），未填报{names}职称")
    dated = [t for t in titles if t.appointed_on is not None]
    if not dated:
        return _missing(spec, f"{names}职称聘任时间", "titles[].appointed_on")
    appointed = min(t.appointed_on for t in dated if t.appointed_on is not None)
    have = months_completed(appointed, cutoff)
    if have >= required:
        return _ok(spec, f"{names}职称{cn_date(appointed)}聘任，"
            f"计算至{cn_date(cutoff)}满{have}个月，达到{required}个月")
    reached = add_months(appointed, required)
    return _fail(
        spec,
        f"{names}职称须聘任满{required}个月（计算至当年12月31日），"
            f"{cn_date(appointed)}聘任，计算至{cn_date(cutoff)}满{have}个月",
        date(reached.year, 1, 1),
    )


# --- reviewer / committee judgements -------------------------------------------------------------


def check_reviewer(spec: CheckSpec, ctx: Context) -> CheckResult:
    """A condition the document leaves to a person (unit, bureau or committee) to judge."""
    message = spec.params["message"]
    if spec.params.get("show_appointment_to_year_end"):
        title = _current_title(ctx.profile)
        cutoff = year_end(ctx.as_of)
        if title is not None and title.appointed_on is not None:
            have = months_completed(title.appointed_on, cutoff)
            message += (
                f"。现任{LEVEL[title.level]}职称{cn_date(title.appointed_on)}聘任，"
                f"聘任年限计算至{cn_date(cutoff)}为{have // 12}年{have % 12}个月"
            )
        else:
            message += f"。未填报现任职称聘任时间（titles[].appointed_on），聘任年限计算至{cn_date(cutoff)}"
    for index, entry in enumerate(ctx.profile.education or ()):
        judged = _degree_judgement(entry, spec.params.get("without_degree") or {})
        if judged is None:
            continue
        if judged == entry.level:
            message += f"。{EDU[entry.level]}已取得学位证书，按{EDU[entry.level]}学历并获学位的条件评审"
        elif entry.degree_certificate is None:
            message += (f"。缺少是否取得{EDU[entry.level]}学位证书（education[{index}].degree_certificate）："
                        f"未取得的按{EDU[judged]}学历条件评审")
        else:
            message += (f"。{EDU[entry.level]}未取得学位证书，不能按{EDU[entry.level]}学历并获学位的条件，"
                        f"按{EDU[judged]}学历条件评审")
    return _open(spec, message)


def _degree_judgement(entry: Education, without_degree: dict[str, str]) -> str | None:
    """The education level an entry is judged on where a degree certificate decides it
    (``without_degree``: a master's without the 硕士学位证书 is judged as a bachelor, 001 二(五)4):
    its own level with the certificate, the lower one without (or when unknown); ``None`` when
    the certificate does not matter for this level."""
    lower = without_degree.get(entry.level)
    if lower is None:
        return None
    return entry.level if entry.degree_certificate else lower


# --- education x months -> level -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PathOutcome:
    passed: bool
    satisfied_on: date | None  # when not passed: date time makes it pass (None = never)
    message: str
    missing: bool = False


def _education_matches(entry: Education, levels: list[str], equivalents: dict[str, str]) -> bool:
    return entry.level in levels or equivalents.get(entry.level) in levels


def _without_degree(
    entry: Education, index: int, levels: list[str], params: dict[str, Any]
) -> tuple[Education, str] | _PathOutcome | None:
    """How an entry meets a path when the rule set makes the degree certificate decide its level
    (``without_degree``, 001 二(五)4): as itself (with the certificate), as the lower level (without
    it, with a note), or not at all; a missing certificate flag is a missing input on the path of
    its own level, never a silent pass."""
    equivalents: dict[str, str] = params.get("equivalents", {})
    lower = (params.get("without_degree") or {}).get(entry.level)
    if lower is None:
        return (entry, "") if _education_matches(entry, levels, equivalents) else None
    if entry.degree_certificate:
        return (entry, "") if _education_matches(entry, levels, equivalents) else None
    as_lower = Education(level=lower, graduated_on=entry.graduated_on, full_time=entry.full_time,
                         major_related=entry.major_related, degree_certificate=entry.degree_certificate)
    if _education_matches(as_lower, levels, equivalents):
        if entry.degree_certificate is None:
            return as_lower, (f"（缺少是否取得{EDU[entry.level]}学位证书（education[{index}].degree_certificate），"
                              f"按{EDU[lower]}学历条件）")
        return as_lower, f"（{EDU[entry.level]}未取得学位证书，按{EDU[lower]}学历条件）"
    if entry.degree_certificate is None and _education_matches(entry, levels, equivalents):
        return _PathOutcome(False, None, f"缺少是否取得{EDU[entry.level]}学位证书"
                            f"（education[{index}].degree_certificate），未取得的按{EDU[lower]}学历条件认定", True)
    return None


def _equivalence_note(entry: Education, levels: list[str], equivalents: dict[str, str]) -> str:
    if entry.level not in levels and equivalents.get(entry.level) in levels:
        return f"（{EDU[entry.level]}按{EDU[equivalents[entry.level]]}学历对待）"
    return ""


def _months_outcome(
    *, anchor: date, required: int, as_of: date, head: str, level: str, note: str = ""
) -> _PathOutcome:
    have = months_completed(anchor, as_of)
    reached = add_months(anchor, required)
    if reached <= as_of:
        return _PathOutcome(True, None, f"{head}满{required}个月{note}，现满{have}个月，符合认定{LEVEL[level]}条件")
    return _PathOutcome(False, reached, f"{head}满{required}个月方可认定{LEVEL[level]}{note}，现满{have}个月")


def _evaluate_path(path: dict[str, Any], spec: CheckSpec, ctx: Context) -> list[_PathOutcome]:
    profile = ctx.profile
    level = profile.target.level
    params = spec.params
    equivalents: dict[str, str] = params.get("equivalents", {})
    work_since = profile.professional_work_since
    source = path["from"]
    outcomes: list[_PathOutcome] = []

    if source == "skill":
        skills = [s for s in (profile.skills or ()) if s.level in path["skills"]]
        for index, skill in enumerate(skills):
            if skill.obtained_on is None:
                outcomes.append(_PathOutcome(False, None, f"缺少技能等级取得日期（skills[{index}].obtained_on）", True))
                continue
            if work_since is None:
                outcomes.append(_PathOutcome(False, None, "缺少参加专业技术工作日期（professional_work_since）", True))
                continue
            head = f"取得{vocab.SKILLS[skill.level]}后从事技术技能工作"
            outcomes.append(
                _months_outcome(anchor=max(skill.obtained_on, work_since), required=int(path["months"]),
                                as_of=ctx.as_of, head=head, level=level)
            )
        return outcomes

    if source == "title":
        titles = [t for t in (profile.titles or ()) if t.level == path["title_level"]]
        for title in titles:
            if work_since is None:
                outcomes.append(_PathOutcome(False, None, "缺少参加专业技术工作日期（professional_work_since）", True))
                continue
            if title.obtained_on is None:
                outcomes.append(_PathOutcome(False, None, "缺少现有职称取得日期（titles[].obtained_on）", True))
                continue
            head = f"取得{LEVEL[title.level]}职称后从事本专业工作"
            outcomes.append(
                _months_outcome(anchor=max(title.obtained_on, work_since), required=int(path["months"]),
                                as_of=ctx.as_of, head=head, level=level)
            )
        return outcomes

    # Paths that start from an education entry.
    extra = int(params.get("unrelated_major_extra_months", 0))
    first_application = not profile.titles
    for index, original in enumerate(profile.education or ()):
        judged = _without_degree(original, index, path["education"], params)
        if judged is None:
            continue
        if isinstance(judged, _PathOutcome):
            outcomes.append(judged)
            continue
        entry, degree_note = judged
        where = f"education[{index}]"
        note = _equivalence_note(entry, path["education"], equivalents) + degree_note
        edu_name = EDU[entry.level]
        if params.get("require_full_time"):
            if entry.full_time is None:
                outcomes.append(_PathOutcome(False, None, f"缺少是否全日制（{where}.full_time）", True))
                continue
            if not entry.full_time:
                outcomes.append(_PathOutcome(False, None, f"{edu_name}学历非全日制，须为全日制正规院校毕业"))
                continue
        if params.get("require_major_related"):
            if entry.major_related is None:
                outcomes.append(_PathOutcome(False, None, f"缺少所学专业是否对口（{where}.major_related）", True))
                continue
            if not entry.major_related:
                outcomes.append(_PathOutcome(False, None, f"所学{edu_name}专业与从事的专业技术岗位不对口，不能认定"))
                continue
        if entry.graduated_on is None:
            outcomes.append(_PathOutcome(False, None, f"缺少毕业日期（{where}.graduated_on）", True))
            continue
        if source == "work_before_education":
            if work_since is None:
                outcomes.append(_PathOutcome(False, None, "缺少参加专业技术工作日期（professional_work_since）", True))
                continue
            have = months_completed(work_since, entry.graduated_on)
            required = int(path["months"])
            if have >= required and entry.graduated_on <= ctx.as_of:
                outcomes.append(_PathOutcome(True, None, f"从事本专业工作满{have}个月后取得{edu_name}学历"
                    f"（需{required}个月），符合认定{LEVEL[level]}条件"))
            else:
                outcomes.append(_PathOutcome(False, None,
                    f"从事本专业工作满{required}个月后取得{edu_name}学历方可认定{LEVEL[level]}，"
                    f"取得学历时满{have}个月"))
            continue
        added = 0
        if extra and first_application:
            if entry.major_related is None:
                outcomes.append(_PathOutcome(False, None, "缺少所学专业与从事专业是否一致"
                    f"（{where}.major_related）", True))
                continue
            if not entry.major_related:
                added = extra
                note += f"（所学专业与从事专业不一致，首次申报增加{extra}个月）"
        if source == "education_and_title":
            titles = [t for t in (profile.titles or ()) if t.level == path["title_level"]]
            if not titles:
                continue
            for title in titles:
                if title.appointed_on is None:
                    outcomes.append(_PathOutcome(False, None, "缺少职称聘任日期（titles[].appointed_on）", True))
                    continue
                head = f"{edu_name}毕业且{LEVEL[title.level]}职称聘任"
                outcomes.append(_months_outcome(anchor=title.appointed_on, required=int(path["months"]),
                                                as_of=ctx.as_of, head=head, level=level, note=note))
            continue
        if work_since is None:
            outcomes.append(_PathOutcome(False, None, "缺少参加专业技术工作日期（professional_work_since）", True))
            continue
        anchor = max(entry.graduated_on, work_since)
        if path.get("rounding") in ("next_month", "on_start"):
            start = first_of_next_month(anchor) if path["rounding"] == "next_month" else anchor
            reached = add_months(start, added)
            if reached <= ctx.as_of:
                outcomes.append(_PathOutcome(True, None, f"{edu_name}毕业并从事专业技术工作，"
                    f"自{cn_date(reached)}起符合认定{LEVEL[level]}条件{note}"))
            else:
                outcomes.append(_PathOutcome(False, reached, f"{edu_name}毕业并从事专业技术工作，"
                    f"{cn_date(reached)}起方可认定{LEVEL[level]}{note}"))
            continue
        head = f"{edu_name}毕业后从事专业工作"
        outcomes.append(_months_outcome(anchor=anchor, required=int(path["months"]) + added,
                                        as_of=ctx.as_of, head=head, level=level, note=note))
    return outcomes


def check_level_paths(spec: CheckSpec, ctx: Context) -> CheckResult:
    """Any one path (education, title, skill x months) to the target level suffices."""
    if (waived := _waiver(spec, ctx)) is not None:
        return waived
    level = ctx.profile.target.level
    paths = spec.params["levels"].get(level)
    if not paths:
        return _fail(spec, f"本文件未规定认定{LEVEL[level]}的学历和资历条件，无可申报路径")
    outcomes: list[_PathOutcome] = []
    for path in paths:
        outcomes.extend(_evaluate_path(path, spec, ctx))
    passed = [o for o in outcomes if o.passed]
    if passed:
        return CheckResult(spec.code, True, passed[0].message, spec.source)
    pending = sorted((o for o in outcomes if o.satisfied_on is not None), key=lambda o: o.satisfied_on or date.max)
    if pending:
        best = pending[0]
        return CheckResult(spec.code, False, best.message, spec.source, best.satisfied_on)
    missing_inputs = {
        "education": ctx.profile.education is None,
        "professional_work_since": ctx.profile.professional_work_since is None,
    }
    if outcomes:
        return CheckResult(spec.code, False, "；".join(dict.fromkeys(o.message for o in outcomes)), spec.source)
    conditions = "；".join(p["label"] for p in paths)
    lacking = [name for name, absent in missing_inputs.items() if absent]
    suffix = f"；缺少{'、'.join(lacking)}" if lacking else ""
    return CheckResult(
        spec.code, False, f"不具备认定{LEVEL[level]}的学历或资历（须符合下列之一：{conditions}）{suffix}", spec.source
    )


CHECK_KINDS: dict[str, Callable[[CheckSpec, Context], CheckResult]] = {
    "target_level": check_target_level,
    "series_excluded": check_series_excluded,
    "unit_kind": check_unit_kind,
    "months_in_region": check_months_in_region,
    "has_contract": check_has_contract,
    "social_insurance": check_social_insurance,
    "insured_unit": check_insured_unit,
    "not_civil_servant": check_not_civil_servant,
    "not_retired": check_not_retired,
    "retirement_age": check_retirement_age,
    "sanctions": check_sanctions,
    "absences": check_absences,
    "assessments_all_qualified": check_assessments_all_qualified,
    "assessment_previous_year": check_assessment_previous_year,
    "assessments_in_tenure": check_assessments_in_tenure,
    "series_change": check_series_change,
    "continuing_education": check_continuing_education,
    "appointment_to_year_end": check_appointment_to_year_end,
    "reviewer": check_reviewer,
    "level_paths": check_level_paths,
}


def applies(spec: CheckSpec, profile: Profile) -> bool:
    when = spec.when
    if not when:
        return True
    if "levels" in when and profile.target.level not in when["levels"]:
        return False
    if "series" in when and profile.target.series not in when["series"]:
        return False
    if "unit_kinds" in when:
        unit_kind = profile.employment.unit_kind if profile.employment else None
        if unit_kind not in when["unit_kinds"]:
            return False
    return True
