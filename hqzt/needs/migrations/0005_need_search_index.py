"""The n-gram full-text index behind the ledger's free-text search (PostgreSQL only)."""

from django.db import migrations

from hqzt.core.search import search_index_operation


class Migration(migrations.Migration):
    dependencies = [("needs", "0004_default_time_limits")]
    operations = [search_index_operation("needs_need")]
