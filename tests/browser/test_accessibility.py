"""Accessibility (issue 15 item 7): axe-core finds no serious or critical violation on the
portal (at phone size) and on each role's main staff pages (at desktop size) — labels on every
field, contrast, names on selects and buttons, landmarks."""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import DEMO_PASSWORD, PHONE, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

AXE = (Path(__file__).parent / "vendor" / "axe-4.10.3.min.js").read_text()
STAFF_PAGES = [
    "/home/",
    "/needs/",
    "/needs/?more=1",
    "/todo/",
    "/needs/new/",
    "/stats/",
    "/enterprises/",
    "/inbox/",
]


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    page.add_script_tag(content=AXE)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
                .filter(v => ["serious", "critical"].includes(v.impact))
                .map(v => `${v.id} (${v.impact}): ${v.help} — ` +
                    v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
        }"""
    )


def test_no_serious_violations_on_the_portal_and_the_staff_pages(
    settings, tmp_path, live_server, new_page
):
    from hqzt.needs.models import Need
    from hqzt.stations.models import Station

    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD)
    base = live_server.url
    station = Station.objects.filter(is_active=True).first().pk
    found = {}
    page = new_page(PHONE, bypass_csp=True)
    for path in [
        "/portal/",
        f"/portal/stations/{station}/",
        f"/portal/stations/{station}/submit/",
        "/portal/track/",
        "/portal/feedback/",
        "/portal/policies/",
        "/accounts/login/",
    ]:
        page.goto(base + path)
        found[path] = serious_violations(page)
    need = Need.objects.filter(station__members__user__username="chief1").first()
    for user in ["staff1", "chief1", "handler1", "supervisor"]:
        staff = login(new_page, base, user, bypass_csp=True)
        for path in [*STAFF_PAGES, f"/needs/{need.pk}/"]:
            staff.goto(base + path)
            found[f"{user} {path}"] = serious_violations(staff)
    assert not {where: v for where, v in found.items() if v}
