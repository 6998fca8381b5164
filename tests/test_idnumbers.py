"""GB 11643 resident ID numbers and GB 32100 unified social credit codes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.idnumbers import mask_id_number, validate_credit_code, validate_id_number

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
