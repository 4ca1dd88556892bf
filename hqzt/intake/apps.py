from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "hqzt.intake"
    verbose_name = "智能识别"

    def ready(self) -> None:
        from hqzt.intake import signals  # noqa: F401  (connects the receivers)
