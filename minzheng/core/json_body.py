"""One reader for a JSON request body (issue 20): what ``json.loads`` accepts but nothing on the
platform can use is refused with a Chinese reason — nesting deeper than any schema has, integers
longer than any amount, counts or codes we hold (10^400 overflowed the engine's columns),
non-finite numbers (``1e999999`` reads as infinity, ``NaN``). The API's parser and the rules
endpoints that read their own body both go through it."""

from __future__ import annotations

import json
import math
from typing import Any

from minzheng.core.errors import ValidationFailed

MAX_DEPTH = 32  # the deepest schema (a household's members' incomes) is 5 levels
# An ID number sent as a number (18 digits) still reaches its row-level check; below 2^63.
MAX_INTEGER_DIGITS = 18


class _Refused(ValueError):
    pass


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _Refused(f"数字位数过多（整数最多{MAX_INTEGER_DIGITS}位）")
    return int(text)


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) >= 10**MAX_INTEGER_DIGITS:
        raise _Refused("数字超出范围")
    return value


def _constant(text: str):
    raise _Refused(f"不接受 {text}，请填写数字")


# Text no database column can hold: NUL (PostgreSQL refuses it in text) and a lone surrogate
# (not UTF-8). JSON allows both as escapes ("\u0000", "\ud800").
NO_NUL_PATTERN = "^[^\\u0000]*$"


def _text_error(text: str) -> str:
    if "\x00" in text:
        return "文字中不能含有空字符（\\u0000）"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "文字中含有无效的Unicode字符（单独的代理项）"
    return ""


def _depth(value: Any, level: int = 1) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, str):
        reason = _text_error(value)
        if reason:
            raise _Refused(reason)
        return level
    if isinstance(value, dict):
        for key in value:
            reason = _text_error(key)
            if reason:
                raise _Refused(reason)
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level


def load_json_body(raw: bytes | str) -> Any:
    """The body as JSON, or ValidationFailed (field "") saying why not."""
    try:
        value = json.loads(raw or b"", parse_int=_integer, parse_float=_number, parse_constant=_constant)
    except _Refused as e:
        raise ValidationFailed({"": str(e)}) from None
    except RecursionError:
        raise ValidationFailed({"": f"请求体嵌套过深（最多{MAX_DEPTH}层）"}) from None
    except json.JSONDecodeError as e:
        raise ValidationFailed({"": f"请求体不是有效的JSON（第{e.lineno}行第{e.colno}列）"}) from None
    except UnicodeDecodeError:
        raise ValidationFailed({"": "请求体不是有效的JSON（应为UTF-8编码）"}) from None
    try:
        depth = _depth(value)
    except _Refused as e:
        raise ValidationFailed({"": str(e)}) from None
    if depth > MAX_DEPTH:
        raise ValidationFailed({"": f"请求体嵌套过深（最多{MAX_DEPTH}层）"})
    return value
