"""A JSON body: one bounded reader (issue 20)."""

from __future__ import annotations

import pytest

from minzheng.core.errors import ValidationFailed
from minzheng.core.json_body import load_json_body


def test_an_ordinary_body_reads_as_json():
    assert load_json_body(b'{"rows": [], "amount": 12.5, "count": 500102195201207809}') == {
        "rows": [], "amount": 12.5, "count": 500102195201207809,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"a": 1' + b"0" * 400 + b"}", "数字位数过多（整数最多18位）"),
        (b'{"a": 1e999999}', "数字超出范围"),
        (b'{"a": NaN}', "不接受 NaN，请填写数字"),
        (b'{"a": -Infinity}', "不接受 -Infinity，请填写数字"),
        (b"[" * 5000 + b"]" * 5000, "请求体嵌套过深（最多32层）"),
        (b'{"a":' * 33 + b"1" + b"}" * 33, "请求体嵌套过深（最多32层）"),
        (b'{"a": ', "请求体不是有效的JSON（第1行第7列）"),
        (b'{"a": "\xff"}', "请求体不是有效的JSON（应为UTF-8编码）"),
    ],
)
def test_what_nothing_can_use_is_refused_with_the_reason(raw, reason):
    with pytest.raises(ValidationFailed) as e:
        load_json_body(raw)
    assert e.value.errors == {"": reason}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"name": "L6\\u0000a"}', "文字中不能含有空字符（\\u0000）"),
        (b'{"\\u0000": 1}', "文字中不能含有空字符（\\u0000）"),
        (b'{"rows": [{"name": "\\ud800"}]}', "文字中含有无效的Unicode字符（单独的代理项）"),
    ],
)
def test_text_no_column_can_hold_is_refused(raw, message):
    """A NUL in a place name answered 500 on PostgreSQL (it cannot store NUL in text)."""
    with pytest.raises(ValidationFailed) as e:
        load_json_body(raw)
    assert e.value.errors == {"": message}


def test_a_valid_surrogate_pair_is_text_like_any_other():
    assert load_json_body(b'{"name": "\\ud842\\udfb7"}') == {"name": "𠮷"}
