from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "hqzt.operations"
    verbose_name = "站务（计划、周报、会议、值班、培训、走访）"
