from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "hqzt.dashboard"
    verbose_name = "工作台"
