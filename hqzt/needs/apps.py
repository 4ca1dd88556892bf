from django.apps import AppConfig
from django.db.models.signals import post_save


class NeedsConfig(AppConfig):
    name = "hqzt.needs"
    verbose_name = "企业需求"

    def ready(self) -> None:
        from hqzt.enterprises.models import Enterprise
        from hqzt.needs.search_text import enterprise_saved

        post_save.connect(
            enterprise_saved, sender=Enterprise, dispatch_uid="needs.enterprise_renamed"
        )
