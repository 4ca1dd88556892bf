from django.core.management.base import BaseCommand

from hqzt.needs.scans import deadline_scan
from hqzt.supervision.orders import orders_overdue_notify


class Command(BaseCommand):
    help = "检查办理期限：到期提醒、超期通知、再次邀请企业评价、督办逾期提醒（每日运行）"

    def handle(self, *args, **options) -> None:
        report = deadline_scan()
        orders = orders_overdue_notify()
        self.stdout.write(
            f"到期提醒 {report.reminded} 件，超期通知 {report.overdue} 件，"
            f"再次邀请评价 {report.reinvited} 件，督办逾期提醒 {orders} 件。"
        )
