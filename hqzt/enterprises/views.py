import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hqzt.accounts.phone_access import PhoneAccess, phone_shown
from hqzt.audit.selectors import audit_history_for
from hqzt.audit.views import phone_reveal_response
from hqzt.core.choices import ListedModelChoiceField, QuickSelect
from hqzt.core.filters import filter_values, ignored_notice
from hqzt.core.pagination import NEWEST, sort_choice, sort_pair, sort_table, sorted_paginate
from hqzt.core.phones import phone_search_term
from hqzt.core.search import text_search
from hqzt.core.text import as_id
from hqzt.enterprises.credit_code import credit_code_normalize
from hqzt.enterprises.forms import ChainForm, EnterpriseContactFormSet, EnterpriseForm, TownForm
from hqzt.enterprises.models import Chain, Enterprise, Town
from hqzt.enterprises.picker import contacts_json, enterprise_matches, pick_refusal
from hqzt.enterprises.selectors import (
    contact_get_for_user,
    contact_phone_access,
    enterprise_can_create,
    enterprise_get_for_user,
    enterprise_may_see_full_phone,
    enterprises_visible_to,
    enterprises_with_contact_phone,
    register_can_change,
)
from hqzt.enterprises.services import chain_save, enterprise_save, town_save
from hqzt.stations.models import Station
from hqzt.stations.selectors import stations_visible_to


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label="企业名称、信用代码或联系电话", required=False, max_length=50)
    chain = ListedModelChoiceField(
        label="产业链", queryset=Chain.objects.all(), required=False, empty_label="全部"
    )
    town = ListedModelChoiceField(
        label="专业镇", queryset=Town.objects.all(), required=False, empty_label="全部"
    )
    station = ListedModelChoiceField(
        label="服务站", queryset=Station.objects.none(), required=False, empty_label="全部"
    )
    size = forms.ChoiceField(
        widget=QuickSelect(),
        label="规模",
        choices=[("", "全部"), *Enterprise.Size.choices],
        required=False,
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the user's own stations can be chosen: a filter must not become a way to probe
        # another station's enterprises.
        self.fields["station"].queryset = stations_visible_to(user)


def _contacts_for_display(enterprise: Enterprise, access: PhoneAccess) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "position": c.position,
            "is_primary": c.is_primary,
            "phone": phone_shown(access, c.phone),
            "reveal_url": reverse("enterprises:contact_reveal_phone", args=[c.pk])
            if access.offers_reveal
            else "",
        }
        for c in enterprise.contacts.all()
    ]


# The list's orders: newest first, or by a column head — the name walks the (name, id) index
# (enterprise_name_id), the credit code its unique index.
ENTERPRISE_SORTS = sort_table(
    NEWEST,
    sort_pair("name", "企业名称", "name", parse=str),
    sort_pair("code", "统一社会信用代码", "credit_code", parse=str, nullable=True),
)


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    enterprises = enterprises_visible_to(request.user)
    filters = EnterpriseFilterForm(request.GET, user=request.user)
    data, ignored = filter_values(filters)
    if ignored:
        messages.warning(request, ignored_notice(ignored))
    term = (data["q"] or "").strip()
    code = credit_code_normalize(term)
    text = ""
    if len(code) == 18 and code.isalnum():
        enterprises = enterprises.filter(credit_code=code)
    elif number := phone_search_term(term):
        # As in the ledger: a number finds nothing for whoever sees numbers masked.
        if enterprise_may_see_full_phone(request.user):
            enterprises = enterprises_with_contact_phone(enterprises, number)
        else:
            enterprises = enterprises.none()
    else:
        text = term  # searched last, among the other filters' enterprises (core/search.py)
    if data["chain"]:
        enterprises = enterprises.filter(chains=data["chain"])
    if data["town"]:
        enterprises = enterprises.filter(town=data["town"])
    if data["station"]:
        enterprises = enterprises.filter(stations=data["station"])
    if data["size"]:
        enterprises = enterprises.filter(size=data["size"])
    paging = {}
    if text:
        search = text_search(enterprises, text, "name")
        enterprises, paging = search.rows, search.paging
    sort = sort_choice(request.GET, ENTERPRISE_SORTS, NEWEST.key)
    page = sorted_paginate(enterprises.select_related("town"), request.GET, sort, **paging)
    return render(
        request,
        "enterprises/list.html",
        {
            "page": page,
            "sort": sort,
            "filters": filters,
            "can_create": enterprise_can_create(request.user),
            # the same people as documents.import_views.enterprise_import (station staff)
            "can_import": request.user.is_station_staff,
        },
    )


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise, can_change = enterprise_get_for_user(request.user, pk)
    access = contact_phone_access(request.user)
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            "can_change": can_change,
            "contacts": _contacts_for_display(enterprise, access),
            "stations": enterprise.stations.filter(
                pk__in=stations_visible_to(request.user).values("pk")
            ),
            "chains": enterprise.chains.all(),
            "history": audit_history_for(enterprise),
        },
    )


