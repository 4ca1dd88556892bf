"""axe-core on every page the access matrix knows (issue 15 item 7): each URL of
tests/test_access_matrix.py that some persona may GET as a whole HTML page is opened in Chromium
as the first persona that may, and axe-core finds no serious or critical violation on it.

One browser, one signed-in window per persona, the pages in a loop; the findings are collected
and reported together, one line per page and rule."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.browser.conftest import DESKTOP
from tests.browser.test_accessibility import serious_violations
from tests.test_access_matrix import PUBLIC, PUBLIC_PREFIXES, _kwargs, _names, world  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

# Who opens a page: the public ones as an anonymous visitor, the rest as the first persona that
# may see it, the station's people first.
STAFF_ORDER = ["staff_a", "chief_a", "handler", "supervisor", "admin_user"]

# Left out, with the reason. Swagger UI is the integrators' reference of the REST API, drawn by
# its own script (drf-spectacular-sidecar): its operation rows nest buttons in buttons and its
# version stamp is pale grey — its markup, not ours, and no staff member or enterprise uses it.
NOT_CHECKED = {"api:docs"}


def _is_page(response) -> bool:
    return (
        response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and b"<html" in response.content[:400]
    )


def _plan(objects: dict, clients) -> list[tuple[str, str]]:
    """(persona, URL) for every GET page of the matrix some persona may open."""
    plan = []
    for name, pattern in _names():
        if name in NOT_CHECKED:
            continue
        url = reverse(name, kwargs=_kwargs(name, pattern, objects))
        public = name in PUBLIC or name.startswith(PUBLIC_PREFIXES)
        for persona in ["anonymous"] if public else STAFF_ORDER:
            if _is_page(clients[persona].get(url)):
                plan.append((persona, url))
                break
    return plan


def test_axe_finds_nothing_serious_on_any_page_of_the_matrix(
    world,  # noqa: F811
    request,
    live_server,
    browser,
):
    clients = {"anonymous": Client()}
    for persona in STAFF_ORDER:
        clients[persona] = Client()
        clients[persona].force_login(request.getfixturevalue(persona))
    plan = _plan(world, clients)
    assert len(plan) >= 60, plan  # the matrix's pages, not a handful

    base = live_server.url
    pages = {}
    for persona, client in clients.items():
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN", bypass_csp=True)
        context.set_default_timeout(30_000)
        if persona != "anonymous":
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}]
            )
        pages[persona] = context.new_page()
    found = []
    try:
        for persona, url in plan:
            page = pages[persona]
            page.goto(base + url)
            page.wait_for_load_state()
            found += [f"{persona} {url}: {v}" for v in serious_violations(page)]
    finally:
        for page in pages.values():
            page.context.close()
    assert not found, "\n".join(found)
