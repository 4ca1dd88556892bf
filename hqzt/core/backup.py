"""Backup and restore of the whole data set: the database and the uploaded files (R-9).

A backup is a folder holding the database (SQLite: a consistent copy made with SQLite's online
backup API while the system runs; PostgreSQL: a pg_dump custom-format archive), the media files as
a tar archive, and a manifest with each file's SHA-256 and the row count of every table. Restore
checks the hashes before touching anything and the row counts after.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 # pg_dump/pg_restore with argument lists built here
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections

from hqzt.core import clock

MANIFEST = "manifest.json"


class BackupError(Exception):
    """Shown to the operator as is."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"找不到 {name}，请安装 PostgreSQL 客户端（postgresql-client）。")
    return path


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_args() -> list[str]:
    db = connection.settings_dict
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    return [*args, "-d", db["NAME"]]


def backup(target_dir: Path) -> Path:
    folder = Path(target_dir) / f"hqzt-backup-{clock.stamp(clock.now(), '%Y%m%d-%H%M%S')}"
    folder.mkdir(parents=True)
    vendor = connection.vendor
    if vendor == "sqlite":
        db_file = folder / "db.sqlite3"
        source = sqlite3.connect(connection.settings_dict["NAME"])
        with sqlite3.connect(db_file) as dest:
            source.backup(dest)
        source.close()
    elif vendor == "postgresql":
        db_file = folder / "db.dump"
        subprocess.run(  # noqa: S603 # nosec B603 # no shell; the tool found on PATH, arguments built here
            [_tool("pg_dump"), "-Fc", "-f", str(db_file), *_pg_args()],
            check=True,
            env=_pg_env(),
        )
    else:
        raise BackupError(f"不支持的数据库：{vendor}")
    media = folder / "media.tar.gz"
    with tarfile.open(media, "w:gz") as archive:
        if Path(settings.MEDIA_ROOT).exists():
            archive.add(settings.MEDIA_ROOT, arcname="media")
    manifest = {
        "created_at": clock.now().isoformat(),
        "vendor": vendor,
        "files": {p.name: _sha256(p) for p in (db_file, media)},
        "rows": row_counts(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return folder


def _verified_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} 不是有效的备份（缺少 {MANIFEST}）。")
    manifest = json.loads(path.read_text())
    for name, expected in manifest["files"].items():
        file = folder / name
        if not file.exists() or _sha256(file) != expected:
            raise BackupError(f"备份文件 {name} 缺失或已损坏（校验值不符），未做任何恢复。")
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest['vendor']}，当前数据库是 {connection.vendor}，不能直接恢复。"
        )
    return manifest


def restore(folder: Path) -> dict[str, int]:
    """Replace the database and media with the backup's; returns the restored row counts."""
    folder = Path(folder)
    manifest = _verified_manifest(folder)
    connections.close_all()
    if connection.vendor == "sqlite":
        with sqlite3.connect(folder / "db.sqlite3") as source:
            dest = sqlite3.connect(connection.settings_dict["NAME"])
            source.backup(dest)
            dest.close()
    else:
        subprocess.run(  # noqa: S603 # nosec B603 # no shell; the tool found on PATH, arguments built here
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *_pg_args(),
                str(folder / "db.dump"),
            ],
            check=True,
            env=_pg_env(),
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists():
        shutil.rmtree(media_root)
    with tarfile.open(folder / "media.tar.gz") as archive:
        archive.extractall(media_root.parent, filter="data")
        extracted = media_root.parent / "media"
        if extracted != media_root and extracted.exists():
            extracted.rename(media_root)
    counts = row_counts()
    wrong = {k: (v, counts.get(k)) for k, v in manifest["rows"].items() if counts.get(k) != v}
    if wrong:
        raise BackupError(f"恢复后的行数与备份不符：{wrong}")
    return counts
