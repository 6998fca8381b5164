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

from core.dates import chinese_date

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
    RESIDENT_ID: "身份证",
    FOREIGN_PERMANENT_RESIDENT: "外国人永久居留身份证",
    HK_MACAO_RESIDENCE: "港澳居民居住证",
    TAIWAN_RESIDENCE: "台湾居民居住证",
}
# 港澳台居民居住证 address codes (the first six digits).
RESIDENCE_PERMIT_REGIONS: dict[str, str] = {"810000": "香港", "820000": "澳门", "830000": "台湾"}
CHINA = "156"  # GB/T 2659 numeric code of China: citizens and Hong Kong, Macao and Taiwan residents

# Nationality codes (GB/T 2659 / ISO 3166-1 numeric) people read by name; others show the code.
NATIONALITY_NAMES: dict[str, str] = {
    "156": "中国", "840": "美国", "124": "加拿大", "484": "墨西哥", "076": "巴西", "032": "阿根廷",
    "152": "智利", "826": "英国", "372": "爱尔兰", "250": "法国", "276": "德国", "380": "意大利",
    "724": "西班牙", "620": "葡萄牙", "528": "荷兰", "056": "比利时", "040": "奥地利", "756": "瑞士",
    "752": "瑞典", "578": "挪威", "208": "丹麦", "246": "芬兰", "616": "波兰", "300": "希腊",
    "643": "俄罗斯", "804": "乌克兰", "792": "土耳其", "376": "以色列", "818": "埃及", "710": "南非",
    "566": "尼日利亚", "392": "日本", "410": "韩国", "496": "蒙古", "702": "新加坡", "458": "马来西亚",
    "764": "泰国", "704": "越南", "418": "老挝", "104": "缅甸", "116": "柬埔寨", "608": "菲律宾",
    "360": "印度尼西亚", "356": "印度", "586": "巴基斯坦", "524": "尼泊尔", "398": "哈萨克斯坦",
    "036": "澳大利亚", "554": "新西兰",
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
    return NATIONALITY_NAMES.get(code, f"国籍代码{code}") if code else ""


def looks_like_id_number(value: str) -> bool:
    return bool(ID_PATTERN.fullmatch((value or "").strip().upper()))


def validate_id_number(value: str, *, field: str = "身份证号", today: dt.date | None = None) -> str:
    """Validate an 18-character resident ID, 2023 foreign permanent-residence ID or 港澳台居民居住证
    number and return it upper-cased (``document_type`` tells which)."""
    number = (value or "").strip().upper()
    if not number:
        raise ValidationError(f"{field}不能为空。", code="required")
    if len(number) != 18:
        raise ValidationError(f"{field}应为18位，现为{len(number)}位。", code="length")
    for position, char in enumerate(number, start=1):
        allowed = char.isdigit() or (position == 18 and char == "X")
        if not allowed:
            raise ValidationError(
                f"{field}第{position}位“{char}”无效：前17位只能是数字，第18位只能是数字或X。",
                code="char",
            )
    if number[0] not in "123456789":
        raise ValidationError(
            f"{field}第1位“{number[0]}”无效：居民身份证号码以1–8开头，外国人永久居留身份证号码以9开头。",
            code="region",
        )
    if number[0] == "8" and number[:6] not in RESIDENCE_PERMIT_REGIONS:
        raise ValidationError(
            f"{field}第1–6位“{number[:6]}”不是有效的地址码：港澳台居民居住证号码以810000（香港）、"
            "820000（澳门）或830000（台湾）开头。",
            code="region",
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(f"{field}第7–14位出生日期“{number[6:14]}”不是有效日期。", code="birth_date") from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationError(f"{field}第7–14位出生日期“{chinese_date(birth)}”超出合理范围。", code="birth_date")
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            f"{field}第18位校验码应为“{expected}”，实际为“{number[17]}”，请核对是否有数字录入错误。",
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


def validate_credit_code(value: str, *, field: str = "统一社会信用代码") -> str:
    """Validate an 18-character unified social credit code and return it upper-cased."""
    code = (value or "").strip().upper()
    if not code:
        raise ValidationError(f"{field}不能为空。", code="required")
    if len(code) != 18:
        raise ValidationError(f"{field}应为18位，现为{len(code)}位。", code="length")
    for position, char in enumerate(code, start=1):
        if char not in CREDIT_CHARS:
            raise ValidationError(
                f"{field}第{position}位“{char}”无效：只能使用数字和除I、O、Z、S、V以外的大写字母。",
                code="char",
            )
    if not code[2:8].isdigit():
        raise ValidationError(f"{field}第3–8位应为行政区划代码（6位数字）。", code="region")
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(f"{field}第18位校验码应为“{expected}”，实际为“{code[17]}”，请核对。", code="check_char")
    return code
