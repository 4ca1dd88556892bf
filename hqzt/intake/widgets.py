"""HTMX attributes for a need's text field: while it is typed, the suggested type appears in
the next `.type-suggestion` element (templates place one after the field) and
static/js/type-suggest.js selects it in the `[data-type-scope]` around them."""

from django.urls import reverse_lazy

TYPE_SUGGEST_ATTRS = {
    "hx-get": reverse_lazy("portal:suggest_type"),
    "hx-trigger": "input changed delay:400ms",
    "hx-target": "next .type-suggestion",
    "hx-sync": "this:replace",
}
