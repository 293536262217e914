"""`gongkai demo`: load the seed agency's 2015 catalog (skipped if already loaded)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.accounts import twofactor
from gongkai.accounts.models import User
from gongkai.portal.demo import DEMO_PASSWORD, demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load deterministic demo data: the seed agency's 2015 catalog, staff and channels."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_loaded():
            self.stdout.write("Demo data already loaded.")
            return
        load_demo(progress=lambda msg: self.stdout.write(f"  {msg}"))
        self.stdout.write(self.style.SUCCESS(f"Demo loaded. Staff log in as gongkaiban / {DEMO_PASSWORD}"))
        if User.objects.filter(username="gongkaiban", totp_confirmed_at__isnull=False).exists():
            self.stdout.write(
                "Second factor: the demo accounts share the published TOTP secret "
                f"{twofactor.DEMO_SECRET}; the code page shows the current code."
            )
