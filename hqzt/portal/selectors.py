"""What the public may see: active stations, and a need's plain-language progress once the asker
has proved they submitted it."""

import contextlib
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from hqzt.core import clock
from hqzt.needs.models import Need, NeedEvent
from hqzt.needs.numbering import parse_reference
from hqzt.operations.rota import duty_today
from hqzt.stations.models import Station
from hqzt.stations.selectors import trained_members

# What the enterprise reads for each public step (no internal notes, no staff names).
PUBLIC_STEPS = {
    "submit": "需求已提交，等待服务站受理",
    "register": "服务站已登记您的需求",
    "accept_intake": "服务站已受理",
    "reject_intake": "服务站未予受理",
    "identify_simple": "服务站工作人员正在办理",
    "identify_coordinated": "需要协调办理，已报站长",
    "identify_other_department": "属于其他部门职能，服务站正在联络",
    "dispatch": "已交由职能科室办理",
    "accept_task": "职能科室已签收，正在办理",
    "liaise": "服务站已联络相关部门，协助您办理",
    "complete": "办理完毕，请您评价",
    "evaluate_positive": "已收到您的评价",
    "evaluate_dissatisfied": "已收到您的评价，服务站将核实情况",
    "rehandle": "已重新办理",
    "close_after_verification": "服务站已核实并说明情况",
    "archive": "已办结归档",
    "import": "从历史台账登记",
}


def stations_public() -> QuerySet[Station]:
    return Station.objects.filter(is_active=True).select_related(
        "domain_kind", "site_kind", "town", "chain"
    )


def station_public(pk: int) -> Station:
    return get_object_or_404(stations_public(), pk=pk)


def duty_staff(station: Station) -> list[str]:
    """Who serves at the station (the §5.2.4 notice): today's duty from the rota first, then the
    other trained staff."""
    on_duty = duty_today(station)
    members = trained_members(station).order_by("role")
    names = [
        f"{m.user.display_name}（{m.get_role_display()}）"
        for m in members
        if on_duty is None or m.user_id != on_duty.pk
    ]
    if on_duty is not None:
        post = next((m.get_role_display() for m in members if m.user_id == on_duty.pk), "值班")
        names.insert(0, f"今日值班：{on_duty.display_name}（{post}）")
    return names


@dataclass(frozen=True)
class PublicStep:
    at: str
    text: str


def _failures_key(*parts: object) -> str:
    return "portal-track-failures:" + ":".join(str(p) for p in parts)


def _locked(key: str, limit: int) -> bool:
    return cache.get(key, 0) >= limit


def _spend(limits: dict[str, int]) -> bool:
    """Count this guess against each key before the digits are compared, so that simultaneous
    guesses cannot all be compared before any is counted (outside probe, issue 18: ten at once
    were all checked). True while every key is within its limit. The count is atomic on every
    cache backend (Redis INCR, core/cache.py for the database); a key's window starts at its
    first guess and every wrong one restarts it (_forgive, _fail)."""
    within = True
    for key, limit in limits.items():
        cache.add(key, 0, timeout=settings.PORTAL_TRACK_LOCK_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this guess is the first
            cache.set(key, 1, timeout=settings.PORTAL_TRACK_LOCK_SECONDS)
            count = 1
        within = within and count <= limit
    return within


def _forgive(keys: list[str]) -> None:
    """A right answer is no guess: its count is given back."""
    for key in keys:
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
            cache.decr(key)


def _fail(keys: list[str]) -> None:
    """A wrong answer keeps its count and holds the lock for the whole lock time from now."""
    for key in keys:
        cache.touch(key, timeout=settings.PORTAL_TRACK_LOCK_SECONDS)


def _proven(sheets: dict[int, list[Need]], phone_last4: str) -> list[list[Need]]:
    """The sheets whose every need carries a phone ending with these digits."""
    return [
        rows for rows in sheets.values() if all(n.contact_phone.endswith(phone_last4) for n in rows)
    ]


def need_lookup(tracking_number: str, phone_last4: str, *, client: str) -> list[Need]:
    """The needs of a sheet, only if the phone given at submission ends with these digits.

    The number is read as the receipt writes it ("03-20250001", station first) or bare
    ("20250001", as on older receipts): a bare number that several stations hold answers only
    when exactly one of those sheets carries this phone, so nobody sees another enterprise's
    need by sharing its number (ADR 0008). Wrong digits, an unknown number and an ambiguous one
    all return [], so nothing can be enumerated.

    Wrong digits lock, for PORTAL_TRACK_LOCK_SECONDS, what they were a guess at — never more, so
    that one attacker cannot stop other stations' enterprises from looking up (outside probe F4):
    - a station's number ("03-20250001", or a bare number only one station holds, which is the
      same guess): after PORTAL_TRACK_FAILURES wrong digits it answers [] to everybody, right
      digits included, in either spelling — the per-client limits alone would let many
      addresses share the 10,000 guesses;
    - a bare number several stations hold: after PORTAL_TRACK_FAILURES wrong digits from one
      client it answers that client [] (in the bare spelling), and after
      PORTAL_TRACK_BARE_FAILURES from all clients together everybody (many addresses still do
      not share the 10,000 guesses); each station's own number keeps answering.
    The counts live in the shared cache (all workers, across restarts).
    """
    # A Chinese input method in full-width mode types ６０００; the receipt's number is read the
    # same way (parse_reference), so the digits must be too, or the guess is spent for nothing.
    phone_last4 = unicodedata.normalize("NFKC", phone_last4)
    parsed = parse_reference(tracking_number)
    if parsed is None:
        return []
    station_id, number = parsed
    limit = settings.PORTAL_TRACK_FAILURES
    needs = Need.objects.filter(sheet__tracking_number=number)
    if station_id is not None:
        needs = needs.filter(sheet__station_id=station_id)
    else:
        bare_keys = [_failures_key("bare", number), _failures_key("client", client, number)]
        if _locked(bare_keys[0], settings.PORTAL_TRACK_BARE_FAILURES) or _locked(
            bare_keys[1], limit
        ):
            return []
    sheets: dict[int, list[Need]] = {}
    for need in needs.select_related("sheet", "station", "need_type").order_by("row_number"):
        sheets.setdefault(need.sheet_id, []).append(need)
    stations = {rows[0].station_id for rows in sheets.values()}
    # A station's locked number does not answer in the bare spelling either.
    sheets = {
        pk: rows
        for pk, rows in sheets.items()
        if not _locked(_failures_key("station", rows[0].station_id, number), limit)
    }
    if not sheets:
        return []
    if station_id is not None or len(stations) == 1:
        limits = {_failures_key("station", stations.pop(), number): limit}
    else:
        limits = {bare_keys[0]: settings.PORTAL_TRACK_BARE_FAILURES, bare_keys[1]: limit}
    if not _spend(limits):
        return []
    proven = _proven(sheets, phone_last4)
    if proven:
        _forgive(list(limits))
    else:
        _fail(list(limits))
    return proven[0] if len(proven) == 1 else []


def public_steps(need: Need) -> list[PublicStep]:
    events: QuerySet[NeedEvent] = need.events.filter(public=True, action__in=PUBLIC_STEPS)
    steps = []
    for event in events:
        text = PUBLIC_STEPS[event.action]
        if event.action == "reject_intake" and event.note:
            text += f"：{event.note}"
        steps.append(PublicStep(at=clock.stamp(event.at), text=text))
    return steps
