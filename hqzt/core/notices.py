"""What the system administrator must fix, shown on their home page and the admin's index:
posters that would carry a local address, and a year whose official holiday arrangement (调休) is
not known yet."""

from dataclasses import dataclass

from django.urls import reverse

from hqzt.core import clock, site
from hqzt.core.workdays import calendar_gaps


@dataclass(frozen=True)
class AdminNotice:
    key: str  # the data-testid of the warning
    text: str
    url: str = ""
    link_text: str = ""


def admin_notices() -> list[AdminNotice]:
    notices = []
    base = site.base_url()
    if site.is_local(base):
        notices.append(
            AdminNotice(
                "base-url-warning",
                f"短信中的链接、公示海报和标识标牌上的二维码现在指向 {base}，"
                "这是本机地址，企业用手机扫码或点开都无法访问。"
                "请将环境变量 HQZT_BASE_URL 设为企业访问本系统的地址"
                "（例如 https://hqzt.example.gov.cn）并重启后，再打印海报和标牌。",
            )
        )
    for year in calendar_gaps(clock.today()):
        notices.append(
            AdminNotice(
                "calendar-gap",
                f"系统内置日历尚无 {year} 年的放假调休安排：办理时限暂按周一至周五、扣除法定节假日"
                f"（元旦、春节、清明、劳动节、端午、中秋、国庆）计算，调休上班日未计入。请在国务院办公厅"
                f"公布《关于{year}年部分节假日安排的通知》后，录入 {year} 年的放假日和调休上班日。",
                reverse("admin:core_workdayoverride_arrangement"),
                f"录入 {year} 年放假安排",
            )
        )
    return notices
