from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "hqzt.intake"
    verbose_name = "智能识别"
