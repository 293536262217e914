"""Departments, staff and their roles, login security."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import DepartmentKind, Role
from gongkai.core.crypto import SealedCharField
from gongkai.core.params import id_param


class Department(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=DepartmentKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )
    position = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_param(cls, value: str | None) -> Department | None:
        """The department a form or query names by its key; none for anything that is no key (empty,
        not digits, more digits than a database key holds)."""
        pk = id_param(value)
        return cls.objects.filter(pk=pk).first() if pk is not None else None


class User(AbstractUser):
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("部门"),
    )
    failed_logins = models.PositiveIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    # Two-factor sign-in (accounts/twofactor.py): the TOTP secret sealed like personal data, when
    # it was confirmed (None: not enrolled), the last time step used (a code works once), and the
    # recovery codes as salted SHA-256 digests (each used once, then removed).
    totp_secret = SealedCharField(_("动态口令密钥"), max_length=64, blank=True, default="")
    totp_confirmed_at = models.DateTimeField(_("启用动态口令时间"), null=True, blank=True)
    totp_last_step = models.BigIntegerField(_("最近使用的口令时段"), default=0)
    recovery_codes = models.JSONField(_("恢复码（摘要）"), default=list, blank=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # Chinese names: family name first, no space.
        return f"{self.last_name}{self.first_name}".strip()

    def role_set(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True)) if self.pk else frozenset()
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set() & set(roles))

    def is_locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("人员"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]
        verbose_name = _("角色")
        verbose_name_plural = _("角色")

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()}"


class PasswordHistory(models.Model):
    """A hash of one of a person's recent passwords (never the password itself), written when a
    password is set (accounts/passwords.py): the last few refuse reuse, the newest dates the
    password for expiry."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="password_history", verbose_name=_("人员")
    )
    password_hash = models.CharField(_("密码摘要"), max_length=128)
    set_at = models.DateTimeField(_("设置时间"))

    class Meta:
        ordering = ["-set_at", "-id"]
        indexes = [models.Index(fields=["user", "-set_at"], name="password_history_user_newest")]
        verbose_name = _("密码历史")
        verbose_name_plural = _("密码历史")

    def __str__(self) -> str:
        return f"{self.user} {self.set_at:%Y-%m-%d}"
