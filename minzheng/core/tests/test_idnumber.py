import datetime as dt

import pytest

from minzheng.core.idnumber import (
    InvalidIdNumber,
    check_digit,
    mask_id_number,
    parse_id_number,
    upgrade_15_to_18,
)


def test_valid_number_gives_birth_date_and_sex():
    parsed = parse_id_number("500102195201207809")
    assert parsed.value == "500102195201207809"
    assert parsed.birth_date == dt.date(1952, 1, 20)
    assert parsed.sex == "F"  # 17th digit 0 is even


def test_check_digit_follows_gb11643_weights():
    assert check_digit("11010519491231002") == "X"
    assert parse_id_number("11010519491231002x").value == "11010519491231002X"


def test_wrong_check_digit_is_refused_in_chinese():
    with pytest.raises(InvalidIdNumber) as e:
        parse_id_number("500102195201207808")
    assert e.value.message == "身份证号码校验位错误，请核对"


def test_impossible_date_is_refused():
    first17 = "50010219520230780"  # 30 February
    with pytest.raises(InvalidIdNumber) as e:
        parse_id_number(first17 + check_digit(first17))
    assert e.value.message == "身份证号码中的出生日期不存在"


def test_future_birth_date_is_refused():
    first17 = "50010220990101780"
    with pytest.raises(InvalidIdNumber) as e:
        parse_id_number(first17 + check_digit(first17), today=dt.date(2026, 11, 28))
    assert e.value.message == "身份证号码中的出生日期不合理"


def test_fifteen_digit_number_is_upgraded():
    assert upgrade_15_to_18("500102520120780") == "500102195201207809"
    parsed = parse_id_number("500102520120780")
    assert parsed.value == "500102195201207809"
    assert parsed.birth_date == dt.date(1952, 1, 20)


def test_unknown_province_and_wrong_length_are_refused():
    with pytest.raises(InvalidIdNumber, match="地址码"):
        parse_id_number("990102195201207809")
    with pytest.raises(InvalidIdNumber, match="当前为17位"):
        parse_id_number("50010219520120780")


def test_number_typed_as_float_is_refused():
    with pytest.raises(InvalidIdNumber, match="文本格式"):
        parse_id_number(5.001021952012078e17)


def test_full_width_digits_are_accepted():
    assert parse_id_number("５００１０２１９５２０１２０７８０９").value == "500102195201207809"


def test_masking():
    assert mask_id_number("500102195201207809") == "500102********7809"
