from django.core.management.base import BaseCommand, CommandError

from hqzt.audit.chain import chain_breaks
from hqzt.audit.models import AuditChainHead, AuditEvent


class Command(BaseCommand):
    help = "校验操作记录的哈希链，发现被直接修改或删除的记录"

    def handle(self, *args, **options) -> None:
        broken = list(chain_breaks())
        last = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first() or ""
        head = AuditChainHead.objects.filter(pk=1).values_list("last_hash", flat=True).first() or ""
        if head != last:
            broken.append(None)
        if broken:
            rows = "、".join(f"#{e.pk}" for e in broken if e is not None)
            tail = "；链尾与记录不一致（最新记录被删除）" if None in broken else ""
            raise CommandError(f"操作记录校验失败：{rows or '无'}{tail}。")
        total = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"操作记录完整：{total} 条，哈希链连续。"))
