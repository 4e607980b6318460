from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from minzheng.accounts.roles import Role

__all__ = ["ApiToken", "Role", "StaffAssignment", "User"]


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True)
    display_name = models.CharField("姓名", max_length=50, blank=True)
    must_change_password = models.BooleanField("首次登录须修改密码", default=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username


class StaffAssignment(models.Model):
    """A user works for a division: that division and everything below it is theirs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    division_code = models.CharField("所属区划代码", max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "工作区划"
        constraints = [models.UniqueConstraint(fields=["user", "division_code"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.division_code}"


class ApiToken(models.Model):
    """Bearer token for /api/v1/. Only the SM3 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "接口令牌"
