"""§6.6.1: the closed need is filed by category, with its retention date."""

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.core.retention import retention_date
from hqzt.needs.models import (
    Need,
    NeedType,
)
from hqzt.needs.workflow import need_transition


# DB1405 §6.6.1
def need_archive(*, need: Need, actor: User, category: NeedType | None = None) -> Need:
    """§6.6.1: file the record by category (the need type unless another is chosen)."""

    def apply(n: Need) -> None:
        n.archive_category = category or n.need_type
        n.archived_at = clock.now()
        n.retention_until = retention_date(clock.today())

    return need_transition(need=need, action="archive", actor=actor, apply=apply)
