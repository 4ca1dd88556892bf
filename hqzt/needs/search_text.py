"""A need's search tokens follow its enterprise's name (outside probe 2, S2).

A need's `search_ngrams` hold its content and its enterprise's name (ADR 0003), and the index path
of `core/search.py` offers only needs whose own tokens hold the term. After a rename the tokens
held the old name, so the new name found the enterprise's needs only where the search walked.

A rename re-tokenises the enterprise's needs in the rename's own transaction (a post_save receiver
of Enterprise, connected in NeedsConfig.ready(): enterprises may not import needs, ADR 0011), in
batches of BATCH read by id, so memory stays bounded however many needs it has. An enterprise has
a few needs (3 on average at province scale, bench/scale.py) and at most some hundreds over
years; a rename is a rare, deliberate edit, so the cost — about a millisecond a need — is paid at
once rather than through the queue, and no search ever sees the old name after the commit.
"""

from typing import Any

from hqzt.needs.models import Need
from hqzt.needs.models.need import need_ngrams

BATCH = 500


def needs_retokenise(enterprise: Any) -> int:
    """Rewrite the search tokens of every need of `enterprise` with its current name; how many."""
    last, done = 0, 0
    while True:
        batch = list(
            Need.objects.filter(enterprise=enterprise, pk__gt=last)
            .order_by("pk")
            .only("pk", "content")[:BATCH]
        )
        if not batch:
            return done
        for need in batch:
            need.search_ngrams = need_ngrams(need.content, enterprise.name)
        Need.objects.bulk_update(batch, ["search_ngrams"])
        last, done = batch[-1].pk, done + len(batch)


def enterprise_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """post_save of Enterprise: a rename re-tokenises its needs (same transaction)."""
    if not created and getattr(instance, "renamed", False):
        needs_retokenise(instance)
