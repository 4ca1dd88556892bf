"""The outside test set (corpus/outside/) stays outside: no text of it is learnt from, and its
labels use the names the classifier answers with, so bench/intake_outside.py compares like with
like. Its figures are measured in bench/, never asserted here."""

import json
from pathlib import Path

from hqzt.intake import labels
from hqzt.intake.corpus import training_samples

OUTSIDE = Path(labels.__file__).resolve().parent / "corpus" / "outside" / "needs.jsonl"


def _outside() -> list[dict]:
    return [json.loads(line) for line in OUTSIDE.read_text("utf-8").splitlines() if line.strip()]


def test_no_outside_text_is_a_training_text():
    learnt = {s.text for s in training_samples()}
    assert not [row["text"] for row in _outside() if row["text"] in learnt]


def test_outside_labels_use_the_classifier_names_and_rule_3():
    for row in _outside():
        assert row["type"] in labels.TYPES, row
        assert row["lead"] in labels.LEAD_NAMES, row
        assert row["scope"] == labels.scope_of_lead(row["lead"]), row
        if row["scope"] == labels.SCOPE_OTHER:
            assert row["complexity"] == labels.COORDINATED, row
        assert row["complexity"] in labels.COMPLEXITIES, row
