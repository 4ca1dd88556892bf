from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "hqzt.supervision"
    verbose_name = "工作监督"
