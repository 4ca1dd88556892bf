"""Archive books (§6.6.2): 一企一册, 一链一册, 一镇一册 — one document per enterprise, chain or
town holding each enterprise's profile, every need with its handling, evaluation and attachments,
the visits and trainings that served them, the policies that apply, and figures.

A book is built for what the reader may see; `Scope` narrows it to one station and one period,
which is how a volume is closed into a frozen document (records.closing).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from hqzt.accounts.models import User
from hqzt.enterprises.models import Chain, Enterprise, Town
from hqzt.needs.figures import totals
from hqzt.needs.models import Attachment, Evaluation, Need
from hqzt.needs.selectors import needs_visible_to
from hqzt.operations.models import Training, Visit
from hqzt.policies.models import Policy
from hqzt.stations.models import Station
from hqzt.stations.selectors import stations_visible_to


@dataclass
class EnterpriseSection:
    enterprise: Enterprise
    needs: list[Need]
    role: str = ""  # 链主 / 骨干企业 in a chain book


@dataclass(frozen=True)
class Scope:
    """One station's records of one period (a closed volume); None means all the reader sees."""

    station: Station | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None

    def dates(self, field_name: str) -> Q:
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{field_name}__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{field_name}__lte": self.end})
        return q


@dataclass
class Book:
    kind: str  # 一企一册 / 一链一册 / 一镇一册
    title: str
    intro: str
    sections: list[EnterpriseSection] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    visits: list[Visit] = field(default_factory=list)
    trainings: list[Training] = field(default_factory=list)
    policies: list[Policy] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    period: str = ""


def _stations(user: User, scope: Scope) -> QuerySet[Station]:
    stations = stations_visible_to(user)
    return stations.filter(pk=scope.station.pk) if scope.station is not None else stations


def _needs(user: User, enterprises: list[Enterprise], scope: Scope) -> QuerySet[Need]:
    needs = needs_visible_to(user).filter(scope.dates("registered_on"))
    if scope.station is not None:
        needs = needs.filter(station=scope.station)
    return (
        needs.filter(enterprise__in=enterprises)
        .select_related(
            "sheet",
            "need_type",
            "lead_section",
            "department",
            "responsible_person",
            "first_contact",
        )
        .prefetch_related(Prefetch("evaluations", queryset=Evaluation.objects.order_by("round")))
        .order_by("registered_on", "pk")
    )


def _book(
    user: User,
    kind: str,
    title: str,
    intro: str,
    members: list[tuple[Enterprise, str]],
    policies: QuerySet[Policy],
    scope: Scope,
) -> Book:
    enterprises = [e for e, _ in members]
    needs = _needs(user, enterprises, scope)
    by_enterprise: dict[int, list[Need]] = {}
    for need in needs:
        by_enterprise.setdefault(need.enterprise_id, []).append(need)
    stations = _stations(user, scope).values("pk")
    visits = (
        Visit.objects.filter(station__in=stations, enterprise__in=enterprises)
        .filter(scope.dates("planned_on"))
        .select_related("enterprise", "station", "sheet")
        .order_by("planned_on", "pk")
    )
    trainings = (
        Training.objects.filter(station__in=stations, enterprises__in=enterprises)
        .filter(scope.dates("held_on"))
        .select_related("station")
        .distinct()
        .order_by("held_on", "pk")
    )
    attachments = (
        Attachment.objects.filter(need__in=needs.values("pk"))
        .select_related("need__sheet")
        .order_by("need__registered_on", "pk")
    )
    period = ""
    if scope.start and scope.end:
        period = f"{scope.start:%Y年%m月%d日}—{scope.end:%Y年%m月%d日}"
    return Book(
        kind=kind,
        title=title,
        intro=intro,
        sections=[EnterpriseSection(e, by_enterprise.get(e.pk, []), role) for e, role in members],
        figures=totals(needs),
        visits=list(visits),
        trainings=list(trainings),
        policies=list(policies.order_by("-issued_on")),
        attachments=list(attachments),
        period=period,
    )


NO_SCOPE = Scope()


# DB1405 §6.6.2
def enterprise_book(user: User, enterprise: Enterprise, scope: Scope = NO_SCOPE) -> Book:
    applies = Q(chains__in=enterprise.chains.all())
    if enterprise.town_id:
        applies |= Q(towns=enterprise.town_id)
    policies = Policy.objects.filter(applies).distinct()
    return _book(
        user, "一企一册", f"{enterprise.name}服务档案", "", [(enterprise, "")], policies, scope
    )


# DB1405 §6.6.2
def chain_book(
    user: User, chain: Chain, visible: QuerySet[Enterprise], scope: Scope = NO_SCOPE
) -> Book:
    leader = chain.chain_leader if chain.chain_leader_id else None
    backbone = list(chain.backbone_enterprises.filter(pk__in=visible.values("pk")).order_by("name"))
    members: list[tuple[Enterprise, str]] = []
    if leader is not None and visible.filter(pk=leader.pk).exists():
        members.append((leader, "链主企业"))
    members += [(e, "骨干企业") for e in backbone]
    listed = {e.pk for e, _ in members}
    # Every enterprise of the chain: the page shows them a page at a time, the files hold them all.
    members += [
        (e, "链上企业")
        for e in visible.filter(chains=chain).exclude(pk__in=listed).order_by("name")
    ]
    return _book(
        user,
        "一链一册",
        f"{chain.name}服务档案",
        chain.description,
        members,
        chain.policies.all(),
        scope,
    )


# DB1405 §6.6.2
def town_book(
    user: User, town: Town, visible: QuerySet[Enterprise], scope: Scope = NO_SCOPE
) -> Book:
    members = [(e, "") for e in visible.filter(town=town).order_by("name")]
    return _book(
        user,
        "一镇一册",
        f"{town.name}服务档案",
        town.description,
        members,
        town.policies.all(),
        scope,
    )
