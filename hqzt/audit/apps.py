from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hqzt.audit"
    verbose_name = "操作记录"
