"""Policy suggestions for a need: the policies in force that apply to its enterprise (chain, town,
industry — policies.selectors) ranked by how much of the need's wording they cover, with a
bonus for naming the need's type (or the type the classifier reads in it), its chain or town."""

from dataclasses import dataclass

from django.db.models import prefetch_related_objects

from hqzt.intake.services import suggestion_for_need
from hqzt.intake.similar import shingles
from hqzt.policies.selectors import policies_for_enterprise

TEXT_MIN = 0.15  # share of the need's bigrams a policy must contain to count as matching text
TYPE_BONUS = 0.3
SUGGESTED_TYPE_BONUS = 0.2
PLACE_BONUS = 0.1


@dataclass(frozen=True)
class PolicyMatch:
    policy: object
    score: float
    reasons: list[str]


def policy_suggestions(need, *, limit: int = 5) -> list[PolicyMatch]:
    need_grams = shingles(need.content)
    if not need_grams:
        return []
    enterprise = need.enterprise
    # The enterprise's chains are read once here for the classifier's features, the policies
    # that apply and the chain bonus (each read them again).
    prefetch_related_objects([enterprise], "chains")
    chain_ids = {chain.pk for chain in enterprise.chains.all()}
    suggested = suggestion_for_need(need).type.name
    matches = []
    for policy in policies_for_enterprise(enterprise):
        text = f"{policy.title}{policy.summary}{policy.interpretation}"
        coverage = len(need_grams & shingles(text)) / len(need_grams)
        types = {t.pk: t.name for t in policy.need_types.all()}
        score, reasons = coverage, []
        if coverage >= TEXT_MIN:
            reasons.append("内容相近")
        if need.need_type_id in types:
            score += TYPE_BONUS
            reasons.append(f"适用于{need.need_type.name}")
        elif suggested in types.values():
            score += SUGGESTED_TYPE_BONUS
            reasons.append(f"适用于{suggested}")
        if not reasons:
            continue
        if {c.pk for c in policy.chains.all()} & chain_ids:
            score += PLACE_BONUS
            reasons.append("适用本产业链")
        if enterprise.town_id and enterprise.town_id in {t.pk for t in policy.towns.all()}:
            score += PLACE_BONUS
            reasons.append("适用本专业镇")
        matches.append(PolicyMatch(policy, round(score, 3), reasons))
    matches.sort(key=lambda m: -m.score)
    return matches[:limit]
