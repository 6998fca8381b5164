"""Resident ID numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015).

Both validators return the normalised value or raise ``ValidationError`` with a Chinese
message that names the position that is wrong, so that a person can correct a typo.

Besides the 居民身份证, three documents carry an 18-character number built the same way (birth
date in positions 7–14, GB 11643 MOD 11-2 check character), so their holders can file
(001_272b0a6ee81b04e4.txt 一(二): 在内地就业的港澳台专业技术人员，以及持有外国人永久居留证…的外籍人员):

* 外国人永久居留身份证 (2023 edition, issued from 1 December 2023): first character 9 (a
  foreigner; a citizen's number starts 1–8), then the 2-digit province code of the issuing place,
  the 3-digit numeric nationality code (GB/T 2659, the ISO 3166-1 numeric code that replaced the
  3 letters of the 2017 edition), the birth date, a 3-digit sequence and the check character;
* 港澳台居民居住证: address code 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.dates import local_date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_PATTERN = re.compile(r"\d{17}[\dX]")


def id_check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


# Document types (``document_type``), with the names people read.
RESIDENT_ID = "resident_id"
FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"
HK_MACAO_RESIDENCE = "hk_macao_residence"
TAIWAN_RESIDENCE = "taiwan_residence"
DOCUMENT_TYPES: dict[str, str] = {
    RESIDENT_ID: _("身份证"),
    FOREIGN_PERMANENT_RESIDENT: _("外国人永久居留身份证"),
    HK_MACAO_RESIDENCE: _("港澳居民居住证"),
    TAIWAN_RESIDENCE: _("台湾居民居住证"),
}
# 港澳台居民居住证 address codes (the first six digits).
RESIDENCE_PERMIT_REGIONS: dict[str, str] = {"810000": "香港", "820000": "澳门", "830000": "台湾"}
CHINA = "156"  # GB/T 2659 numeric code of China: citizens and Hong Kong, Macao and Taiwan residents

# Nationality codes (GB/T 2659 / ISO 3166-1 numeric) people read by name; others show the code.
NATIONALITY_NAMES: dict[str, str] = {
    "156": _("中国"), "840": _("美国"), "124": _("加拿大"), "484": _("墨西哥"), "076": _("巴西"),
    "032": _("阿根廷"), "152": _("智利"), "826": _("英国"), "372": _("爱尔兰"), "250": _("法国"),
    "276": _("德国"), "380": _("意大利"), "724": _("西班牙"), "620": _("葡萄牙"), "528": _("荷兰"),
    "056": _("比利时"), "040": _("奥地利"), "756": _("瑞士"), "752": _("瑞典"), "578": _("挪威"),
    "208": _("丹麦"), "246": _("芬兰"), "616": _("波兰"), "300": _("希腊"), "643": _("俄罗斯"),
    "804": _("乌克兰"), "792": _("土耳其"), "376": _("以色列"), "818": _("埃及"), "710": _("南非"),
    "566": _("尼日利亚"), "392": _("日本"), "410": _("韩国"), "496": _("蒙古"), "702": _("新加坡"),
    "458": _("马来西亚"), "764": _("泰国"), "704": _("越南"), "418": _("老挝"), "104": _("缅甸"),
    "116": _("柬埔寨"), "608": _("菲律宾"), "360": _("印度尼西亚"), "356": _("印度"), "586": _("巴基斯坦"),
    "524": _("尼泊尔"), "398": _("哈萨克斯坦"), "036": _("澳大利亚"), "554": _("新西兰"),
}


def document_type(number: str) -> str:
    """Which document an (already validated) 18-character number belongs to: one of
    ``DOCUMENT_TYPES``. Pure: read from the first characters only."""
    number = (number or "").strip().upper()
    if number.startswith("9"):
        return FOREIGN_PERMANENT_RESIDENT
    region = RESIDENCE_PERMIT_REGIONS.get(number[:6])
    if region == "台湾":
        return TAIWAN_RESIDENCE
    if region is not None:
        return HK_MACAO_RESIDENCE
    return RESIDENT_ID


def document_type_label(number: str) -> str:
    return DOCUMENT_TYPES[document_type(number)]


def nationality_from_id(number: str) -> str:
    """The GB/T 2659 numeric nationality code a number carries: positions 4–6 of a foreign
    permanent-residence number, China (156) for a resident ID or a 港澳台居民居住证."""
    number = (number or "").strip().upper()
    if document_type(number) == FOREIGN_PERMANENT_RESIDENT:
        return number[3:6]
    return CHINA


def nationality_name(code: str) -> str:
    if not code:
        return ""
    name = NATIONALITY_NAMES.get(code)
    return str(name) if name is not None else _("国籍代码%(code)s") % {"code": code}


def looks_like_id_number(value: str) -> bool:
    return bool(ID_PATTERN.fullmatch((value or "").strip().upper()))


def validate_id_number(value: str, *, field: str = _("身份证号"), today: dt.date | None = None) -> str:
    """Validate an 18-character resident ID, 2023 foreign permanent-residence ID or 港澳台居民居住证
    number and return it upper-cased (``document_type`` tells which)."""
    number = (value or "").strip().upper()
    if not number:
        raise ValidationError(_("%(field)s不能为空。") % {"field": field}, code="required")
    if len(number) != 18:
        raise ValidationError(
            _("%(field)s应为18位，现为%(length)s位。") % {"field": field, "length": len(number)}, code="length"
        )
    for position, char in enumerate(number, start=1):
        allowed = char.isdigit() or (position == 18 and char == "X")
        if not allowed:
            raise ValidationError(
                _("%(field)s第%(position)s位“%(char)s”无效：前17位只能是数字，第18位只能是数字或X。")
                % {"field": field, "position": position, "char": char},
                code="char",
            )
    if number[0] not in "123456789":
        raise ValidationError(
            _("%(field)s第1位“%(char)s”无效：居民身份证号码以1–8开头，外国人永久居留身份证号码以9开头。")
            % {"field": field, "char": number[0]},
            code="region",
        )
    if number[0] == "8" and number[:6] not in RESIDENCE_PERMIT_REGIONS:
        raise ValidationError(
            _(
                "%(field)s第1–6位“%(code)s”不是有效的地址码：港澳台居民居住证号码以810000（香港）、"
                "820000（澳门）或830000（台湾）开头。"
            )
            % {"field": field, "code": number[:6]},
            code="region",
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("%(field)s第7–14位出生日期“%(digits)s”不是有效日期。") % {"field": field, "digits": number[6:14]},
            code="birth_date",
        ) from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationError(
            _("%(field)s第7–14位出生日期“%(date)s”超出合理范围。") % {"field": field, "date": local_date(birth)},
            code="birth_date",
        )
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("%(field)s第18位校验码应为“%(expected)s”，实际为“%(actual)s”，请核对是否有数字录入错误。")
            % {"field": field, "expected": expected, "actual": number[17]},
            code="check_digit",
        )
    return number


def birth_date_from_id(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_from_id(number: str) -> str:
    return "M" if int(number[16]) % 2 else "F"


def mask_id_number(number: str) -> str:
    """Show the first 3 and last 4 characters only: 410***********123X."""
    if not number:
        return ""
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARS.index(char) * weight for char, weight in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str, *, field: str = _("统一社会信用代码")) -> str:
    """Validate an 18-character unified social credit code and return it upper-cased."""
    code = (value or "").strip().upper()
    if not code:
        raise ValidationError(_("%(field)s不能为空。") % {"field": field}, code="required")
    if len(code) != 18:
        raise ValidationError(
            _("%(field)s应为18位，现为%(length)s位。") % {"field": field, "length": len(code)}, code="length"
        )
    for position, char in enumerate(code, start=1):
        if char not in CREDIT_CHARS:
            raise ValidationError(
                _("%(field)s第%(position)s位“%(char)s”无效：只能使用数字和除I、O、Z、S、V以外的大写字母。")
                % {"field": field, "position": position, "char": char},
                code="char",
            )
    if not code[2:8].isdigit():
        raise ValidationError(_("%(field)s第3–8位应为行政区划代码（6位数字）。") % {"field": field}, code="region")
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("%(field)s第18位校验码应为“%(expected)s”，实际为“%(actual)s”，请核对。")
            % {"field": field, "expected": expected, "actual": code[17]},
            code="check_char",
        )
    return code
