from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "hqzt.needs"
    verbose_name = "企业需求"
