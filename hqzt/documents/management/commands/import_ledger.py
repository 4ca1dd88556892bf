"""`manage.py import_ledger FILE... --station … --as …`: the bureau's IT loads the stations'
spreadsheets the way a station user would through the upload page — the same dry run, the same
confirm, the same permissions (issue 14 item 5)."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hqzt.accounts.models import User
from hqzt.documents.import_errors import (
    AlreadyImported,
    ImportConflict,
    ImportFileError,
    ImportPermissionError,
)
from hqzt.documents.ledger_commit import import_batch_confirm
from hqzt.documents.ledger_import import Analysis, import_batch_create
from hqzt.stations.models import Station

SUFFIXES = (".xlsx", ".csv")
# A row's result as the command reports it: a stable word for scripts, a Chinese one for people.
RESULTS = {
    "ok": ("import", "导入"),
    "rejected": ("error", "有误"),
    "skipped": ("skip", "跳过"),
    "repeat": ("duplicate", "文件内重复"),
    "duplicate": ("already imported", "已导入过"),
}


class Command(BaseCommand):
    help = "导入服务站的历史台账（.xlsx/.csv，附录B），与网页上的“导入台账”相同：先预检，再整体导入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="台账文件，或存放台账文件的文件夹")
        parser.add_argument("--station", required=True, help="服务站 id 或完整名称")
        parser.add_argument(
            "--as", dest="username", required=True, help="以哪个用户的身份导入（须能为该站导入）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只预检，不导入")
        parser.add_argument("--json", action="store_true", help="结果以一个 JSON 对象输出")
        parser.add_argument(
            "--open",
            action="store_true",
            help="导入后进入“待识别”继续办理（默认按已办结的历史记录归档）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        field_key_check()
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有启用的用户「{options['username']}」。")
        station = _station(options["station"])
        files = _files(options["files"])
        reports = [
            self._one(path, user, station, dry_run=options["dry_run"], archive=not options["open"])
            for path in files
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"files": reports}, ensure_ascii=False, indent=2))
        else:
            for report in reports:
                self._print(report)
        # Non-zero when errors left nothing to import: no good row, new or imported before.
        good = sum(r["counts"].get("ok", 0) + r["counts"].get("duplicate", 0) for r in reports)
        failed = any(r["error"] or r["counts"].get("rejected") for r in reports)
        if failed and not good:
            raise CommandError("没有可导入的行：请按上面的原因修改文件后重试。")

    def _one(
        self, path: Path, user: User, station: Station, *, dry_run: bool, archive: bool
    ) -> dict[str, Any]:
        report: dict[str, Any] = {
            "file": str(path),
            "station": station.name,
            "dry_run": dry_run,
            "error": "",
            "sheet": "",
            "notes": [],
            "counts": {},
            "imported": 0,
            "rows": [],
        }
        try:
            with path.open("rb") as handle:
                batch, analysis = import_batch_create(
                    user=user, station=station, upload=handle, name=path.name, archive=archive
                )
            report.update(_analysis(analysis))
            if not dry_run:
                report["imported"] = import_batch_confirm(batch=batch, actor=user)
        except (ImportFileError, ImportPermissionError, ImportConflict) as exc:
            report["error"] = str(exc)
        except AlreadyImported:
            report["error"] = "该文件已导入"
        return report

    def _print(self, report: dict[str, Any]) -> None:
        self.stdout.write(f"== {report['file']} → {report['station']}")
        if report["error"]:
            self.stdout.write(f"   错误：{report['error']}")
            return
        for note in report["notes"]:
            self.stdout.write(f"   说明：{note}")
        for row in report["rows"]:
            detail = "；".join(filter(None, [row["reason"], *row["warnings"]]))
            self.stdout.write(f"   第 {row['row']} 行\t{row['label']}\t{detail}")
        counts = report["counts"]
        done = (
            f"预检：可导入 {counts['ok']} 行"
            if report["dry_run"]
            else f"已导入 {report['imported']} 行"
        )
        self.stdout.write(
            f"   {done}；已导入过 {counts['duplicate']}，文件内重复 {counts['repeat']}，"
            f"有误 {counts['rejected']}，跳过 {counts['skipped']}"
        )


def _analysis(analysis: Analysis) -> dict[str, Any]:
    return {
        "sheet": analysis.sheet,
        "notes": analysis.notes,
        "counts": analysis.counts,
        "rows": [
            {
                "row": r.row,
                "result": RESULTS[r.status][0],
                "label": RESULTS[r.status][1],
                "reason": r.reason,
                "warnings": r.warnings,
            }
            for r in analysis.rows
        ],
    }


def field_key_check() -> None:
    """Contact phones are stored encrypted with the website's key: without it an import would
    end in a traceback at the first phone. Say so first, in Chinese, with what to do."""
    if not settings.FIELD_ENCRYPTION_KEYS:
        raise CommandError(
            "未设置字段加密密钥 FIELD_ENCRYPTION_KEY：企业联系电话加密保存，导入须使用与网站相同的"
            "密钥。scripts/run.sh 启动的系统，密钥在 data/field-encryption.key，例如："
            "FIELD_ENCRYPTION_KEY=$(cat data/field-encryption.key) .venv/bin/python manage.py …；"
            "生产环境请使用其配置中的密钥。"
        )


def _station(text: str) -> Station:
    station = (
        Station.objects.filter(pk=int(text)).first()
        if text.isdigit()
        else Station.objects.filter(name=text.strip()).first()
    )
    if station is None:
        raise CommandError(f"没有服务站「{text}」（请写服务站 id 或完整名称）。")
    return station


def _files(names: list[str]) -> list[Path]:
    """The files named, a folder standing for the spreadsheets in it."""
    files: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"找不到文件「{name}」。")
    if not files:
        raise CommandError("没有找到 .xlsx 或 .csv 文件。")
    return files
