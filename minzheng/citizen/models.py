"""The citizens' side (网上办 · 掌上办, issue 22): accounts signed in by a one-time code sent to
a mobile number, bound by name and ID number to one person of the registry.

No staff account is involved: a citizen never has a ``User``, a role or a division scope, so
nothing of the staff platform (its pages, its API, its scoping) can serve them. A mobile number
is personal data: stored encrypted, found by its blind index, shown masked."""

from __future__ import annotations

from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.citizen.enums import MessageTopic


class CitizenAccount(models.Model):
    phone_index = models.CharField("手机号检索索引", max_length=64, unique=True)
    phone_encrypted = models.TextField("手机号（密文）")
    phone_masked = models.CharField("手机号（脱敏）", max_length=20)
    person = models.OneToOneField(
        "registry.Person", verbose_name="实名认证的人员", null=True, blank=True, on_delete=models.PROTECT, related_name="citizen_account"
    )
    bound_at = models.DateTimeField("实名认证时间", null=True, blank=True)
    created_at = models.DateTimeField("注册时间", auto_now_add=True)
    last_login_at = models.DateTimeField("最近登录", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "群众账号"

    def __str__(self) -> str:
        return self.phone_masked


class OneTimeCode(models.Model):
    """A sign-in code sent by SMS: kept as a keyed hash, valid a few minutes, a few tries."""

    phone_index = models.CharField("手机号检索索引", max_length=64, db_index=True)
    code_hash = models.CharField("验证码摘要", max_length=64)
    ip_address = models.GenericIPAddressField("请求地址", null=True, blank=True)
    created_at = models.DateTimeField("发送时间", db_index=True)
    expires_at = models.DateTimeField("失效时间")
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "短信验证码"
        indexes = [models.Index(fields=["ip_address", "created_at"], name="otp_ip_time_idx")]


class BindingAttempt(models.Model):
    """A real-name check (name + ID number against the registry), successful or not: counted
    per account and day so that nobody can try ID numbers one after another."""

    account = models.ForeignKey(CitizenAccount, on_delete=models.CASCADE, related_name="binding_attempts")
    at = models.DateTimeField("时间", db_index=True)
    succeeded = models.BooleanField("是否通过")

    class Meta:
        verbose_name = verbose_name_plural = "实名认证尝试"


class SmsOutbox(models.Model):
    """What the SMS stand-in "sent" (the demo and tests read it); a real gateway replaces it."""

    phone_index = models.CharField("手机号检索索引", max_length=64, db_index=True)
    phone_masked = models.CharField("手机号（脱敏）", max_length=20)
    text = models.TextField("短信内容")
    sent_at = models.DateTimeField("发送时间")

    class Meta:
        verbose_name = verbose_name_plural = "短信发件箱（演示）"


class CitizenMessage(models.Model):
    """群众留言 (12345-style) to the bureau: a topic and a town (or the district); it waits on the
    待办 of the staff of that topic and division until answered, by ``due_on`` (working days,
    a dated rules parameter). The 殡葬服务咨询 is one of them (topic 殡葬, the district)."""

    number = models.CharField("留言编号", max_length=24, unique=True)
    account = models.ForeignKey(CitizenAccount, on_delete=models.PROTECT, related_name="messages", verbose_name="群众账号")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="留言人")
    topic = models.CharField("事项", max_length=16, choices=MessageTopic.choices)
    division_code = models.CharField("受理区划代码", max_length=12)
    text = models.TextField("留言内容")
    submitted_at = models.DateTimeField("提交时间")
    due_on = models.DateField("答复期限")
    answer = models.TextField("答复内容", blank=True)
    answered_by_name = models.CharField("答复人", max_length=150, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "群众留言"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["division_code", "answered_at"], name="citizen_msg_div_open_idx"),
            models.Index(fields=["account", "submitted_at"], name="citizen_msg_account_idx"),
        ]