@login_required
@require_POST
def contact_reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """显示完整号码 for a contact, if the one rule allows it (contact_phone_access), audited;
    outside the user's scope 404, others 403."""
    contact = contact_get_for_user(request.user, pk)
    return phone_reveal_response(
        request,
        obj=contact,
        field="phone",
        back_url=reverse("enterprises:detail", args=[contact.enterprise_id]),
        access=contact_phone_access(request.user),
    )


def _enterprise_form_page(
    request: HttpRequest, enterprise: Enterprise, *, inline: bool = False
) -> HttpResponse:
    """The enterprise form as a page, or `inline` as the body of the registration form's
    dialog (HTMX): there a success tells the picker which enterprise to choose instead of
    leaving the registration form, and errors stay in the dialog."""
    allowed = stations_visible_to(request.user).filter(is_active=True).order_by("name")
    form = EnterpriseForm(
        request.POST or None,
        instance=enterprise,
        allowed_stations=allowed,
        require_station=not request.user.is_admin,
    )
    if inline and not request.POST and (station := _station_param(request, allowed)):
        form.initial["stations"] = [station]  # the station the need is registered at
    contacts = EnterpriseContactFormSet(
        request.POST or None,
        instance=enterprise,
        prefix="c",
        form_kwargs={"full_phone": enterprise_may_see_full_phone(request.user)},
    )
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("stations")
        try:
            saved = enterprise_save(
                actor=request.user,
                enterprise=enterprise,
                data=data,
                stations=chosen,
                allowed_stations=allowed,
                contacts=[row for row in contacts.cleaned_data if row],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if inline:
                return _created_for_picker(request, saved)
            messages.success(request, f"企业「{saved.name}」已保存。")
            return redirect("enterprises:detail", pk=saved.pk)
    return render(
        request,
        "enterprises/form_inline.html" if inline else "enterprises/form.html",
        {"form": form, "contacts": contacts, "enterprise": enterprise},
    )


def _station_param(request: HttpRequest, allowed: QuerySet[Station]) -> Station | None:
    pk = as_id(request.GET.get("station", ""))
    return None if pk is None else allowed.filter(pk=pk).first()


def _created_for_picker(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    """The dialog's success: HTMX fires `enterpriseCreated` and the picker chooses it."""
    response = render(request, "enterprises/created_inline.html", {"enterprise": enterprise})
    response["HX-Trigger"] = json.dumps(
        {
            "enterpriseCreated": {
                "id": enterprise.pk,
                "name": enterprise.name,
                "contacts": json.loads(contacts_json(request.user, enterprise)),
            }
        }
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request: HttpRequest) -> HttpResponse:
    if not enterprise_can_create(request.user):
        raise PermissionDenied("您没有新建企业的权限。")
    inline = request.headers.get("HX-Request") == "true"
    return _enterprise_form_page(request, Enterprise(), inline=inline)


@login_required
def enterprise_pick(request: HttpRequest) -> HttpResponse:
    """The picker's matches (HTMX): the chosen station's enterprises the user may see."""
    station = _station_param(request, stations_visible_to(request.user).filter(is_active=True))
    term = request.GET.get("q", "").strip()[:50]
    matches = enterprise_matches(request.user, station, term) if station and term else []
    refusal = pick_refusal(station, term) if station and term and not matches else ""
    return render(
        request,
        "enterprises/pick_options.html",
        {
            "term": term,
            "refusal": refusal,
            "options": [(e, contacts_json(request.user, e)) for e in matches],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise, can_change = enterprise_get_for_user(request.user, pk)
    if not can_change:
        raise PermissionDenied("您没有修改该企业的权限。")
    return _enterprise_form_page(request, enterprise)


# --- Chains and towns: city-wide registers ------------------------------------------------------


@login_required
def chain_list(request: HttpRequest) -> HttpResponse:
    visible = enterprises_visible_to(request.user).values("pk")
    chains = (
        Chain.objects.select_related("chain_leader")
        .annotate(
            enterprise_count=Count("enterprises", filter=Q(enterprises__in=visible), distinct=True),
            station_count=Count("stations", distinct=True),
        )
        .order_by("-is_active", "name")
    )
    return render(
        request,
        "enterprises/chain_list.html",
        {"chains": chains, "can_change": register_can_change(request.user)},
    )


@login_required
def chain_detail(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_object_or_404(Chain.objects.select_related("chain_leader"), pk=pk)
    visible = enterprises_visible_to(request.user)
    return render(
        request,
        "enterprises/chain_detail.html",
        {
            "chain": chain,
            "can_change": register_can_change(request.user),
            "backbone": chain.backbone_enterprises.order_by("name"),
            "members": visible.filter(chains=chain).select_related("town").order_by("name")[:200],
            "member_count": visible.filter(chains=chain).count(),
            "visible_ids": set(visible.filter(chains=chain).values_list("pk", flat=True)[:1000]),
            "stations": stations_visible_to(request.user).filter(chain=chain),
            "history": audit_history_for(chain),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def chain_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not register_can_change(request.user):
        raise PermissionDenied("只有系统管理员和上级单位可以维护产业链。")
    chain = get_object_or_404(Chain, pk=pk) if pk else Chain()
    form = ChainForm(request.POST or None, instance=chain)
    if request.method == "POST" and form.is_valid():
        chain = chain_save(actor=request.user, chain=chain, data=form.cleaned_data)
        messages.success(request, f"产业链「{chain.name}」已保存。")
        return redirect("enterprises:chain_detail", pk=chain.pk)
    return render(
        request,
        "enterprises/register_form.html",
        {
            "form": form,
            "title": f"编辑产业链：{chain.name}" if chain.pk else "新建产业链",
            "cancel_url": "enterprises:chain_list",
        },
    )


@login_required
def town_list(request: HttpRequest) -> HttpResponse:
    visible = enterprises_visible_to(request.user).values("pk")
    towns = Town.objects.annotate(
        enterprise_count=Count("enterprises", filter=Q(enterprises__in=visible), distinct=True),
        station_count=Count("stations", distinct=True),
    ).order_by("-is_active", "name")
    return render(
        request,
        "enterprises/town_list.html",
        {"towns": towns, "can_change": register_can_change(request.user)},
    )


@login_required
def town_detail(request: HttpRequest, pk: int) -> HttpResponse:
    town = get_object_or_404(Town, pk=pk)
    visible = enterprises_visible_to(request.user).filter(town=town)
    return render(
        request,
        "enterprises/town_detail.html",
        {
            "town": town,
            "can_change": register_can_change(request.user),
            "members": visible.order_by("name")[:200],
            "member_count": visible.count(),
            "stations": stations_visible_to(request.user).filter(town=town),
            "history": audit_history_for(town),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def town_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not register_can_change(request.user):
        raise PermissionDenied("只有系统管理员和上级单位可以维护专业镇。")
    town = get_object_or_404(Town, pk=pk) if pk else Town()
    form = TownForm(request.POST or None, instance=town)
    if request.method == "POST" and form.is_valid():
        town = town_save(actor=request.user, town=town, data=form.cleaned_data)
        messages.success(request, f"专业镇「{town.name}」已保存。")
        return redirect("enterprises:town_detail", pk=town.pk)
    return render(
        request,
        "enterprises/register_form.html",
        {
            "form": form,
            "title": f"编辑专业镇：{town.name}" if town.pk else "新建专业镇",
            "cancel_url": "enterprises:town_list",
        },
    )
