from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "hqzt.dashboard"
    verbose_name = "工作台"

    def ready(self) -> None:
        from hqzt.dashboard import signals

        signals.connect()
