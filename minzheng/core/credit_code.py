"""统一社会信用代码 (GB 32100-2015): 18 characters — 登记管理部门代码 (1), 机构类别代码 (1),
登记管理机关行政区划码 (6), 主体标识码 (9, the organisation code) and the check character (1).

The character set is the digits and the capitals without I, O, Z, S, V (31 characters, each
worth its index); the check character is 31 − (Σ value × weight mod 31), 31 written as 0.
``credit_code_error`` returns a Chinese message naming the field, or "" when the code is valid."""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALUES = {c: i for i, c in enumerate(CHARSET)}


def check_character(first17: str) -> str:
    """The 18th character of a code whose first 17 characters are given (upper case, valid set)."""
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalise_credit_code(value: str | None) -> str:
    return (value or "").strip().upper()


def credit_code_error(value: str | None, label: str = "统一社会信用代码") -> str:
    code = normalise_credit_code(value)
    if not code:
        return f"请填写{label}"
    if len(code) != 18:
        return f"{label}应为18位（当前{len(code)}位）"
    bad = [c for c in code if c not in VALUES]
    if bad:
        return f"{label}含有不允许的字符“{bad[0]}”（不使用I、O、Z、S、V）"
    if not code[2:8].isdigit():
        return f"{label}第3至8位应为登记管理机关行政区划码（数字）"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"{label}校验码错误：第18位应为“{expected}”，请核对"
    return ""


def is_valid_credit_code(value: str | None) -> bool:
    return credit_code_error(value) == ""
