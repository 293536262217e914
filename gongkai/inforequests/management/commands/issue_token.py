"""`gongkai issue_token NAME`: a token for one integrating system, printed once (only its hash is kept)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.inforequests.models import IntegrationToken
from gongkai.inforequests.services import issue_integration_token


class Command(BaseCommand):
    help = "为接入系统签发调用令牌（只显示一次）。Issue an API token for an integrating system (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="接入系统名称 (the system's name, unique), e.g. 省统一平台")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        if not name:
            raise CommandError("请给出接入系统名称。(Give the system's name.)")
        if IntegrationToken.objects.filter(name=name).exists():
            raise CommandError(
                f"“{name}”已有令牌；如需更换，请先停用旧令牌并换一个名称。"
                f" ({name!r} already has a token; deactivate it and use another name.)"
            )
        _token, plain = issue_integration_token(name, actor=None)
        self.stderr.write(
            f"已为“{name}”签发令牌。它只显示这一次，请立即妥善保存；调用时使用请求头 "
            f"Authorization: Bearer <令牌>。(Token for {name!r}; shown once. Send it as "
            "Authorization: Bearer <token>.)"
        )
        self.stdout.write(plain)
