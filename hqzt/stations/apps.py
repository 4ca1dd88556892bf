from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "hqzt.stations"
    verbose_name = "服务站"
