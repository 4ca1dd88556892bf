from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hqzt.api"
    verbose_name = "接口"

    def ready(self) -> None:
        from hqzt.api import schema  # noqa: F401  (registers the OpenAPI extension)
