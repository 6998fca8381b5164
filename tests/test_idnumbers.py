"""GB 11643 resident ID numbers and GB 32100 unified social credit codes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.idnumbers import (
    DOCUMENT_TYPES,
    FOREIGN_PERMANENT_RESIDENT,
    HK_MACAO_RESIDENCE,
    RESIDENT_ID,
    TAIWAN_RESIDENCE,
    document_type,
    id_check_char,
    mask_id_number,
    nationality_from_id,
    nationality_name,
    validate_credit_code,
    validate_id_number,
)

VALID_ID = "11010519491231002X"  # the standard's own example


def test_it_accepts_the_standards_example_and_normalises_case():
    assert validate_id_number("11010519491231002x") == VALID_ID


def test_it_names_the_wrong_check_digit():
    with pytest.raises(ValidationError) as error:
        validate_id_number("110105194912310021")
    assert "第18位校验码应为“X”，实际为“1”" in error.value.messages[0]


def test_it_names_the_wrong_length():
    with pytest.raises(ValidationError) as error:
        validate_id_number("1101051949123100")
    assert "应为18位，现为16位" in error.value.messages[0]


def test_it_names_a_letter_in_the_digits():
    with pytest.raises(ValidationError) as error:
        validate_id_number("1101A5194912310021")
    assert "第5位“A”无效" in error.value.messages[0]


def test_it_refuses_an_impossible_birth_date():
    with pytest.raises(ValidationError) as error:
        validate_id_number("110105194902300020")
    assert "第7–14位出生日期“19490230”不是有效日期" in error.value.messages[0]


def test_it_refuses_a_birth_date_in_the_future():
    with pytest.raises(ValidationError) as error:
        validate_id_number("110105203001010016", today=dt.date(2026, 11, 23))
    assert "超出合理范围" in error.value.messages[0]


def test_it_masks_all_but_the_first_three_and_last_four():
    assert mask_id_number(VALID_ID) == "110***********002X"


def test_it_accepts_a_valid_credit_code():
    assert validate_credit_code("91350100m000100y43") == "91350100M000100Y43"


def test_it_names_the_wrong_credit_check_character():
    with pytest.raises(ValidationError) as error:
        validate_credit_code("91350100M000100Y44")
    assert "第18位校验码应为“3”，实际为“4”" in error.value.messages[0]


def test_it_refuses_letters_the_credit_code_alphabet_excludes():
    with pytest.raises(ValidationError) as error:
        validate_credit_code("91350100O000100Y43")
    assert "第9位“O”无效" in error.value.messages[0]


# --- Foreign permanent residents and Hong Kong, Macao and Taiwan residents ------------------------
# 001_272b0a6ee81b04e4.txt 一(二): 在内地就业的港澳台专业技术人员，以及持有外国人永久居留证…的外籍人员
# may file, so their 18-character numbers are accepted like a resident ID.


def with_check(first17: str) -> str:
    return first17 + id_check_char(first17)


# 9 · 11 (Beijing issued it) · 840 (USA, GB/T 2659 numeric) · 1985-06-15 · 001 · check
FOREIGN = with_check("91184019850615001")
HONG_KONG = with_check("81000019900101123")
MACAO = with_check("82000019880808456")
TAIWAN = with_check("83000019750310789")


@pytest.mark.parametrize(
    ("number", "kind", "label", "nationality"),
    [
        (VALID_ID, RESIDENT_ID, "身份证", "156"),
        (FOREIGN, FOREIGN_PERMANENT_RESIDENT, "外国人永久居留身份证", "840"),
        (HONG_KONG, HK_MACAO_RESIDENCE, "港澳居民居住证", "156"),
        (MACAO, HK_MACAO_RESIDENCE, "港澳居民居住证", "156"),
        (TAIWAN, TAIWAN_RESIDENCE, "台湾居民居住证", "156"),
    ],
)
def test_it_accepts_each_kind_of_number_and_tells_the_document_and_nationality(number, kind, label, nationality):
    """001 一(二): 港澳台 residents and foreign permanent residents file with their own numbers."""
    assert validate_id_number(number.lower()) == number
    assert document_type(number) == kind
    assert DOCUMENT_TYPES[document_type(number)] == label
    assert nationality_from_id(number) == nationality


def test_it_names_the_nationality_of_a_foreign_number():
    """001 一(二) 外籍人员: positions 4–6 carry the GB/T 2659 numeric nationality code."""
    assert nationality_name(nationality_from_id(FOREIGN)) == "美国"
    assert nationality_name("156") == "中国"
    assert nationality_name("999") == "国籍代码999"


@pytest.mark.parametrize("number", [FOREIGN, HONG_KONG, MACAO, TAIWAN])
def test_it_names_a_wrong_check_digit_of_each_kind(number):
    """001 一(二): the GB 11643 MOD 11-2 check character guards these numbers too."""
    wrong = "0" if number[17] != "0" else "1"
    with pytest.raises(ValidationError) as error:
        validate_id_number(number[:17] + wrong)
    assert f"第18位校验码应为“{number[17]}”，实际为“{wrong}”" in error.value.messages[0]


@pytest.mark.parametrize("prefix", ["911840", "810000", "820000", "830000"])
def test_it_refuses_an_impossible_birth_date_of_each_kind(prefix):
    """001 一(二): positions 7–14 are the birth date in every kind."""
    with pytest.raises(ValidationError) as error:
        validate_id_number(with_check(f"{prefix}19850230001"))
    assert "第7–14位出生日期“19850230”不是有效日期" in error.value.messages[0]
    with pytest.raises(ValidationError) as future:
        validate_id_number(with_check(f"{prefix}20300101001"), today=dt.date(2026, 11, 23))
    assert "超出合理范围" in future.value.messages[0]


def test_it_refuses_an_8_that_is_not_a_residence_permit_address_code():
    """001 一(二): 居住证 numbers start 810000, 820000 or 830000; no mainland address starts with 8."""
    with pytest.raises(ValidationError) as error:
        validate_id_number(with_check("81010119900101123"))
    assert "第1–6位“810101”不是有效的地址码" in error.value.messages[0]


def test_it_refuses_a_number_starting_with_0_or_a_foreign_number_of_the_wrong_length():
    """001 一(二): first character 1–8 for citizens and 居住证, 9 for foreign permanent residents."""
    with pytest.raises(ValidationError) as zero:
        validate_id_number(with_check("01010519491231002"))
    assert "第1位“0”无效" in zero.value.messages[0]
    with pytest.raises(ValidationError) as short:
        validate_id_number(FOREIGN[:17])
    assert "应为18位，现为17位" in short.value.messages[0]
    with pytest.raises(ValidationError) as letters:
        validate_id_number("9USA" + FOREIGN[4:])
    assert "第2位“U”无效" in letters.value.messages[0]
