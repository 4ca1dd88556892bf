"""Writes the similarity keys of needs archived before the index existed (or edited since)."""

from django.core.management.base import BaseCommand

from hqzt.intake.similar import index_need
from hqzt.needs.models import Need


class Command(BaseCommand):
    help = "为已归档需求建立相似需求索引（需求归档时自动建立）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from-id", type=int, default=0, help="从该需求 id 起（断点续建）")

    def handle(self, *args, from_id: int, **_) -> None:
        done = 0
        rows = (
            Need.objects.filter(pk__gte=from_id, archived_at__isnull=False)
            .only("id", "station_id", "content")
            .order_by("id")
        )
        for need in rows.iterator(chunk_size=2000):
            index_need(need)
            done += 1
        self.stdout.write(f"已建立 {done} 项已归档需求的相似需求索引。")
