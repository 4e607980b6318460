"""Citizen ID numbers (GB 11643-1999), validated by check digit and birth date.

We do not check that the address code existed in the birth year (python-stdnum does, and
so refuses Fuling residents born before 1997, when 500102 was created); we require a
plausible province prefix instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from minzheng.core import clock
from minzheng.core.ages import EARLIEST_BIRTH_YEAR
from minzheng.core.errors import DomainError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# GB/T 2260 province-level prefixes (incl. 71 Taiwan, 81 HK, 82 Macau).
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


class InvalidIdNumber(DomainError):
    code = "invalid_id_number"


@dataclass(frozen=True, slots=True)
class IdNumber:
    value: str  # normalised 18-character form
    birth_date: dt.date
    sex: str  # "M" or "F"

    @property
    def address_code(self) -> str:
        return self.value[:6]


def check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def upgrade_15_to_18(value: str) -> str:
    """Legacy GB 11643-1989 numbers: insert century 19 and append the check digit."""
    first17 = value[:6] + "19" + value[6:]
    return first17 + check_digit(first17)


def _normalise(raw: object) -> str:
    if raw is None:
        raise InvalidIdNumber("请填写身份证号码")
    if isinstance(raw, float):
        # An 18-digit number typed into a numeric Excel cell has already lost its last digits.
        raise InvalidIdNumber("身份证号码被当作数字保存，末位已丢失，请将该列设置为文本格式后重新填写")
    text = str(raw).strip().upper()
    # full-width digits and X from Chinese input methods
    text = text.translate(str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX"))
    return text.replace(" ", "")


def parse_id_number(raw: object, *, today: dt.date | None = None) -> IdNumber:
    text = _normalise(raw)
    if len(text) == 15:
        if not text.isdigit():
            raise InvalidIdNumber("15位身份证号码应全部为数字")
        text = upgrade_15_to_18(text)
    elif len(text) != 18:
        raise InvalidIdNumber(f"身份证号码应为18位（或旧式15位），当前为{len(text)}位")
    if not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise InvalidIdNumber("身份证号码格式不正确：前17位应为数字，末位为数字或X")
    if text[:2] not in PROVINCE_PREFIXES:
        raise InvalidIdNumber("身份证号码的地址码不正确")
    try:
        birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise InvalidIdNumber("身份证号码中的出生日期不存在") from None
    today = today or clock.today()
    if birth > today or birth.year < EARLIEST_BIRTH_YEAR:
        raise InvalidIdNumber("身份证号码中的出生日期不合理")
    if check_digit(text[:17]) != text[17]:
        raise InvalidIdNumber("身份证号码校验位错误，请核对")
    sex = "M" if int(text[16]) % 2 == 1 else "F"
    return IdNumber(value=text, birth_date=birth, sex=sex)


def mask_id_number(value: str) -> str:
    """500102********7809: county prefix kept (useful to caseworkers), birth date hidden."""
    if not value:
        return ""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]
