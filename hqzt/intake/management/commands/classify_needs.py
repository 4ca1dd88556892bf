"""Batch classification: JSON lines {"text": ...} in, one JSON line of ranked names out."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from hqzt.intake.services import suggest


class Command(BaseCommand):
    help = (
        '从标准输入逐行读取 {"text": "..."}，每行输出 '
        '{"type": [...], "scope": [...], "complexity": [...], "lead": [...]}（按可能性排序）。'
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--city", type=int, help="使用该市级单位的模型（默认：通用模型）")

    def handle(self, *args, city: int | None, **_) -> None:
        out = self.stdout
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                text = item["text"]
            except (ValueError, KeyError, TypeError) as exc:
                raise CommandError(f'第 {number} 行不是 {{"text": "..."}} 形式的 JSON。') from exc
            if not isinstance(text, str):
                raise CommandError(f"第 {number} 行的 text 必须是字符串。")
            # Only the text is read: any label in the input is ignored.
            names = suggest(text, city_id=city).as_names()
            out.write(json.dumps(names, ensure_ascii=False))
