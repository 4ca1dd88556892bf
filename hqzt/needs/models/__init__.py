"""Enterprise needs (§6): the ledger (Appendix B), tracking sheets (Appendix C), the handling
timeline, evaluations (Appendix D), time limits and attachments — one module each; import them
from here (`from hqzt.needs.models import Need`), as Django and the migrations do.

A need's `status` changes only through hqzt.needs.workflow.need_transition; Need.save() refuses
any other change of status, so neither a form, the admin nor the API can move a need by hand.
"""

from hqzt.needs.models.attachments import Attachment, _attachment_path
from hqzt.needs.models.evaluations import Evaluation, EvaluationInvitation
from hqzt.needs.models.events import HandlingStep, NeedEvent
from hqzt.needs.models.extensions import ExtensionRequest
from hqzt.needs.models.need import (
    Complexity,
    EvaluationLevel,
    HandlingMode,
    Need,
    Outcome,
    Scope,
    Source,
)
from hqzt.needs.models.reference import Channel, NeedType, NeedTypeAlias, TimeLimit
from hqzt.needs.models.sheets import SubmissionKey, TrackingCounter, TrackingSheet

__all__ = [
    "Attachment",
    "Channel",
    "Complexity",
    "Evaluation",
    "EvaluationInvitation",
    "EvaluationLevel",
    "ExtensionRequest",
    "HandlingMode",
    "HandlingStep",
    "Need",
    "NeedEvent",
    "NeedType",
    "NeedTypeAlias",
    "Outcome",
    "Scope",
    "Source",
    "SubmissionKey",
    "TimeLimit",
    "TrackingCounter",
    "TrackingSheet",
    "_attachment_path",
]
