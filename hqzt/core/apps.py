from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hqzt.core"
    verbose_name = "基础"
