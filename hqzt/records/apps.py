from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "hqzt.records"
    verbose_name = "资料管理"

    def ready(self) -> None:
        # 发布为典型案例 (§6.6.3) is records' action on the need page; needs lists and runs it
        # without importing records (ADR 0011).
        from hqzt.needs.actions import ActionSpec, action_register
        from hqzt.records.forms import ShowcaseForm
        from hqzt.records.showcase import may_publish, showcase_publish

        action_register(
            "showcase",
            ActionSpec(
                "发布为典型案例",
                ShowcaseForm,
                lambda r, n, d: showcase_publish(actor=r.user, need=n, **d),
            ),
            offered=may_publish,
        )
