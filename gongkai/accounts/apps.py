from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = _("机构与人员")

    def ready(self) -> None:
        # security subscribes the sign-in-from-a-new-address e-mail to its event (core/events.py).
        # twofactor and passwords name their audit events.
        from gongkai.accounts import passwords, security, twofactor  # noqa: F401
