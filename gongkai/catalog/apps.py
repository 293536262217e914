from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    label = "catalog"
    verbose_name = _("公开目录")

    def ready(self) -> None:
        from gongkai.catalog import receivers, stats  # noqa: F401
        from gongkai.core import figures

        figures.register(self.label, stats.figures)
