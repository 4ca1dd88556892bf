from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from hqzt.accounts.models import User
from hqzt.audit.services import audited_save
from hqzt.needs.attachments import attachment_name, attachment_validate
from hqzt.needs.models import Need
from hqzt.needs.selectors import actor_roles
from hqzt.needs.states import Actor
from hqzt.needs.workflow import TransitionRefused, lock_need, record_event
from hqzt.policies.models import Policy


@transaction.atomic
def policy_save(
    *, actor: User, policy: Policy, data: dict[str, Any], upload: UploadedFile | None = None
) -> Policy:
    if upload is not None:
        content_type = attachment_validate(upload)
        policy.attachment.save("upload", upload, save=False)
        policy.attachment_name = attachment_name(upload.name, content_type)
    return audited_save(actor=actor, instance=policy, data=data)


@transaction.atomic
def policy_link_need(*, actor: User, need: Need, policy: Policy) -> None:
    """Attach a policy to a need, e.g. the answer to a 政策咨询."""
    locked = lock_need(need)
    if not actor_roles(actor, locked) & {Actor.STATION_STAFF, Actor.LEAD_SECTION}:
        raise TransitionRefused("只有本站工作人员或牵头科室可以关联政策。")
    policy.needs.add(locked)
    record_event(need=locked, actor=actor, action="link_policy", note=policy.title, public=False)
