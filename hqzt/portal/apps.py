from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "hqzt.portal"
    verbose_name = "企业服务门户"
