from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from hqzt.core.clauses import markdown

DOC = Path(settings.BASE_DIR) / "docs" / "clauses.md"


class Command(BaseCommand):
    help = "输出（或用 --write 写入 docs/clauses.md）标准条款与代码、测试的对照表"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--write", action="store_true")

    def handle(self, *args, write: bool, **options) -> None:
        if write:
            DOC.write_text(markdown(), encoding="utf-8")
            self.stdout.write(f"已写入 {DOC}")
        else:
            self.stdout.write(markdown())
