from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "hqzt.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from hqzt.core import admin_chinese

        admin_chinese.apply()
        post_migrate.connect(_token_indexes, sender=self, dispatch_uid="hqzt-token-indexes")


def _token_indexes(sender, using: str, **kwargs) -> None:
    """SQLite's token indexes after every migrate (token_index.py says why not a migration)."""
    from django.apps import apps as installed
    from django.db import connections

    from hqzt.core import token_index

    tables = [
        model._meta.db_table
        for model in installed.get_models()
        if any(field.name == token_index.FIELD for field in model._meta.concrete_fields)
    ]
    token_index.ensure(connections[using], tables)
