"""Suggestions for a need's type, scope, complexity and lead: the public entry point.

`suggest(text)` is all a caller needs (intake forms, the ledger import, the API). Models are
files under DATA_DIR/intake/ built by `manage.py build_intake_model` (never downloaded); a city
gets its own once its stations have identified needs, else the corpus-only model is used, and a
fresh clone without either uses the committed default (default_model.json.gz). Models load
lazily, once per process, and are reloaded when their file changes (the scheduled retraining).
"""

import threading
import time
from pathlib import Path

from django.conf import settings

from hqzt.intake import labels
from hqzt.intake.corpus import training_samples
from hqzt.intake.model import Classifier, Sample, Suggestion

DEFAULT_MODEL = Path(__file__).resolve().parent / "default_model.json.gz"
# A person's own classification outweighs a corpus text: after a few overrides of the same kind
# of need the suggestion follows local practice.
HISTORY_WEIGHT = 3.0

_lock = threading.Lock()
_cache: dict[Path, tuple[float, Classifier]] = {}


def model_dir() -> Path:
    return Path(settings.DATA_DIR) / "intake"


def model_path(city_id: int | None = None) -> Path:
    name = f"model-city-{city_id}.json.gz" if city_id else "model.json.gz"
    return model_dir() / name


def _load(path: Path) -> Classifier:
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    with _lock:
        cached = _cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        classifier = Classifier.load(path)
        _cache[path] = (mtime, classifier)
        return classifier


def classifier_for(city_id: int | None = None) -> Classifier:
    """The city's model, else the corpus model under DATA_DIR, else the committed default."""
    for path in (model_path(city_id) if city_id else None, model_path(), DEFAULT_MODEL):
        if path is not None and path.exists():
            return _load(path)
    raise FileNotFoundError(DEFAULT_MODEL)


def suggest(text: str, *, city_id: int | None = None) -> Suggestion:
    """Ranked types, scopes, complexities and leads for a need's text, with confidences and the
    deciding words. Milliseconds on the CPU; never reads a label from its input."""
    return classifier_for(city_id).suggest(text)


def history_samples(city_id: int) -> list[Sample]:
    """Needs people of the city's stations identified (and dispatched or liaised), as training
    samples: the type, scope and complexity they settled on, and the lead they chose."""
    from hqzt.needs.models import Complexity, Need, Scope
    from hqzt.org.models import OrgUnit

    city = OrgUnit.objects.get(pk=city_id)
    rows = (
        Need.objects.filter(station__superior_unit__path__startswith=city.path)
        .exclude(scope="")
        .select_related("need_type", "lead_section", "department")
        .order_by("id")
    )
    scope_names = {
        Scope.MARKET_REGULATION: labels.SCOPE_MARKET,
        Scope.OTHER_DEPARTMENT: labels.SCOPE_OTHER,
    }
    samples = []
    for need in rows.iterator(chunk_size=2000):
        if need.need_type.name not in labels.TYPES:
            continue
        lead_row = need.department if need.scope == Scope.OTHER_DEPARTMENT else need.lead_section
        lead = lead_row.name if lead_row and lead_row.name in labels.LEAD_NAMES else ""
        if need.scope == Scope.OTHER_DEPARTMENT:
            complexity = labels.COORDINATED
        else:
            complexity = (
                labels.SIMPLE if need.complexity == Complexity.SIMPLE else labels.COORDINATED
            )
        samples.append(
            Sample(
                text=need.content,
                type=need.need_type.name,
                scope=scope_names[need.scope],
                complexity=complexity,
                lead=lead,
                weight=HISTORY_WEIGHT,
            )
        )
    return samples


def build_model(city_id: int | None = None) -> tuple[Path, Classifier]:
    """Train on the corpus (and, for a city, its history) and store the model under DATA_DIR."""
    started = time.perf_counter()
    samples = training_samples()
    history = history_samples(city_id) if city_id else []
    classifier = Classifier.train(
        [*samples, *history],
        meta={"city": city_id, "corpus": len(samples), "history": len(history)},
    )
    classifier.meta["build_seconds"] = round(time.perf_counter() - started, 3)
    path = model_path(city_id)
    classifier.save(path)
    return path, classifier
