"""The applicant profile of the eligibility contract, parsed and validated.

Parsing rejects what is malformed (a bad date, an unknown vocabulary value, a wrong type,
a missing target) with :class:`ProfileError` naming the field. Fields that are merely absent
become ``None``: the checks that need them fail and say what is missing, so an incomplete
profile is never a crash and never a silent pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules.engine import vocab


class ProfileError(ValueError):
    """A malformed profile; ``field`` is the dotted path of the offending field."""

    def __init__(self, field_path: str, message: str) -> None:
        super().__init__(f"{field_path}: {message}")
        self.field = field_path
        self.message = message


@dataclass(frozen=True, slots=True)
class Target:
    series: str
    level: str


@dataclass(frozen=True, slots=True)
class Person:
    birth_date: date | None = None
    gender: str | None = None
    civil_servant: bool | None = None
    retired: bool | None = None
    retirement_extended: bool | None = None
    # 50 or 55 for women, 60 for men; when absent, women in professional-technical posts are
    # taken to have the 55-year original age (女干部), which is the common case for applicants.
    original_retirement_age: int | None = None


@dataclass(frozen=True, slots=True)
class Employment:
    unit_kind: str | None = None
    months_in_region: int | None = None
    has_contract: bool | None = None
    social_insurance_months_in_region: int | None = None
    insured_unit_is_applying_unit: bool | None = None
    current_post_since: date | None = None


@dataclass(frozen=True, slots=True)
class Education:
    level: str
    graduated_on: date | None = None
    full_time: bool | None = None
    major_related: bool | None = None
    degree_certificate: bool | None = None


@dataclass(frozen=True, slots=True)
class Skill:
    level: str
    obtained_on: date | None = None


@dataclass(frozen=True, slots=True)
class Title:
    series: str | None
    level: str
    obtained_on: date | None = None
    appointed_on: date | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    year: int
    grade: str


@dataclass(frozen=True, slots=True)
class Period:
    kind: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Profile:
    as_of: date
    target: Target
    person: Person | None = None
    employment: Employment | None = None
    professional_work_since: date | None = None
    education: tuple[Education, ...] | None = None
    skills: tuple[Skill, ...] | None = None
    titles: tuple[Title, ...] | None = None
    assessments: tuple[Assessment, ...] | None = None
    continuing_education_hours: dict[int, float] | None = None
    sanctions: tuple[Period, ...] | None = None
    absences: tuple[Period, ...] | None = None
    exceptional_promotion_approved: bool = False
    special_talent: bool = False
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


# --- field readers ---------------------------------------------------------------------------


def _date(value: Any, path: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ProfileError(path, "日期须为 YYYY-MM-DD 格式的字符串")
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ProfileError(path, f"日期格式错误：{value!r}，应为 YYYY-MM-DD") from None


def _bool(value: Any, path: str) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ProfileError(path, "须为 true 或 false")
    return value


def _count(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProfileError(path, "须为非负整数")
    return value


def _choice(value: Any, path: str, table: dict[str, str], *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise ProfileError(path, "缺少必填字段")
        return None
    if not isinstance(value, str) or value not in table:
        raise ProfileError(path, f"未知取值 {value!r}，可选：{', '.join(table)}")
    return value


def _object(raw: dict[str, Any], key: str, path: str) -> dict[str, Any] | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ProfileError(path, "须为 JSON 对象")
    return value


def _items(raw: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]] | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise ProfileError(key, "须为 JSON 数组")
    items = []
    for index, item in enumerate(value):
        path = f"{key}[{index}]"
        if not isinstance(item, dict):
            raise ProfileError(path, "须为 JSON 对象")
        items.append((path, item))
    return items


def _period(path: str, item: dict[str, Any], kinds: dict[str, str]) -> Period:
    start = _date(item.get("start"), f"{path}.start")
    end = _date(item.get("end"), f"{path}.end")
    if start is not None and end is not None and end < start:
        raise ProfileError(f"{path}.end", "结束日期早于开始日期")
    return Period(kind=_choice(item.get("kind"), f"{path}.kind", kinds, required=True) or "", start=start, end=end)


def parse_profile(raw: Any) -> Profile:
    """Validate the JSON profile of the contract and return a typed :class:`Profile`."""
    if not isinstance(raw, dict):
        raise ProfileError("profile", "须为 JSON 对象")

    as_of = _date(raw.get("as_of"), "as_of")
    if as_of is None:
        raise ProfileError("as_of", "缺少必填字段")

    target_raw = _object(raw, "target", "target")
    if target_raw is None:
        raise ProfileError("target", "缺少必填字段")
    target = Target(
        series=_choice(target_raw.get("series"), "target.series", vocab.SERIES, required=True) or "",
        level=_choice(target_raw.get("level"), "target.level", vocab.LEVELS, required=True) or "",
    )

    person = None
    if (p := _object(raw, "person", "person")) is not None:
        age = p.get("original_retirement_age")
        if age is not None and (isinstance(age, bool) or age not in (50, 55, 60)):
            raise ProfileError("person.original_retirement_age", "须为 50、55 或 60")
        person = Person(
            birth_date=_date(p.get("birth_date"), "person.birth_date"),
            gender=_choice(p.get("gender"), "person.gender", vocab.GENDERS),
            civil_servant=_bool(p.get("civil_servant"), "person.civil_servant"),
            retired=_bool(p.get("retired"), "person.retired"),
            retirement_extended=_bool(p.get("retirement_extended"), "person.retirement_extended"),
            original_retirement_age=age,
        )

    employment = None
    if (e := _object(raw, "employment", "employment")) is not None:
        employment = Employment(
            unit_kind=_choice(e.get("unit_kind"), "employment.unit_kind", vocab.UNIT_KINDS),
            months_in_region=_count(e.get("months_in_region"), "employment.months_in_region"),
            has_contract=_bool(e.get("has_contract"), "employment.has_contract"),
            social_insurance_months_in_region=_count(
                e.get("social_insurance_months_in_region"), "employment.social_insurance_months_in_region"
            ),
            insured_unit_is_applying_unit=_bool(
                e.get("insured_unit_is_applying_unit"), "employment.insured_unit_is_applying_unit"
            ),
            current_post_since=_date(e.get("current_post_since"), "employment.current_post_since"),
        )

    education = None
    if (rows := _items(raw, "education")) is not None:
        education = tuple(
            Education(
                level=_choice(item.get("level"), f"{path}.level", vocab.EDUCATION, required=True) or "",
                graduated_on=_date(item.get("graduated_on"), f"{path}.graduated_on"),
                full_time=_bool(item.get("full_time"), f"{path}.full_time"),
                major_related=_bool(item.get("major_related"), f"{path}.major_related"),
                degree_certificate=_bool(item.get("degree_certificate"), f"{path}.degree_certificate"),
            )
            for path, item in rows
        )

    skills = None
    if (rows := _items(raw, "skills")) is not None:
        skills = tuple(
            Skill(
                level=_choice(item.get("level"), f"{path}.level", vocab.SKILLS, required=True) or "",
                obtained_on=_date(item.get("obtained_on"), f"{path}.obtained_on"),
            )
            for path, item in rows
        )

    titles = None
    if (rows := _items(raw, "titles")) is not None:
        titles = tuple(
            Title(
                series=_choice(item.get("series"), f"{path}.series", vocab.SERIES),
                level=_choice(item.get("level"), f"{path}.level", vocab.LEVELS, required=True) or "",
                obtained_on=_date(item.get("obtained_on"), f"{path}.obtained_on"),
                appointed_on=_date(item.get("appointed_on"), f"{path}.appointed_on"),
            )
            for path, item in rows
        )

    assessments = None
    if (rows := _items(raw, "assessments")) is not None:
        parsed = []
        for path, item in rows:
            year = item.get("year")
            if isinstance(year, bool) or not isinstance(year, int) or not 1950 <= year <= 2100:
                raise ProfileError(f"{path}.year", "须为四位年份整数")
            grade = _choice(item.get("grade"), f"{path}.grade", vocab.GRADES, required=True) or ""
            parsed.append(Assessment(year=year, grade=grade))
        assessments = tuple(parsed)

    hours = None
    if (h := _object(raw, "continuing_education_hours", "continuing_education_hours")) is not None:
        hours = {}
        for key, value in h.items():
            path = f"continuing_education_hours.{key}"
            if not (isinstance(key, str) and key.isdigit() and len(key) == 4):
                raise ProfileError(path, "键须为四位年份")
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ProfileError(path, "学时须为非负数")
            hours[int(key)] = float(value)

    sanctions = None
    if (rows := _items(raw, "sanctions")) is not None:
        sanctions = tuple(_period(path, item, vocab.SANCTIONS) for path, item in rows)
    absences = None
    if (rows := _items(raw, "absences")) is not None:
        absences = tuple(_period(path, item, vocab.ABSENCES) for path, item in rows)

    return Profile(
        as_of=as_of,
        target=target,
        person=person,
        employment=employment,
        professional_work_since=_date(raw.get("professional_work_since"), "professional_work_since"),
        education=education,
        skills=skills,
        titles=titles,
        assessments=assessments,
        continuing_education_hours=hours,
        sanctions=sanctions,
        absences=absences,
        exceptional_promotion_approved=bool(
            _bool(raw.get("exceptional_promotion_approved"), "exceptional_promotion_approved")
        ),
        special_talent=bool(_bool(raw.get("special_talent"), "special_talent")),
        raw=raw,
    )
