"""Every new need gets its similarity keys, whichever path created it (staff registration,
portal, API, platform push, ledger import)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from hqzt.intake.similar import index_need
from hqzt.needs.models import Need


@receiver(post_save, sender=Need, dispatch_uid="intake-index-new-need")
def index_new_need(sender, instance: Need, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        index_need(instance)
