"""Resident ID numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015).

Both validators return the normalised value or raise ``ValidationError`` with a Chinese
message that names the position that is wrong, so that a person can correct a typo.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_PATTERN = re.compile(r"\d{17}[\dX]")


def id_check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def looks_like_id_number(value: str) -> bool:
    return bool(ID_PATTERN.fullmatch((value or "").strip().upper()))


def validate_id_number(value: str, *, field: str = "身份证号", today: dt.date | None = None) -> str:
    """Validate an 18-digit resident ID number and return it upper-cased."""
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
    if number[0] not in "12345678":
        raise ValidationError(f"{field}第1位“{number[0]}”不是有效的省级行政区划代码。", code="region")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(f"{field}第7–14位出生日期“{number[6:14]}”不是有效日期。", code="birth_date") from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationError(f"{field}第7–14位出生日期“{birth:%Y年%m月%d日}”超出合理范围。", code="birth_date")
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
