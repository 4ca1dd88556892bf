from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hqzt.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库和上传文件到指定目录（可在系统运行时执行）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("target", help="备份存放目录")

    def handle(self, *args, target: str, **options) -> None:
        try:
            folder = backup(Path(target))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"备份完成：{folder}"))
