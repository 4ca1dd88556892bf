from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hqzt.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from hqzt.core import admin_chinese

        admin_chinese.apply()
