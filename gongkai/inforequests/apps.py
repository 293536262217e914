from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InforequestsConfig(AppConfig):
    name = "gongkai.inforequests"
    label = "inforequests"
    verbose_name = _("依申请公开")

    def ready(self) -> None:
        from gongkai.core import figures

        # notify subscribes the closing-letter e-mails to the domain events (core/events.py).
        from gongkai.inforequests import events, letter_services, notify, receivers, stats  # noqa: F401
        from gongkai.inforequests.workflows import APPLICATION

        figures.register(self.label, stats.figures)
        # Each act issues its letters inside its own transaction, frozen as issued.
        if letter_services.after_act not in APPLICATION.after_act:
            APPLICATION.after_act.append(letter_services.after_act)
