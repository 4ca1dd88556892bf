"""Every archived need gets its similarity keys, whichever path archived it (the workflow's
归档, or a ledger import of finished needs)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from hqzt.intake.models import SimilarityKey
from hqzt.intake.similar import index_need
from hqzt.needs.models import Need


@receiver(post_save, sender=Need, dispatch_uid="intake-index-archived-need")
def index_archived_need(sender, instance: Need, created: bool, raw: bool = False, **kwargs) -> None:
    # One indexed query when an archived need is saved again; none for the others.
    if raw or instance.archived_at is None:
        return
    if created or not SimilarityKey.objects.filter(need=instance).exists():
        index_need(instance)
