"""/api/v1/ — one NinjaAPI; each service line adds its router in ROUTERS."""

from __future__ import annotations

from django.contrib.auth import authenticate
from ninja import NinjaAPI, Schema, Status
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from minzheng.accounts.actor import build_actor
from minzheng.api.auth import BearerAuth, issue_token
from minzheng.core.api_errors import BodyIn, ErrorOut, ErrorsOut, INVALID, field_errors
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, DuplicateValue, NotFound, PermissionDenied, ReferenceNotFound, ValidationFailed
from minzheng.core.json_body import MAX_INTEGER_DIGITS, NO_NUL_PATTERN, load_json_body

# Every operation may answer these; each is documented on every operation (a line's own
# declaration of a status, e.g. a feed's refused batch on 422, is kept and widened).
ERROR_RESPONSES = {
    "401": ("未提供有效的访问令牌，或令牌已过期、已撤销", "ErrorOut"),
    "403": ("无权进行此操作（含须先修改初始密码的账号）", "ErrorOut"),
    "404": ("记录不存在或无权访问", "ErrorOut"),
    "409": ("当前状态不允许此操作", "ErrorOut"),
    "422": ("输入有误：逐项说明字段和原因", "ErrorsOut"),
}


class MinzhengAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorOut, ErrorsOut):
            schemas.setdefault(model.__name__, _component(model))
        schemas.setdefault("FieldError", _component(ErrorsOut)["$defs"]["FieldError"])
        schemas["ErrorsOut"].pop("$defs", None)
        for component in schemas.values():
            _state_number_bounds(component)
        for path in schema["paths"].values():
            for operation in path.values():
                for parameter in operation.get("parameters", []):
                    _drop_null_branch(parameter)
                for content in operation.get("requestBody", {}).get("content", {}).values():
                    _state_number_bounds(content.get("schema", {}))
                responses = {str(k): v for k, v in operation.get("responses", {}).items()}
                operation["responses"] = responses
                for status, (description, name) in ERROR_RESPONSES.items():
                    ref = {"$ref": f"#/components/schemas/{name}"}
                    declared = responses.get(status)
                    if declared is None:
                        responses[status] = {"description": description, "content": {"application/json": {"schema": ref}}}
                        continue
                    body = declared.setdefault("content", {}).setdefault("application/json", {})
                    own = body.get("schema")
                    if own is not None and own != ref:
                        body["schema"] = {"anyOf": [own, ref]}
                    else:
                        body["schema"] = ref
        return schema


# What the bounded JSON reader (core.json_body) accepts of any number, stated on every integer
# and number the document has no narrower bound for; and of any text (no NUL character).
_INTEGER_BOUND = 10**MAX_INTEGER_DIGITS - 1


def _state_number_bounds(schema: dict) -> None:
    if not isinstance(schema, dict):
        return
    kind = schema.get("type")
    if kind == "integer":
        schema.setdefault("minimum", -_INTEGER_BOUND)
        schema.setdefault("maximum", _INTEGER_BOUND)
    elif kind == "number":
        schema.setdefault("minimum", -_INTEGER_BOUND)
        schema.setdefault("maximum", _INTEGER_BOUND)
    elif kind == "string" and not {"pattern", "enum", "format", "const"} & schema.keys():
        schema["pattern"] = NO_NUL_PATTERN
    for key in ("properties", "$defs"):
        for sub in schema.get(key, {}).values():
            _state_number_bounds(sub)
    for key in ("items", "additionalProperties"):
        _state_number_bounds(schema.get(key))
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            _state_number_bounds(sub)


def _drop_null_branch(parameter: dict) -> None:
    """An optional query parameter is "absent", never null: a query string cannot carry null
    (``?year=null`` is the text "null"), so its schema is the non-null branch alone."""
    schema = parameter.get("schema", {})
    branches = [b for b in schema.get("anyOf", ()) if b.get("type") != "null"]
    if "anyOf" in schema and len(branches) == 1:
        schema.pop("anyOf")
        schema.update(branches[0])


def _component(model) -> dict:
    out = model.model_json_schema(ref_template="#/components/schemas/{model}")
    return out


class BoundedJSONParser(Parser):
    """Every body through the one bounded reader: too deep, too long a number, NaN → 422."""

    def parse_body(self, request):
        return load_json_body(request.body)


api = MinzhengAPI(
    parser=BoundedJSONParser(),
    title="涪陵智慧民政平台 API",
    version="1",
    urls_namespace="api",
    auth=BearerAuth(),
    # The Swagger page loads its assets from a CDN, which the CSP and the closed network forbid.
    docs_url=None,
)


