"""系统管理 speaks Chinese: every admin list and add page, and a change page of each list's first
row, crawled as the system administrator with data in every table that commonly has some, shows
no English word in its visible text (issue 15 item 1)."""

import contextlib
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db

# Words that are names or codes people read as such.
ALLOWED = {
    "ID", "URL", "API", "HTTPS", "HTTP", "SMS", "Word", "PDF", "Excel", "OTP", "IP", "DB",
    "GB", "JSON", "SQL", "PNG", "JPG", "XLSX", "DOCX", "SHA256", "GET", "POST", "Accept",
    "Control", "Command", "Mac",  # keys on a keyboard, as Django's own Chinese names them
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z']{2,}")


class _Text(HTMLParser):
    """Text a person sees: text nodes outside script/style, button and input values, titles
    and placeholders and aria-labels (screen readers read them)."""

    # <bdi> holds the password hash's salt and digest on a user's page: random letters.
    SKIP = {"script", "style", "template", "bdi"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        attrs = dict(attrs)
        for name in ("title", "placeholder", "aria-label", "alt", "data-label"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


# Addresses, paths and e-mail addresses in the data are not words to translate; nor is axes'
# placeholder for a request without a browser (the test client's force_login logs one).
ADDRESS = re.compile(r"\S+://\S+|\S+@\S+|(?<![\w])/[\w/.?=&%-]*|<unknown>")


def english_words(html: str, data: set[str]) -> set[str]:
    parser = _Text()
    parser.feed(html)
    text = ADDRESS.sub(" ", " ".join(parser.parts))
    return {
        w
        for w in WORD.findall(text)
        if w not in ALLOWED and w.upper() not in ALLOWED and w.lower() not in data
    }


def _data_words() -> set[str]:
    """Identifiers people chose (user names, reference data codes): data, not labels."""
    from django.apps import apps

    words = set()
    for model in apps.get_models():
        for field in ("username", "code"):
            if field not in {f.name for f in model._meta.get_fields()}:
                continue
            for value in model.objects.values_list(field, flat=True):
                words.update(w.lower() for w in WORD.findall(str(value)))
    return words


@pytest.fixture
def busy_world(drive, supervisor, chief_a, staff_a, handler, admin_user, client):
    """A row in the tables the admin lists: needs in several states with their events, audit
    entries, outbound messages, login attempts and failures."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from hqzt.needs.states import Status
    from hqzt.notifications.models import OutboundMessage

    for state in (Status.AWAITING_DISPATCH, Status.IN_PROGRESS, Status.AWAITING_ARCHIVE):
        drive(state)
    OutboundMessage.objects.create(
        channel=OutboundMessage.Channel.SMS, to="13812345678", body="您的需求已受理"
    )
    AccessAttempt.objects.create(
        username="staff_a",
        ip_address="10.0.0.1",
        user_agent="浏览器",
        path_info="/accounts/login/",
        failures_since_start=2,
    )
    AccessLog.objects.create(
        username="staff_a", ip_address="10.0.0.1", user_agent="浏览器", path_info="/accounts/login/"
    )
    AccessFailureLog.objects.create(
        username="nobody",
        ip_address="10.0.0.2",
        user_agent="浏览器",
        path_info="/accounts/login/",
        locked_out=False,
    )


def _admin_pages(client):
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{prefix}_changelist"))
        pages.append(reverse("admin:app_list", args=[model._meta.app_label]))
        with contextlib.suppress(NoReverseMatch):
            pages.append(reverse(f"{prefix}_add"))
        first = model_admin.get_queryset(_request_for(client)).order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{prefix}_change", args=[first.pk]))
            pages.append(reverse(f"{prefix}_history", args=[first.pk]))
    return list(dict.fromkeys(pages))


def _request_for(client):
    from django.test import RequestFactory

    from hqzt.accounts.models import User

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(username="sysadmin")
    return request


def test_every_admin_page_is_chinese(busy_world, client_for, admin_user):
    client = client_for(admin_user)
    found = {}
    data = _data_words()
    for url in _admin_pages(client):
        response = client.get(url)
        assert response.status_code in (200, 403), (url, response.status_code)
        if response.status_code != 200:
            continue
        words = english_words(response.content.decode(), data)
        if words:
            found[url] = sorted(words)
    assert found == {}, "\n".join(f"{url}: {' '.join(words)}" for url, words in found.items())


def test_the_compiled_catalog_holds_every_translation_of_the_po_file():
    import gettext
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.BASE_DIR, "locale", "zh_Hans", "LC_MESSAGES")
    with open(folder / "django.mo", "rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    po = (folder / "django.po").read_text()
    ids = re.findall(r'^msgid ((?:".*"\n)+)', po, re.M)
    for raw in ids:
        msgid = "".join(re.findall(r'"(.*)"', raw)).replace('\\"', '"')
        if msgid:
            assert msgid in catalog or (msgid, 0) in catalog, f"msgfmt again: {msgid}"


def test_audit_actions_show_by_their_chinese_names(client_for, admin_user, supervisor, drive):
    import datetime

    from hqzt.audit.models import AuditEvent
    from hqzt.needs.states import Status
    from hqzt.supervision.orders import order_issue

    need = drive(Status.IN_PROGRESS)
    order_issue(
        actor=supervisor,
        station=need.station,
        need=need,
        instruction="请加快办理",
        due_on=datetime.date.today() + datetime.timedelta(3),
    )
    client = client_for(admin_user)
    text = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert "下达督办" in text and "order_issue</td>" not in text
    event = AuditEvent.objects.get(action="order_issue")
    text = client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).content.decode()
    assert "下达督办" in text and "督办" in text
