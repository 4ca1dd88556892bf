from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "hqzt.supervision"
    verbose_name = "工作监督"

    def ready(self) -> None:
        # needs announces, supervision listens (ADR 0011: needs may not import supervision).
        from hqzt.needs.hooks import evaluation_recorded
        from hqzt.supervision.callbacks import callback_for_evaluation

        evaluation_recorded.subscribe(callback_for_evaluation)
