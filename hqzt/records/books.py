"""Archive books (§6.6.2): 一企一册, 一链一册, 一镇一册 — one document per enterprise, chain or
town holding each enterprise's profile, every need with its handling and evaluation, and figures."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from hqzt.accounts.models import User
from hqzt.dashboard.statistics import totals
from hqzt.enterprises.models import Chain, Enterprise, Town
from hqzt.needs.models import Evaluation, Need
from hqzt.needs.selectors import needs_visible_to


@dataclass
class EnterpriseSection:
    enterprise: Enterprise
    needs: list[Need]
    role: str = ""  # 链主 / 骨干企业 in a chain book


@dataclass
class Book:
    kind: str  # 一企一册 / 一链一册 / 一镇一册
    title: str
    intro: str
    sections: list[EnterpriseSection] = field(default_factory=list)
    figures: dict = field(default_factory=dict)


def _needs(user: User, enterprises: list[Enterprise]) -> QuerySet[Need]:
    return (
        needs_visible_to(user)
        .filter(enterprise__in=enterprises)
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
    user: User, kind: str, title: str, intro: str, members: list[tuple[Enterprise, str]]
) -> Book:
    enterprises = [e for e, _ in members]
    needs = _needs(user, enterprises)
    by_enterprise: dict[int, list[Need]] = {}
    for need in needs:
        by_enterprise.setdefault(need.enterprise_id, []).append(need)
    return Book(
        kind=kind,
        title=title,
        intro=intro,
        sections=[EnterpriseSection(e, by_enterprise.get(e.pk, []), role) for e, role in members],
        figures=totals(needs),
    )


# DB1405 §6.6.2
def enterprise_book(user: User, enterprise: Enterprise) -> Book:
    return _book(user, "一企一册", f"{enterprise.name}服务档案", "", [(enterprise, "")])


# DB1405 §6.6.2
def chain_book(user: User, chain: Chain, visible: QuerySet[Enterprise]) -> Book:
    leader = chain.chain_leader if chain.chain_leader_id else None
    backbone = list(chain.backbone_enterprises.filter(pk__in=visible.values("pk")).order_by("name"))
    members: list[tuple[Enterprise, str]] = []
    if leader is not None and visible.filter(pk=leader.pk).exists():
        members.append((leader, "链主企业"))
    members += [(e, "骨干企业") for e in backbone]
    listed = {e.pk for e, _ in members}
    members += [
        (e, "链上企业")
        for e in visible.filter(chains=chain).exclude(pk__in=listed).order_by("name")[:200]
    ]
    return _book(user, "一链一册", f"{chain.name}服务档案", chain.description, members)


# DB1405 §6.6.2
def town_book(user: User, town: Town, visible: QuerySet[Enterprise]) -> Book:
    members = [(e, "") for e in visible.filter(town=town).order_by("name")[:200]]
    return _book(user, "一镇一册", f"{town.name}服务档案", town.description, members)
