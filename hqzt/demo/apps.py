from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hqzt.demo"
    verbose_name = "演示数据"
