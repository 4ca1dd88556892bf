from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "hqzt.stations"
    verbose_name = "服务站"

    def ready(self) -> None:
        from hqzt.stations import counts

        counts.connect()
