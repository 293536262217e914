from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        # Every app's jobs (its tasks module), in every process: the web process queues them and
        # names them on the jobs page; the worker (`gongkai run_huey`) runs them.
        autodiscover_modules("tasks")
