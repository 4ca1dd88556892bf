import pytest

from hqzt.documents.tests.factories import ExportJobFactory, ImportBatchFactory

pytestmark = pytest.mark.django_db


def test_each_factory_builds_a_valid_saved_object():
    job = ExportJobFactory()
    assert job.pk is not None and job.status == "queued"
    job.full_clean()
    batch = ImportBatchFactory()
    assert batch.pk is not None and batch.file.name and batch.applied_at is None
    batch.full_clean()
