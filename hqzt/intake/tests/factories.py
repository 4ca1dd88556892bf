import factory

from hqzt.intake.models import SuggestionRecord
from hqzt.needs.tests.factories import NeedFactory


class SuggestionRecordFactory(factory.django.DjangoModelFactory):
    """A type suggestion the registering staff member accepted."""

    class Meta:
        model = SuggestionRecord

    need = factory.SubFactory(NeedFactory)
    stage = SuggestionRecord.Stage.TYPE
    suggested = "计量"
    confidence = 0.9
    chosen = "计量"
    accepted = True
    actor = factory.LazyAttribute(lambda o: o.need.first_contact)
