from django.core.management.base import BaseCommand, CommandError

from hqzt.records.retention import RetentionError, need_purge, purgeable


class Command(BaseCommand):
    help = "销毁保存期满（且未暂停销毁）的已归档需求；每一项都记入操作记录"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reason", required=True, help="销毁依据，例如批准文件文号")
        parser.add_argument("--yes", action="store_true", help="确认执行（否则只列出数量）")

    def handle(self, *args, reason: str, yes: bool, **options) -> None:
        needs = list(purgeable())
        if not yes:
            self.stdout.write(f"保存期满可销毁的已归档需求：{len(needs)} 项。确认后加 --yes 执行。")
            return
        try:
            for need in needs:
                need_purge(actor=None, need=need, reason=reason)
        except RetentionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已销毁 {len(needs)} 项，均已记入操作记录。"))
