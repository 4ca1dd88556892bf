"""The labelled need texts (README.md): train.jsonl to learn from, heldout.tsv to measure on."""

import json
from pathlib import Path

from hqzt.intake import labels
from hqzt.intake.model import Sample

HERE = Path(__file__).resolve().parent


def _sample(text: str, type_name: str, lead_code: str, complexity_code: str) -> Sample:
    lead, is_department = labels.LEADS[lead_code]
    complexity = labels.COORDINATED if complexity_code == "X" or is_department else labels.SIMPLE
    return Sample(
        text=text,
        type=type_name,
        scope=labels.scope_of_lead(lead),
        complexity=complexity,
        lead=lead,
    )


def training_samples() -> list[Sample]:
    rows = (json.loads(line) for line in (HERE / "train.jsonl").read_text("utf-8").splitlines())
    return [_sample(r["text"], r["type"], r["lead"], r["complexity"]) for r in rows]


def heldout_samples() -> list[Sample]:
    samples = []
    for line in (HERE / "heldout.tsv").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        type_name, lead_code, complexity_code, text = line.split("\t", 3)
        samples.append(_sample(text, type_name, lead_code, complexity_code))
    return samples
