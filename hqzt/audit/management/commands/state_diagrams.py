from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from hqzt.audit.statemachine import pages

DOCS = Path(settings.BASE_DIR) / "docs"


class Command(BaseCommand):
    help = "输出（或用 --write 写入 docs/）每个状态机的状态图：需求及其他业务对象"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--write", action="store_true")

    def handle(self, *args, write: bool, **options) -> None:
        for name, render in pages().items():
            if write:
                (DOCS / name).write_text(render(), encoding="utf-8")
                self.stdout.write(f"已写入 {DOCS / name}")
            else:
                self.stdout.write(render())
