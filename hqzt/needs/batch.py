"""Batch actions of the ledger (issue 15 item 2): 批量分发, 批量催办 and 导出所选 on the rows a user
ticked. Each need goes through the same service as on its own page (identification.need_dispatch,
handling.need_remind), which locks the row and checks state, role and training afresh, so audit,
notifications and rules are identical; one need's refusal leaves the others done, and the result
says, per need, what was not done and why.

Every id must be one the user may see: a request holding any other id (tampered, another
station's, gone) is refused whole and nothing is done."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from hqzt.accounts.models import User
from hqzt.core.text import as_id
from hqzt.needs.ledger_forms import SELECTED_MAX
from hqzt.needs.models import HandlingMode, Need
from hqzt.needs.selectors import needs_visible_to
from hqzt.needs.services import handling, identification
from hqzt.needs.workflow import TransitionRefused
from hqzt.org.models import Section


class BatchRefused(Exception):
    """The whole request is refused and nothing was done. str(exc) is shown to the user."""


@dataclass
class BatchResult:
    verb: str  # 分发, 催办
    done: list[str] = field(default_factory=list)  # the needs' numbers
    refused: list[tuple[str, str]] = field(default_factory=list)  # (number, why)

    @property
    def message(self) -> str:
        """已分发 3 条；2 条未分发：20250012 该需求当前为「待科室签收」…；…"""
        text = f"已{self.verb} {len(self.done)} 条"
        if self.refused:
            reasons = "；".join(f"{number} {why.rstrip('。')}" for number, why in self.refused)
            text += f"；{len(self.refused)} 条未{self.verb}：{reasons}"
        return text + "。"


def need_number(need: Need) -> str:
    """The need as people name it in a list: its tracking number, and its row when the sheet
    holds several needs."""
    number = need.sheet.tracking_number
    return f"{number}（第{need.row_number}项）" if need.row_number > 1 else number


def parse_ids(values: Iterable[str]) -> list[int]:
    """The ticked ids (form values), refused whole when any is not a plain id or too many."""
    raw = [v.strip() for value in values for v in str(value).split(",") if v.strip()]
    if not raw:
        raise BatchRefused("请先勾选需求。")
    parsed = [as_id(v) for v in raw]
    if None in parsed:
        raise BatchRefused("所选需求的编号无效，未做任何操作。")
    ids = list(dict.fromkeys(parsed))
    if len(ids) > SELECTED_MAX:
        raise BatchRefused(f"一次最多选择 {SELECTED_MAX} 条需求，未做任何操作。")
    return ids


def selected_needs(user: User, ids: list[int]) -> list[Need]:
    """The needs of `ids`, in the order given, if the user may see every one of them."""
    found = {
        n.pk: n
        for n in needs_visible_to(user).filter(pk__in=ids).select_related("sheet", "station")
    }
    if len(found) != len(set(ids)):
        raise BatchRefused("所选需求中有不存在或无权查看的，未做任何操作。")
    return [found[pk] for pk in ids]


def _each(verb: str, needs: list[Need], run: Callable[[Need], object]) -> BatchResult:
    result = BatchResult(verb)
    for need in needs:
        try:
            with transaction.atomic():  # one need's refusal rolls back that need alone
                run(need)
        except TransitionRefused as exc:
            result.refused.append((need_number(need), str(exc)))
        else:
            result.done.append(need_number(need))
    return result


def dispatch_section(raw: str) -> Section:
    """The lead section picked for 批量分发: an active bureau section, as the single dispatch
    form offers (identification.need_dispatch checks again that it is active)."""
    pk = as_id((raw or "").strip())
    section = (
        Section.objects.filter(kind=Section.Kind.BUREAU_SECTION, is_active=True, pk=pk).first()
        if pk is not None
        else None
    )
    if section is None:
        raise BatchRefused("请选择分发到的牵头科室。")
    return section


def batch_dispatch(
    *, actor: User, ids: list[int], lead_section: Section, note: str = ""
) -> BatchResult:
    """批量分发: each need to `lead_section` alone (独立办理), as the chief would one by one."""
    needs = selected_needs(actor, ids)
    return _each(
        "分发",
        needs,
        lambda n: identification.need_dispatch(
            need=n,
            actor=actor,
            handling_mode=HandlingMode.INDEPENDENT,
            lead_section=lead_section,
            note=note,
        ),
    )


def batch_remind(*, actor: User, ids: list[int], note: str = "") -> BatchResult:
    """批量催办: the people holding each need are told to hurry (handling.need_remind)."""
    needs = selected_needs(actor, ids)
    return _each("催办", needs, lambda n: handling.need_remind(need=n, actor=actor, note=note))


def export_query(actor: User, ids: list[int]) -> str:
    """导出所选: the ledger export's query for these needs (checked to be the user's first)."""
    needs = selected_needs(actor, ids)
    return "ids=" + ",".join(str(n.pk) for n in needs)
