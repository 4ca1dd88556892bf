import factory
from django.core.files.base import ContentFile

from hqzt.accounts.tests.factories import UserFactory
from hqzt.documents.models import ExportJob, ImportBatch
from hqzt.stations.tests.factories import StationFactory, StationMemberFactory


class ExportJobFactory(factory.django.DjangoModelFactory):
    """A queued ledger export of the whole visible ledger, as ledger_xlsx queues it (the task
    fills in the file and the row count)."""

    class Meta:
        model = ExportJob

    user = factory.SubFactory(UserFactory)
    params = factory.LazyFunction(lambda: {"query": ""})


class ImportBatchFactory(factory.django.DjangoModelFactory):
    """An uploaded, not yet applied, ledger file of a staff member's station. The file is a
    placeholder: tests that read it pass their own `file`."""

    class Meta:
        model = ImportBatch

    station = factory.SubFactory(StationFactory)
    uploaded_by = factory.LazyAttribute(lambda o: StationMemberFactory(station=o.station).user)
    file = factory.LazyFunction(lambda: ContentFile(b"PK\x03\x04", name="ledger.xlsx"))
    original_name = "企业需求记录台账.xlsx"
