"""Backup and restore round-trip the whole data set, on SQLite and on PostgreSQL (R-9)."""

import json

import pytest
from django.core.management import CommandError, call_command

from hqzt.core.backup import MANIFEST, row_counts
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.tests.factories import EnterpriseFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _only_backup(folder):
    (backup,) = list(folder.iterdir())
    return backup


def test_round_trip_restores_rows_and_files(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "attachments").mkdir(parents=True)
    (settings.MEDIA_ROOT / "attachments" / "a.bin").write_bytes(b"%PDF-1.4 evidence")
    EnterpriseFactory.create_batch(3)
    before = row_counts()
    call_command("backup", str(tmp_path / "backups"))
    backup = _only_backup(tmp_path / "backups")
    assert json.loads((backup / MANIFEST).read_text())["rows"]["enterprises.Enterprise"] == 3

    EnterpriseFactory.create_batch(2)  # changes after the backup …
    (settings.MEDIA_ROOT / "attachments" / "a.bin").unlink()  # … and a lost file
    call_command("restore", str(backup), yes=True)
    assert Enterprise.objects.count() == 3
    assert row_counts() == before
    assert (settings.MEDIA_ROOT / "attachments" / "a.bin").read_bytes() == b"%PDF-1.4 evidence"


def test_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    EnterpriseFactory()
    call_command("backup", str(tmp_path / "backups"))
    backup = _only_backup(tmp_path / "backups")
    media = backup / "media.tar.gz"
    media.write_bytes(media.read_bytes() + b"tampered")
    EnterpriseFactory()
    with pytest.raises(CommandError, match="已损坏"):
        call_command("restore", str(backup), yes=True)
    assert Enterprise.objects.count() == 2


def test_restore_needs_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path))
