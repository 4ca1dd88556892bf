"""Builds the need classifier from the labelled corpus (and a city's identified needs)."""

import shutil

from django.core.management.base import BaseCommand, CommandError

from hqzt.intake.services import DEFAULT_MODEL, build_model
from hqzt.org.models import OrgUnit


class Command(BaseCommand):
    help = "训练需求智能识别模型（语料库 + 本市已识别、已分发的需求），保存到 DATA_DIR/intake/。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--city", type=int, help="市级单位 id：加入该市服务站的历史需求")
        parser.add_argument(
            "--all-cities", action="store_true", help="为每个市级单位各训练一个模型"
        )
        parser.add_argument(
            "--update-default",
            action="store_true",
            help="同时更新代码库中的默认模型（仅语料库，开发者使用）",
        )

    def handle(self, *args, city: int | None, all_cities: bool, update_default: bool, **_):
        if city and not OrgUnit.objects.filter(pk=city, level=OrgUnit.Level.CITY).exists():
            raise CommandError(f"没有 id 为 {city} 的市级单位。")
        cities = [city] if city else []
        if all_cities:
            cities = list(
                OrgUnit.objects.filter(level=OrgUnit.Level.CITY).values_list("pk", flat=True)
            )
        for city_id in [None, *cities]:
            path, classifier = build_model(city_id)
            meta = classifier.meta
            self.stdout.write(
                f"{path}：语料 {meta['corpus']} 条，历史 {meta['history']} 条，"
                f"用时 {meta['build_seconds']} 秒"
            )
            if city_id is None and update_default:
                shutil.copyfile(path, DEFAULT_MODEL)
                self.stdout.write(f"已更新默认模型 {DEFAULT_MODEL}")
