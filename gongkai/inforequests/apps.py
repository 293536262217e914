from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InforequestsConfig(AppConfig):
    name = "gongkai.inforequests"
    label = "inforequests"
    verbose_name = _("依申请公开")

    def ready(self) -> None:
        from gongkai.core import figures

        # notify subscribes the closing-letter e-mails to the domain events (core/events.py).
        from gongkai.inforequests import events, notify, receivers, stats  # noqa: F401

        figures.register(self.label, stats.figures)
