from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hqzt.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份恢复数据库和上传文件（会覆盖当前数据；先校验备份完整性，恢复后核对行数）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", help="backup 命令生成的备份目录")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据")

    def handle(self, *args, folder: str, yes: bool, **options) -> None:
        if not yes:
            raise CommandError("恢复会覆盖当前全部数据。确认无误后请加 --yes 重新执行。")
        try:
            counts = restore(Path(folder))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"恢复完成并已核对 {len(counts)} 张表的行数。"))
