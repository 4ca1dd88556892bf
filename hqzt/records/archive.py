"""The archive (§6.6): archived needs filed by category, searchable by words, station, category
and year of archiving, with how many files each category holds."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Count, QuerySet

from hqzt.accounts.models import User
from hqzt.core.choices import ListedModelChoiceField
from hqzt.core.filters import filter_values
from hqzt.core.search import text_filter
from hqzt.needs.models import Need, NeedType
from hqzt.needs.selectors import needs_visible_to
from hqzt.needs.states import Status
from hqzt.stations.models import Station
from hqzt.stations.selectors import stations_visible_to


class ArchiveFilterForm(forms.Form):
    q = forms.CharField(label="关键词（企业、需求内容）", required=False, max_length=50)
    category = ListedModelChoiceField(
        label="归档类别", queryset=NeedType.objects.all(), required=False, empty_label="全部"
    )
    station = ListedModelChoiceField(
        label="服务站", queryset=Station.objects.none(), required=False, empty_label="全部"
    )
    year = forms.IntegerField(label="归档年度", required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, stations: QuerySet[Station], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations.order_by("name")


# DB1405 §6.6.1
def archive_search(
    user: User, params: Mapping[str, Any]
) -> tuple[QuerySet[Need], list[dict[str, Any]], ArchiveFilterForm]:
    """The archived needs matching the filters, and per-category counts under the same filters
    (all categories, so that the reader sees where else the search would find files)."""
    needs = needs_visible_to(user).filter(status=Status.ARCHIVED)
    form = ArchiveFilterForm(params, stations=stations_visible_to(user))
    data, form.ignored = filter_values(form)  # an invalid value: only that field left out
    if data["station"]:
        needs = needs.filter(station=data["station"])
    if data["year"]:
        needs = needs.filter(archived_at__year=data["year"])
    if (data["q"] or "").strip():
        needs = text_filter(needs, data["q"], "content", "enterprise__name")
    category = data["category"]
    facets = list(
        needs.values("archive_category", "archive_category__name")
        .annotate(n=Count("pk"))
        .order_by("archive_category__name")
    )
    if category is not None:
        needs = needs.filter(archive_category=category)
    return needs, facets, form
