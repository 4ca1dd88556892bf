"""needs reaches the apps above it only through what they register (ADR 0011): the hook registry
calls each subscriber once, in order, inside the caller's transaction, and an app may add an action
to the need page but not replace one of needs' own."""

import pytest

from hqzt.needs.actions import ACTIONS, ActionSpec, action_register
from hqzt.needs.hooks import Hook, evaluation_recorded
from hqzt.records.forms import ShowcaseForm
from hqzt.supervision.callbacks import callback_for_evaluation


def test_subscribers_run_once_each_in_order_and_their_errors_are_the_callers():
    hook: Hook[int] = Hook("test")
    heard: list[str] = []

    def first(n: int) -> None:
        heard.append(f"first {n}")

    def second(n: int) -> None:
        heard.append(f"second {n}")
        if n < 0:
            raise ValueError("refused")

    hook.subscribe(first)
    hook.subscribe(second)
    hook.subscribe(first)  # ready() again: no second call
    hook.announce(1)
    assert heard == ["first 1", "second 1"]
    with pytest.raises(ValueError):
        hook.announce(-1)


def test_supervision_hears_every_evaluation_and_records_adds_the_showcase_action():
    assert callback_for_evaluation in evaluation_recorded._subscribers
    assert ACTIONS["showcase"].form is ShowcaseForm


def test_an_app_cannot_replace_one_of_needs_own_actions():
    with pytest.raises(ValueError):
        action_register("archive", ACTIONS["archive"], offered=lambda user, need, standing: True)
    assert isinstance(ACTIONS["archive"], ActionSpec)
