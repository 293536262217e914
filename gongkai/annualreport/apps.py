from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualreportConfig(AppConfig):
    name = "gongkai.annualreport"
    label = "annualreport"
    verbose_name = _("年度报告")

    def ready(self) -> None:
        # the workflow; reminders subscribes its e-mail to the reminder event
        from gongkai.annualreport import reminders, workflows  # noqa: F401
