from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressroomConfig(AppConfig):
    name = "gongkai.pressroom"
    label = "pressroom"
    verbose_name = _("新闻发布")

    def ready(self) -> None:
        from gongkai.core import figures
        from gongkai.pressroom import stats, workflows  # noqa: F401 - registers the workflows

        figures.register(self.label, stats.figures)
