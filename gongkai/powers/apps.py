from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowersConfig(AppConfig):
    name = "gongkai.powers"
    label = "powers"
    verbose_name = _("权责清单")

    def ready(self) -> None:
        from gongkai.core import figures
        from gongkai.powers import stats, workflows  # noqa: F401 - registers the workflows

        figures.register(self.label, stats.figures)
