from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "gongkai.engagement"
    label = "engagement"
    verbose_name = _("互动交流")

    def ready(self) -> None:
        from gongkai.core import figures

        # workflows, action labels; reminders subscribes its e-mail to the reminder events
        from gongkai.engagement import reminders, services, stats, workflows  # noqa: F401

        figures.register(self.label, stats.figures)
