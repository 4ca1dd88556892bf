from django.core.management.base import BaseCommand, CommandError

from hqzt.dashboard.reconcile import reconcile


class Command(BaseCommand):
    help = "核对统计汇总（NeedStat）与需求台账，修正差异；--check 只报告不修正（每晚自动运行）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="只核对并报告，不修正")

    def handle(self, *args, check: bool = False, **options) -> None:
        def progress(month, drift) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{month:%Y-%m}：{drift.rows} 行不一致")
                self.stdout.flush()

        drift = reconcile(fix=not check, progress=progress)
        if not drift.rows:
            self.stdout.write("统计汇总与需求台账一致。")
            return
        for example in drift.examples:
            self.stdout.write(example)
        summary = f"{drift.stations} 个服务站的 {drift.rows} 行统计汇总与需求台账不一致"
        if check:
            raise CommandError(f"{summary}（未修正，去掉 --check 运行以修正）。")
        self.stdout.write(f"{summary}，已修正。")
