"""The API's error answers, one shape for every line (docs: README §接口).

    401/403/404/409  ErrorOut   {"detail": "…", "code": "…"?}
    422              ErrorsOut  {"detail": "输入有误", "errors": [{"field": "…", "message": "…"}]}

Lines declare these on their operations only where they add something; the API shell
(minzheng/api/urls.py) answers every refusal in these shapes and documents all five
statuses on every operation.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict

INVALID = "输入有误"


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    code: str | None = None


class ErrorsOut(Schema):
    detail: str
    errors: list[FieldError]


class BodyIn(Schema):
    """The base of every request body: a field the document does not name is refused (422
    naming it) rather than silently ignored, so the document's ``additionalProperties: false``
    is what the server does."""

    model_config = ConfigDict(extra="forbid")


# pydantic error type → Chinese message (the field is named separately).
_MESSAGES = {
    "missing": "缺少必填字段",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为数组",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "请求体不是有效的JSON",
    "string_too_long": "内容过长",
    "string_too_short": "内容过短",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "extra_forbidden": "不接受该字段",
}
# Where the parameter came from: only its own name is shown.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """ninja/pydantic validation errors → [{field, message}] in Chinese."""
    out = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ())]
        if loc and loc[0] == "body":
            # ninja puts the body under the view argument's name ("data", "payload"): drop it.
            loc = loc[2:]
        elif loc and loc[0] in _SOURCES:
            loc = loc[1:]
        out.append({"field": ".".join(loc), "message": _MESSAGES.get(e.get("type", ""), "格式不正确")})
    return out
