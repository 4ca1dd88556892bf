"""服务企业数 kept on each station (`Station.enterprise_count`, issue 18).

The station tables (the supervisor's home page, the station list) show how many enterprises
each station serves. Counting the station–enterprise links on every view read a province's links
(300,000 at 1M needs, ~160 ms for 200 stations, growing with the register); the count is kept
on the station instead, moved in the transaction of every change to the links:

- `m2m_changed` on the link table: links added (Django reports only the ones it inserts),
  removed or cleared from either side (the links about to go are counted before they go);
- an enterprise's deletion, whose links go by cascade without `m2m_changed`.

Rows move by F() increments, so concurrent changes add up. A write that bypasses the ORM's
m2m managers (`bulk_create` on the link table, as `bench/scale.py` does, or raw SQL) leaves the
counts behind: `rebuild_stats` (and the nightly `reconcile_stats`) recount every station with one
GROUP BY over the links and correct the ones that differ (`enterprise_count_drift`).
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F
from django.db.models.signals import m2m_changed, post_delete, pre_delete

from hqzt.stations.models import Station

Links = Station.enterprises.through


def _per_station(links) -> dict[int, int]:
    rows = links.order_by().values("station_id").annotate(n=Count("*"))
    return {r["station_id"]: r["n"] for r in rows}


def _move(deltas: dict[int, int]) -> None:
    """Add each delta to its station's count; stations in id order, so two transactions moving
    the same stations never wait on each other crosswise."""
    for station_id in sorted(deltas):
        if deltas[station_id]:
            Station.objects.filter(pk=station_id).update(
                enterprise_count=F("enterprise_count") + deltas[station_id]
            )


def _links_of(instance, reverse: bool, pk_set: Iterable[int] | None):
    """The links a remove or clear is about to delete: from a station (`reverse` False) or from
    an enterprise (`enterprise.stations`, `reverse` True)."""
    if reverse:
        links = Links.objects.filter(enterprise_id=instance.pk)
        return links if pk_set is None else links.filter(station_id__in=list(pk_set))
    links = Links.objects.filter(station_id=instance.pk)
    return links if pk_set is None else links.filter(enterprise_id__in=list(pk_set))


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action == "post_add" and pk_set:
        _move(dict.fromkeys(pk_set, 1) if reverse else {instance.pk: len(pk_set)})
    elif action in ("pre_remove", "pre_clear"):
        pk_set = None if action == "pre_clear" else pk_set
        instance._links_leaving = _per_station(_links_of(instance, reverse, pk_set))
    elif action in ("post_remove", "post_clear"):
        leaving = instance.__dict__.pop("_links_leaving", {})
        _move({station_id: -n for station_id, n in leaving.items()})


def _enterprise_deleting(sender, instance, **kwargs) -> None:
    instance._links_leaving = _per_station(Links.objects.filter(enterprise_id=instance.pk))


def _enterprise_deleted(sender, instance, **kwargs) -> None:
    leaving = instance.__dict__.pop("_links_leaving", {})
    _move({station_id: -n for station_id, n in leaving.items()})


def connect() -> None:
    m2m_changed.connect(_links_changed, sender=Links, dispatch_uid="station_enterprise_count")
    pre_delete.connect(
        _enterprise_deleting, sender="enterprises.Enterprise", dispatch_uid="station_ent_deleting"
    )
    post_delete.connect(
        _enterprise_deleted, sender="enterprises.Enterprise", dispatch_uid="station_ent_deleted"
    )


def enterprise_count_drift(*, fix: bool) -> list[tuple[int, int, int]]:
    """(station id, kept, counted) of every station whose kept 服务企业数 differs from its links,
    with `fix` corrected. Each correction locks its station first and counts after the lock: a
    transaction adding a link increments the locked row after the count, or has committed
    before it, so nothing is lost either way."""
    counted = _per_station(Links.objects.all())
    kept = Station.objects.order_by("pk").values_list("pk", "enterprise_count")
    wrong = [(pk, n, counted.get(pk, 0)) for pk, n in kept if n != counted.get(pk, 0)]
    if fix:
        for pk, _, _ in wrong:
            with transaction.atomic():
                station = Station.objects.select_for_update().filter(pk=pk)
                if station.exists():
                    station.update(enterprise_count=Links.objects.filter(station_id=pk).count())
    return wrong
