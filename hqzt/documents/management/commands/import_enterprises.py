"""`manage.py import_enterprises FILE --station … --as …`: a station's enterprise register from
.xlsx/.csv, with the dry run, permissions and merging rules of documents/enterprise_import.py and
enterprise_commit.py."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hqzt.accounts.models import User
from hqzt.documents.enterprise_commit import enterprise_import_apply
from hqzt.documents.enterprise_import import analyse
from hqzt.documents.import_access import import_station_check
from hqzt.documents.import_errors import ImportFileError, ImportPermissionError
from hqzt.documents.management.commands.import_ledger import _station, field_key_check


class Command(BaseCommand):
    help = "导入服务站的企业名册（.xlsx/.csv）：按统一社会信用代码合并，先预检，再整体导入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="企业名册文件")
        parser.add_argument("--station", required=True, help="服务站 id 或完整名称")
        parser.add_argument("--as", dest="username", required=True, help="以哪个用户的身份导入")
        parser.add_argument("--dry-run", action="store_true", help="只预检，不导入")
        parser.add_argument("--json", action="store_true", help="结果以一个 JSON 对象输出")

    def handle(self, *args: Any, **options: Any) -> None:
        field_key_check()
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有启用的用户「{options['username']}」。")
        station = _station(options["station"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件「{path}」。")
        try:
            with path.open("rb") as handle:
                if options["dry_run"]:
                    import_station_check(user=user, station=station, what="企业名册")
                    rows = analyse(handle, path.name, station)
                else:
                    rows = enterprise_import_apply(
                        upload=handle, name=path.name, station=station, actor=user
                    )
        except (ImportFileError, ImportPermissionError) as exc:
            raise CommandError(str(exc)) from None
        report = [
            {"row": r.row, "result": r.status, "label": r.label, "reason": r.reason} for r in rows
        ]
        if options["json"]:
            self.stdout.write(
                json.dumps({"dry_run": options["dry_run"], "rows": report}, ensure_ascii=False)
            )
        else:
            for r in report:
                self.stdout.write(f"第 {r['row']} 行\t{r['label']}\t{r['reason']}")
        good = [r for r in rows if r.status in ("new", "update", "same", "repeat")]
        if not good and any(r.status == "rejected" for r in rows):
            raise CommandError("没有可导入的行：请按上面的原因修改文件后重试。")
