from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "hqzt.records"
    verbose_name = "资料管理"
