from django.core.management.base import BaseCommand, CommandError

from hqzt.dashboard.reconcile import reconcile
from hqzt.stations.counts import enterprise_count_drift


class Command(BaseCommand):
    help = (
        "核对统计汇总（NeedStat）与需求台账、各服务站的服务企业数与服务关系，修正差异；"
        "--check 只报告不修正（每晚自动运行）"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="只核对并报告，不修正")

    def handle(self, *args, check: bool = False, **options) -> None:
        def progress(month, drift) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{month:%Y-%m}：{drift.rows} 行不一致")
                self.stdout.flush()

        drift = reconcile(fix=not check, progress=progress)
        counts = enterprise_count_drift(fix=not check)
        for example in drift.examples:
            self.stdout.write(example)
        for station_id, kept, counted in counts[:10]:
            self.stdout.write(f"服务站 {station_id} 服务企业数：应为 {counted}，实为 {kept}")
        problems = []
        if drift.rows:
            problems.append(f"{drift.stations} 个服务站的 {drift.rows} 行统计汇总与需求台账不一致")
        if counts:
            problems.append(f"{len(counts)} 个服务站的服务企业数与服务关系不一致")
        if not problems:
            self.stdout.write("统计汇总与需求台账一致，各服务站的服务企业数与服务关系一致。")
            return
        summary = "；".join(problems)
        if check:
            raise CommandError(f"{summary}（未修正，去掉 --check 运行以修正）。")
        self.stdout.write(f"{summary}，已修正。")
