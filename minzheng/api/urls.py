"""/api/v1/ — one NinjaAPI; each service line adds its router in ROUTERS."""

from __future__ import annotations

from django.contrib.auth import authenticate
from ninja import NinjaAPI, Schema, Status

from minzheng.accounts.actor import build_actor
from minzheng.api.auth import BearerAuth, issue_token
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed

api = NinjaAPI(
    title="涪陵智慧民政平台 API",
    version="1",
    urls_namespace="api",
    auth=BearerAuth(),
    # The Swagger page loads its assets from a CDN, which the CSP and the closed network forbid.
    docs_url=None,
)


@api.exception_handler(NotFound)
def _not_found(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=403)


@api.exception_handler(ValidationFailed)
def _invalid(request, exc):
    return api.create_response(
        request,
        {"detail": "输入有误", "errors": [{"field": k, "message": v} for k, v in exc.errors.items()]},
        status=422,
    )


@api.exception_handler(DomainError)
def _domain(request, exc):
    return api.create_response(request, {"detail": exc.message, "code": exc.code}, status=409)


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    access_token: str
    token_type: str = "bearer"
    expires_at: str


class ErrorOut(Schema):
    detail: str


@api.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut}, tags=["认证"])
def create_token(request, data: TokenIn):
    user = authenticate(request, username=data.username, password=data.password)
    if user is None:
        return Status(401, {"detail": "用户名或密码错误"})
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
from minzheng.communities import api as _communities  # noqa: E402
from minzheng.placenames import api as _placenames  # noqa: E402
from minzheng.exchange import api as _exchange  # noqa: E402
from minzheng.lowincome import api as _lowincome  # noqa: E402
from minzheng.screening import api as _screening  # noqa: E402
from minzheng.planning import api as _planning  # noqa: E402
from minzheng.rescue import api as _rescue  # noqa: E402
from minzheng.referrals import api as _referrals  # noqa: E402
from minzheng.registry import api as _death_reports  # noqa: E402

api.add_router("/", _registry.router)
api.add_router("/death-reports", _death_reports.router)
api.add_router("/assistance/", _assistance.router, tags=["社会救助"])
api.add_router("/rules/", _screening.router, tags=["规则与筛查"])
api.add_router("/exchange/", _exchange.router, tags=["数据交换"])
api.add_router("/discovery/", _discovery.router, tags=["主动发现与预警"])
api.add_router("/eldercare/", _eldercare.router, tags=["养老服务"])
api.add_router("/funerals/", _funerals.router, tags=["殡葬管理"])
api.add_router("/communities/", _communities.router, tags=["城乡社区治理"])
api.add_router("/placenames/", _placenames.router, tags=["区划地名"])
api.add_router("/children/", _children.router, tags=["儿童福利"])
api.add_router("/lowincome/", _lowincome.router, tags=["低收入人口"])
api.add_router("/rescue/", _rescue.router, tags=["救助管理"])
api.add_router("/disability/", _disability.router, tags=["残疾人两项补贴"])
api.add_router("/referrals/", _referrals.router, tags=["专项救助转介与社区康复"])
api.add_router("/adoption/", _adoption.router, tags=["收养登记"])
api.add_router("/planning/", _planning.router, tags=["规划监测"])
