from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "hqzt.org"
    verbose_name = "组织机构"
