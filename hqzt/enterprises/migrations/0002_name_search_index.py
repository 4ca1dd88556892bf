"""The n-gram full-text index behind Chinese name search (see hqzt.core.search). PostgreSQL
only: SQLite, the single-city default, searches by scanning."""

from django.db import migrations

from hqzt.core.search import search_index_operation


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [search_index_operation("enterprises_enterprise")]
