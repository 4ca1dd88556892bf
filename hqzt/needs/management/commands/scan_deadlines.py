from django.core.management.base import BaseCommand

from hqzt.needs.scans import deadline_scan


class Command(BaseCommand):
    help = "检查办理期限：到期提醒、超期通知、再次邀请企业评价（每日运行）"

    def handle(self, *args, **options) -> None:
        report = deadline_scan()
        self.stdout.write(
            f"到期提醒 {report.reminded} 件，超期通知 {report.overdue} 件，"
            f"再次邀请评价 {report.reinvited} 件。"
        )
