from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "hqzt.enterprises"
    verbose_name = "企业、产业链与专业镇"
