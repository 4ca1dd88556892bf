"""Which policies are in force and which apply to an enterprise (§5.3 a)."""

from django.db.models import Q, QuerySet

from hqzt.core import clock
from hqzt.core.search import text_filter
from hqzt.enterprises.models import Enterprise
from hqzt.policies.models import Policy


def policies_in_force() -> QuerySet[Policy]:
    today = clock.today()
    return Policy.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def policy_search(term: str, *, include_expired: bool = False) -> QuerySet[Policy]:
    policies = Policy.objects.all() if include_expired else policies_in_force()
    return text_filter(policies, term, "title", "document_number") if term.strip() else policies


def policy_applies(policy: Policy, enterprise: Enterprise, chain_ids: set[int]) -> bool:
    """A policy applies when it names the enterprise's chain, its town or its industry, or when
    it names none of these (a policy for all enterprises)."""
    chains = {c.pk for c in policy.chains.all()}
    towns = {t.pk for t in policy.towns.all()}
    industries = policy.industry_list
    if not (chains or towns or industries):
        return True
    industry = enterprise.industry or ""
    return bool(
        chains & chain_ids
        or (enterprise.town_id and enterprise.town_id in towns)
        or any(word in industry or (industry and industry in word) for word in industries)
    )


def policies_for_enterprise(enterprise: Enterprise) -> list[Policy]:
    # Through .all(), so that a caller's prefetch of the chains serves them.
    chain_ids = {chain.pk for chain in enterprise.chains.all()}
    candidates = (
        policies_in_force().prefetch_related("chains", "towns", "need_types").order_by("-issued_on")
    )
    return [p for p in candidates if policy_applies(p, enterprise, chain_ids)]
