from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "hqzt.policies"
    verbose_name = "政策库"
