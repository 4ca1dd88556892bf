"""The lists of needs: the ledger (企业需求记录台账) with its batch actions, and the to-do list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hqzt.core import clock
from hqzt.core.filters import ignored_notice
from hqzt.core.pagination import sorted_paginate
from hqzt.needs import batch
from hqzt.needs.deadlines import warn_date
from hqzt.needs.ledger import DEFAULT_SORT, SORTS, ledger_filter, ledger_sort, with_related
from hqzt.needs.ledger_forms import PERIODS, SELECTED_MAX
from hqzt.needs.ledger_page import ledger_rows
from hqzt.needs.selectors import deadline_flag, todo_for
from hqzt.org.models import Section
from hqzt.stations.selectors import stations_led_by

# The ledger's filters shown in its bar; the rest fold under 展开 (issue 15 item 2).
LEDGER_MAIN_FILTERS = ("q", "status", "need_type", "date_from", "date_to")
LEDGER_FOLDED_FILTERS = (
    "station",
    "source",
    "channel",
    "lead_section",
    "chain",
    "town",
    "archive_category",
    "evaluation",
    "measure",
)


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """企业需求记录台账 (Appendix B) with filters, in the user's scope: sortable by a whitelisted
    index-backed order, 20/50/100 to a page, numbered pages as far as a bounded OFFSET reaches and
    keyset 上一页/下一页 beyond, row selection for the batch actions (batch.py)."""
    needs, filters = ledger_filter(request.user, request.GET)
    if filters.ignored:
        messages.warning(request, ignored_notice(filters.ignored))
    paging = filters.search.paging if filters.search else {"counted": filters.counted}
    sort = ledger_sort(request.GET)
    page = sorted_paginate(with_related(needs), request.GET, sort, **paging)
    user = request.user
    rows = ledger_rows(user, page.items, start=page.start, with_station=filters.spans_stations())
    leads = user.is_station_staff and stations_led_by(user).exists()
    folded = [filters[name] for name in LEDGER_FOLDED_FILTERS]
    return render(
        request,
        "needs/ledger.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "main_filters": [filters[name] for name in LEDGER_MAIN_FILTERS],
            "folded_filters": folded,
            # 展开 stays open in a shared link (?more=1) and whenever a folded filter is in use.
            "filters_open": request.GET.get("more") == "1"
            or any(request.GET.get(f.name) for f in folded),
            "periods": PERIODS,
            "period": request.GET.get("period", ""),
            "sorts": SORTS,
            "sort": sort,
            "date_toggle": "date" if sort.key == "-date" else "-date",
            "number_toggle": "id" if sort.key == "-id" else "-id",
            "due_toggle": DEFAULT_SORT if sort.key == "due" else "due",
            "can_register": user.is_station_staff,
            "export_query": request.GET.urlencode(),
            "may_dispatch": leads,
            "may_remind": leads or user.is_supervisor,
            "sections": Section.objects.filter(
                kind=Section.Kind.BUREAU_SECTION, is_active=True
            ).order_by("pk")
            if leads
            else [],
            "selected_max": SELECTED_MAX,
        },
    )


@login_required
@require_POST
def ledger_batch(request: HttpRequest) -> HttpResponse:
    """批量分发 / 批量催办 / 导出所选 on the ticked rows; back to the same ledger view with the
    outcome per need (batch.py does the work, each need through its own service)."""
    back = QueryDict(request.POST.get("back", "")).copy()
    back_url = f"{reverse('needs:ledger')}?{back.urlencode()}"
    action = request.POST.get("action", "")
    try:
        ids = batch.parse_ids(request.POST.getlist("ids"))
        if action == "export":
            query = batch.export_query(request.user, ids)
            return redirect(f"{reverse('documents:ledger_xlsx')}?{query}")
        note = request.POST.get("note", "").strip()[:500]
        if action == "dispatch":
            section = batch.dispatch_section(request.POST.get("lead_section", ""))
            result = batch.batch_dispatch(
                actor=request.user, ids=ids, lead_section=section, note=note
            )
        elif action == "remind":
            result = batch.batch_remind(actor=request.user, ids=ids, note=note)
        else:
            raise batch.BatchRefused("没有这个批量操作。")
    except batch.BatchRefused as exc:
        messages.error(request, str(exc))
        return redirect(back_url)
    level = messages.success if not result.refused else messages.warning
    level(request, result.message)
    return redirect(back_url)


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    needs = list(with_related(todo_for(request.user))[:300])
    warn_on = warn_date(clock.today())
    return render(
        request,
        "needs/todo.html",
        {"rows": [{"need": n, "flag": deadline_flag(n, warn_on=warn_on)} for n in needs]},
    )
