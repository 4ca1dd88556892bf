"""A state's badge tone is declared once, beside its machine's table, and templates read it through
`status_tone` instead of switching on raw status strings (issue 17)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from hqzt.audit.statemachine import machine_for, machines
from hqzt.core import clock
from hqzt.operations.models import WorkSuggestion
from hqzt.supervision.models import SupervisionOrder

TONES = {"primary", "secondary", "success", "danger", "warning", "info", "light", "dark"}
# Pages whose rows are an import's outcomes (a dataclass), not a model's state or a permission.
RAW_STATUS_ALLOWED = {"documents/import_review.html", "documents/enterprise_import_review.html"}


@pytest.mark.parametrize("machine", machines(), ids=lambda m: m.model)
def test_declared_tones_name_real_states_and_bootstrap_tones(machine):
    states = {value for value, _ in machine.states()}
    for state, tone in machine.tones:
        assert str(state) in states and tone in TONES, (machine.model, state, tone)
    if machine.tones:  # a machine that shows badges colours every one of its states
        assert {str(state) for state, _ in machine.tones} == states, machine.model


def test_the_filter_reads_the_machine():
    template = Template("{% load states %}{{ order|status_tone }} {{ other|status_tone }}")
    order = SupervisionOrder(status=SupervisionOrder.Status.RESPONDED)
    assert machine_for(SupervisionOrder).tone_of("responded") == "info"
    assert template.render(Context({"order": order, "other": object()})) == "info secondary"


def test_templates_do_not_switch_on_raw_status_strings():
    root = Path(settings.BASE_DIR) / "templates"
    raw = re.compile(r"\.status\s*[!=]=\s*['\"]")
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if str(path.relative_to(root)) not in RAW_STATUS_ALLOWED and raw.search(path.read_text())
    ]
    assert not found, f"use |status_tone or a may_* flag from the view: {found}"


def test_a_read_suggestion_shows_read_until_it_is_answered():
    waiting = WorkSuggestion(status=WorkSuggestion.Status.SUBMITTED)
    assert not waiting.read_unanswered and waiting.read_at is None
    waiting.read_at = clock.now()
    assert waiting.read_unanswered
    answered = WorkSuggestion(status=WorkSuggestion.Status.ANSWERED, read_at=clock.now())
    assert not answered.read_unanswered
    assert machine_for(WorkSuggestion).tone_of(answered.status) == "success"