@api.exception_handler(ValidationError)
def _schema_invalid(request, exc):
    """One answer for every request the schema refuses: ErrorsOut, in Chinese."""
    return api.create_response(request, {"detail": INVALID, "errors": field_errors(exc.errors)}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": "未提供有效的访问令牌，或令牌已过期、已撤销"}, status=401)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400 and isinstance(exc.__cause__, ValidationFailed):
        return _invalid(request, exc.__cause__)  # the bounded parser's reason, kept
    if exc.status_code == 400:
        # ninja's "Cannot parse request body": a body that is not JSON is bad input like any other.
        return api.create_response(
            request, {"detail": INVALID, "errors": [{"field": "", "message": "请求体不是有效的JSON"}]}, status=422
        )
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(Http404)
def _no_route_object(request, exc):
    return api.create_response(request, {"detail": "记录不存在或无权访问"}, status=404)


@api.exception_handler(NotFound)
def _not_found(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=403)


@api.exception_handler(ReferenceNotFound)
def _reference_not_found(request, exc):
    """A body naming a person or household that does not exist or is not the caller's: 404,
    as reading it by URL would be; the message names the field."""
    return api.create_response(request, {"detail": "；".join(exc.errors.values()), "code": exc.code}, status=404)


@api.exception_handler(DuplicateValue)
def _duplicate(request, exc):
    return api.create_response(request, {"detail": "；".join(exc.errors.values()), "code": exc.code}, status=409)


@api.exception_handler(ValidationFailed)
def _invalid(request, exc):
    return api.create_response(
        request,
        {"detail": INVALID, "errors": [{"field": k, "message": v} for k, v in exc.errors.items()]},
        status=422,
    )


@api.exception_handler(DomainError)
def _domain(request, exc):
    return api.create_response(request, {"detail": exc.message, "code": exc.code}, status=409)


class TokenIn(BodyIn):
    username: str
    password: str


class TokenOut(Schema):
    access_token: str
    token_type: str = "bearer"
    expires_at: str


MUST_CHANGE_PASSWORD = "请先登录网页修改初始密码，再申请接口令牌"


@api.post(
    "/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorsOut}, tags=["认证"],
    exclude_none=True,
    summary="申请接口令牌（8小时有效；修改密码或退出登录后全部作废）",
)  # fmt: skip
def create_token(request, data: TokenIn):
    """429: too many failed logins (the account is locked for 30 minutes), in ErrorsOut."""
    user = authenticate(request, username=data.username, password=data.password)
    if user is None:
        return Status(401, {"detail": "用户名或密码错误"})
    if user.must_change_password:
        return Status(403, {"detail": MUST_CHANGE_PASSWORD, "code": "must_change_password"})
    token, expires = issue_token(user)

    record_audit_event(build_actor(user, request.META.get("REMOTE_ADDR")), AuditAction.LOGIN, summary="接口令牌登录")
    return Status(200, {"access_token": token, "expires_at": expires.isoformat()})


from minzheng.api import registry as _registry  # noqa: E402
from minzheng.adoption import api as _adoption  # noqa: E402
from minzheng.assistance import api as _assistance  # noqa: E402
from minzheng.children import api as _children  # noqa: E402
from minzheng.disability import api as _disability  # noqa: E402
from minzheng.discovery import api as _discovery  # noqa: E402
from minzheng.eldercare import api as _eldercare  # noqa: E402
from minzheng.funerals import api as _funerals  # noqa: E402
from minzheng.lottery import api as _lottery  # noqa: E402
from minzheng.communities import api as _communities  # noqa: E402
from minzheng.placenames import api as _placenames  # noqa: E402
from minzheng.exchange import api as _exchange  # noqa: E402
from minzheng.lowincome import api as _lowincome  # noqa: E402
from minzheng.screening import api as _screening  # noqa: E402
from minzheng.planning import api as _planning  # noqa: E402
from minzheng.rescue import api as _rescue  # noqa: E402
from minzheng.referrals import api as _referrals  # noqa: E402
from minzheng.sociorgs import api as _sociorgs  # noqa: E402
from minzheng.charity import api as _charity  # noqa: E402
from minzheng.registry import api as _death_reports  # noqa: E402
from minzheng.socialwork import api as _socialwork  # noqa: E402
from minzheng.volunteers import api as _volunteers  # noqa: E402
from minzheng.jobs import api as _jobs  # noqa: E402

api.add_router("/", _registry.router)
api.add_router("/death-reports", _death_reports.router)
api.add_router("/assistance/", _assistance.router, tags=["社会救助"])
api.add_router("/rules/", _screening.router, tags=["规则与筛查"])
api.add_router("/exchange/", _exchange.router, tags=["数据交换"])
api.add_router("/discovery/", _discovery.router, tags=["主动发现与预警"])
api.add_router("/eldercare/", _eldercare.router, tags=["养老服务"])
api.add_router("/funerals/", _funerals.router, tags=["殡葬管理"])
api.add_router("/sociorgs/", _sociorgs.router, tags=["社会组织"])
api.add_router("/charity/", _charity.router, tags=["慈善事业"])
api.add_router("/lottery/", _lottery.router, tags=["福利彩票"])
api.add_router("/communities/", _communities.router, tags=["城乡社区治理"])
api.add_router("/placenames/", _placenames.router, tags=["区划地名"])
api.add_router("/children/", _children.router, tags=["儿童福利"])
api.add_router("/lowincome/", _lowincome.router, tags=["低收入人口"])
api.add_router("/rescue/", _rescue.router, tags=["救助管理"])
api.add_router("/disability/", _disability.router, tags=["残疾人两项补贴"])
api.add_router("/referrals/", _referrals.router, tags=["专项救助转介与社区康复"])
api.add_router("/adoption/", _adoption.router, tags=["收养登记"])
from minzheng.marriage import api as _marriage  # noqa: E402
api.add_router("/marriage/", _marriage.router, tags=["婚姻登记"])
api.add_router("/socialwork/", _socialwork.router, tags=["社会工作"])
api.add_router("/volunteers/", _volunteers.router, tags=["志愿服务"])
api.add_router("/planning/", _planning.router, tags=["规划监测"])
api.add_router("/jobs/", _jobs.router, tags=["后台任务"])
