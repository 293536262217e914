from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewmediaConfig(AppConfig):
    name = "gongkai.newmedia"
    label = "newmedia"
    verbose_name = _("新媒体发布")

    def ready(self) -> None:
        from gongkai.core import figures
        from gongkai.newmedia import receivers, stats, workflows  # noqa: F401 - workflows and subscribers

        figures.register(self.label, stats.figures)
