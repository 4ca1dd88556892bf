"""Need.search_ngrams cover the whole content and the enterprise's current name (outside probe 2,
S1/S2; ADR 0003): rows saved before held the first 300 characters only, and the name as it was
when the need was last saved.

The table is read in ranges of BATCH ids (one index range each, whatever the gaps) and only the
rows whose tokens differ are rewritten, each range in its own transaction: memory stays at one
range at 10M needs, a stopped run keeps what it did and a second run goes on idempotently, and
the common short need whose enterprise kept its name is read but not written."""

from django.db import migrations, transaction
from django.db.models import Max, Min

from hqzt.core.search import ngrams

BATCH = 5_000


def rebuild(apps, schema_editor, batch: int = BATCH) -> int:
    Need = apps.get_model("needs", "Need")
    bounds = Need.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return 0
    changed = 0
    for start in range(bounds["low"], bounds["high"] + 1, batch):
        rows = Need.objects.filter(pk__gte=start, pk__lt=start + batch).values_list(
            "pk", "content", "enterprise__name", "search_ngrams"
        )
        stale = [
            Need(pk=pk, search_ngrams=tokens)
            for pk, content, name, old in rows.iterator(chunk_size=1_000)
            if (tokens := ngrams(content, name)) != old
        ]
        if stale:
            with transaction.atomic(using=schema_editor.connection.alias):
                Need.objects.bulk_update(stale, ["search_ngrams"], batch_size=500)
            changed += len(stale)
    return changed


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("needs", "0020_open_overdue_indexes"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
