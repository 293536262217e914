from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressroomConfig(AppConfig):
    name = "gongkai.pressroom"
    label = "pressroom"
    verbose_name = _("新闻发布")
