"""Choices of the volunteer line: English values, Chinese labels."""

from django.db import models


class RequestSource(models.TextChoices):
    ELDERLY = "elderly", "老年人档案"
    CHILD = "child", "儿童档案"
    VISIT = "visit", "“三留守”走访"


class RequestStatus(models.TextChoices):
    OPEN = "open", "待对接"
    OFFERED = "offered", "已派单"
    ANSWERED = "answered", "已响应"
    CLOSED = "closed", "已办结"


OPEN_REQUEST_STATES = (RequestStatus.OPEN, RequestStatus.OFFERED)
