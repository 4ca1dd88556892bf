"""Writes the similarity keys of needs created before the index existed (or edited since)."""

from django.core.management.base import BaseCommand

from hqzt.intake.similar import index_need
from hqzt.needs.models import Need


class Command(BaseCommand):
    help = "为已有需求建立相似需求索引（新需求登记时自动建立）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from-id", type=int, default=0, help="从该需求 id 起（断点续建）")

    def handle(self, *args, from_id: int, **_) -> None:
        done = 0
        rows = Need.objects.filter(pk__gte=from_id).only("id", "content").order_by("id")
        for need in rows.iterator(chunk_size=2000):
            index_need(need)
            done += 1
        self.stdout.write(f"已建立 {done} 项需求的相似需求索引。")
