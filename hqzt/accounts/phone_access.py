"""Who sees an enterprise contact's or a complainant's full phone number (R-9): the one rule
behind every page, export, API field, printed form and 显示完整号码 endpoint.

The number goes to those whose work is to call that person:
- FULL (shown as it is): administrators; the staff of the station that holds the record (they
  register, handle, answer and collect the evaluation, §5.4.2–5.4.3, §6.5); the handlers of the
  lead section and of the co-handling sections of that need (§6.4: they handle it with the
  enterprise).
- REVEAL (masked, with 显示完整号码; each reveal is audited): supervisors where they follow a case
  up themselves — the 回访 of an evaluation at a station they oversee (R-5.1: re-contact the
  enterprise), a need escalated to them after a second 不满意 (§6.5.2), and the complaints and
  suggestions they receive (R-5.2, the complainant is called back).
- MASKED (no reveal): everybody else — section handlers on enterprise pages and on needs their
  section does not handle, supervisors browsing needs, ledgers, exports and enterprise pages.
  Their work goes through the station, which holds the number; a reveal they could press would
  only be an audited leak.

The facts (is this the user's station, section, callback …) are read by each record's own
function — `needs.actions.need_phone_access`, `enterprises.selectors.contact_phone_access`,
`supervision.access.feedback_phone_access` — which all end here.
"""

import enum
from collections.abc import Callable

from hqzt.core.phones import phone_display, phone_mask


class PhoneAccess(enum.Enum):
    FULL = "full"
    REVEAL = "reveal"
    MASKED = "masked"

    @property
    def may_reveal(self) -> bool:
        """The 显示完整号码 endpoints answer this user (FULL users see it anyway)."""
        return self is not PhoneAccess.MASKED

    @property
    def offers_reveal(self) -> bool:
        """The page shows the 显示完整号码 button: the number is masked and may be revealed."""
        return self is PhoneAccess.REVEAL


REVEAL_REFUSED = "按您的职责无需直接联系此号码，不能查看完整号码；本次尝试已记录。"


def phone_access(
    user, *, calls: bool = False, follows_up: bool | Callable[[], bool] = False
) -> PhoneAccess:
    """The rule. `calls`: the user's work on this record is to contact the person (their
    station's record, their section's need); `follows_up`: the record is one a supervisor
    follows up in person (a callback, an escalated need, a complaint) — a function when it
    costs a query, called only for a supervisor."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return PhoneAccess.MASKED
    if user.is_admin or calls:
        return PhoneAccess.FULL
    if user.is_supervisor and (follows_up() if callable(follows_up) else follows_up):
        return PhoneAccess.REVEAL
    return PhoneAccess.MASKED


def phone_shown(access: PhoneAccess, number: str) -> str:
    """The number as this user sees it on a page, in an export or in the API."""
    return phone_display(number) if access is PhoneAccess.FULL else phone_mask(number)
