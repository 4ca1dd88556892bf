from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "hqzt.notifications"
    verbose_name = "消息通知"
