"""Every write that moves a statistic moves its NeedStat rows in the same transaction (ADR 0009).

A need's own fields change through `Need.save` (transitions, registration, evaluation, imports,
edits, merges: all of them save the need, none updates needs in bulk), which runs in a
transaction; co-handling sections, an enterprise's chains and town, and suggestion records have
their own signals here. Before a change the need is locked and its buckets read; after it they
are read again and the difference added.
"""

from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)

from hqzt.dashboard import aggregates
from hqzt.enterprises.models import Enterprise
from hqzt.intake.models import SuggestionRecord
from hqzt.needs.models import Need


def _need_before(sender, instance: Need, raw=False, **kwargs) -> None:
    instance._stat_before = {}
    if instance.pk and not instance._state.adding:
        locked = Need.objects.select_for_update().filter(pk=instance.pk)
        if locked.exists():
            instance._stat_before = aggregates.buckets(locked)


def _need_after(sender, instance: Need, raw=False, **kwargs) -> None:
    after = aggregates.buckets(Need.objects.filter(pk=instance.pk))
    aggregates.apply(instance.__dict__.pop("_stat_before", {}), after)


def _need_deleting(sender, instance: Need, **kwargs) -> None:
    # Its suggestion records are deleted before it, each taking its own stage counts away.
    instance._stat_before = aggregates.buckets(
        Need.objects.filter(pk=instance.pk), suggestions=False
    )


def _need_deleted(sender, instance: Need, **kwargs) -> None:
    aggregates.apply(instance.__dict__.pop("_stat_before", {}), {})


def _m2m(needs_for):
    """A handler for an m2m relation: `needs_for(instance, reverse, action, pk_set)` names the
    needs whose buckets the change may move; read before the change, applied after it."""

    def handler(sender, instance, action, reverse, pk_set, **kwargs):
        if action.startswith("pre_"):
            needs = needs_for(instance, reverse, action, pk_set)
            ids = list(needs.values_list("pk", flat=True))
            instance._stat_m2m = (ids, aggregates.buckets(Need.objects.filter(pk__in=ids)))
        elif action.startswith("post_") and hasattr(instance, "_stat_m2m"):
            ids, before = instance.__dict__.pop("_stat_m2m")
            aggregates.apply(before, aggregates.buckets(Need.objects.filter(pk__in=ids)))

    return handler


def _co_section_needs(instance, reverse, action, pk_set):
    if not reverse:
        return Need.objects.filter(pk=instance.pk)
    if action == "pre_clear":
        return instance.co_handled_needs.all()
    return Need.objects.filter(pk__in=pk_set or [])


def _chain_needs(instance, reverse, action, pk_set):
    if not reverse:
        return aggregates.needs_of([instance.pk])
    if action == "pre_clear":
        return aggregates.needs_of(instance.enterprises.values_list("pk", flat=True))
    return aggregates.needs_of(pk_set or [])


def _enterprise_before(sender, instance: Enterprise, raw=False, **kwargs) -> None:
    if not instance.pk or instance._state.adding:
        return
    old = Enterprise.objects.filter(pk=instance.pk).values_list("town_id", flat=True).first()
    if old != instance.town_id:
        instance._stat_before = aggregates.buckets(aggregates.needs_of([instance.pk]))


def _enterprise_after(sender, instance: Enterprise, raw=False, **kwargs) -> None:
    if hasattr(instance, "_stat_before"):
        before = instance.__dict__.pop("_stat_before")
        aggregates.apply(before, aggregates.buckets(aggregates.needs_of([instance.pk])))


def _record_before(sender, instance: SuggestionRecord, raw=False, **kwargs) -> None:
    old = SuggestionRecord.objects.filter(pk=instance.pk).values("stage", "accepted").first()
    instance._stat_before = aggregates.suggestion_buckets(instance, **old) if old else {}


def _record_after(sender, instance: SuggestionRecord, raw=False, **kwargs) -> None:
    after = aggregates.suggestion_buckets(instance, instance.stage, instance.accepted)
    aggregates.apply(instance.__dict__.pop("_stat_before", {}), after)


def _record_deleted(sender, instance: SuggestionRecord, **kwargs) -> None:
    aggregates.apply(aggregates.suggestion_buckets(instance, instance.stage, instance.accepted), {})


def connect() -> None:
    pre_save.connect(_need_before, sender=Need, dispatch_uid="stat_need_before")
    post_save.connect(_need_after, sender=Need, dispatch_uid="stat_need_after")
    pre_delete.connect(_need_deleting, sender=Need, dispatch_uid="stat_need_deleting")
    post_delete.connect(_need_deleted, sender=Need, dispatch_uid="stat_need_deleted")
    m2m_changed.connect(
        _m2m(_co_section_needs),
        sender=Need.co_sections.through,
        dispatch_uid="stat_co",
        weak=False,
    )
    m2m_changed.connect(
        _m2m(_chain_needs),
        sender=Enterprise.chains.through,
        dispatch_uid="stat_chain",
        weak=False,
    )
    pre_save.connect(_enterprise_before, sender=Enterprise, dispatch_uid="stat_ent_before")
    post_save.connect(_enterprise_after, sender=Enterprise, dispatch_uid="stat_ent_after")
    pre_save.connect(_record_before, sender=SuggestionRecord, dispatch_uid="stat_rec_before")
    post_save.connect(_record_after, sender=SuggestionRecord, dispatch_uid="stat_rec_after")
    post_delete.connect(_record_deleted, sender=SuggestionRecord, dispatch_uid="stat_rec_del")
