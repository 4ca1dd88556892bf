import factory

from hqzt.accounts.tests.factories import UserFactory
from hqzt.audit.models import AuditEvent


class AuditEventFactory(factory.Factory):
    """An audit row appended to the hash chain by audit_record, as every service writes it: a raw
    row would carry no hash and break the chain (audit.chain.chain_breaks)."""

    class Meta:
        model = AuditEvent

    actor = factory.SubFactory(UserFactory)
    action = "update"
    obj = factory.SelfAttribute("actor")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from hqzt.audit.services import audit_record

        return audit_record(**kwargs)
