from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hqzt.accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from hqzt.accounts import signals  # noqa: F401  (connects the login audit)
