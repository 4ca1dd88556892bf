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


def load_all_classifiers() -> int:
    """Load every model a page may ask for — each city's, the corpus model or the committed
    default — so an app server can load them before its first request and freeze them with the
    app (core/warmup.py): the first need page of each worker loaded its city's model otherwise
    (≈0.5 s). A model retrained later (nightly) is read again on first use after it, as before.
    The number loaded."""
    cities = sorted(model_dir().glob("model-city-*.json.gz"))
    corpus = model_path() if model_path().exists() else DEFAULT_MODEL
    for path in [*cities, corpus]:
        _load(path)
    return len(cities) + 1


def suggest(text: str, *, city_id: int | None = None, context: tuple[str, ...] = ()) -> Suggestion:
    """Ranked types, scopes, complexities and leads for a need's text (and, in `context`, what
    is known of the enterprise), with confidences and the deciding words. Milliseconds on the
    CPU; never reads a label from its input."""
    return classifier_for(city_id).suggest(text, context)


def enterprise_context(enterprise) -> tuple[str, ...]:
    """The enterprise's industry and chains as classifier features. Chains are read through
    `.all()` so a caller's prefetch serves them."""
    if enterprise is None:
        return ()
    items = [f"行业:{enterprise.industry.strip()}"] if enterprise.industry.strip() else []
    items += sorted(f"链:{chain.name}" for chain in enterprise.chains.all())
    return tuple(items)


def history_samples(city_id: int) -> list[Sample]:
    """Needs people of the city's stations identified (and dispatched or liaised), as training
    samples: the type, scope and complexity they settled on, and the lead they chose."""
    from hqzt.needs.models import Complexity, Need, Scope
    from hqzt.org.models import OrgUnit

    city = OrgUnit.objects.get(pk=city_id)
    rows = (
        Need.objects.filter(station__superior_unit__path__startswith=city.path)
        .exclude(scope="")
        .select_related("need_type", "lead_section", "department", "enterprise")
        .prefetch_related("enterprise__chains")
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
                context=enterprise_context(need.enterprise),
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


# -- in the product ---------------------------------------------------------------------------


def city_id_of(unit_path: str) -> int | None:
    """The city-level unit on a materialised path ("/1/4/"), whose model a station uses."""
    from hqzt.org.models import OrgUnit

    ids = [int(part) for part in unit_path.strip("/").split("/") if part.isdigit()]
    return (
        OrgUnit.objects.filter(pk__in=ids, level=OrgUnit.Level.CITY)
        .values_list("pk", flat=True)
        .first()
    )


def suggestion_for_need(need) -> Suggestion:
    """The suggestion for a registered need, from its station's city model."""
    return suggest(
        need.content,
        city_id=city_id_of(need.station.superior_unit.path),
        context=enterprise_context(need.enterprise),
    )


def suggested_sections(suggestion: Suggestion, *, departments: bool, need) -> list:
    """The suggested leads of one kind (bureau sections or other departments) that exist as
    active sections, best first, as (Section, Ranked); the need's city's row wins a name clash."""
    from hqzt.org.models import Section

    kind = Section.Kind.OTHER_DEPARTMENT if departments else Section.Kind.BUREAU_SECTION
    ranked = [r for r in suggestion.leads if (r.name in labels.DEPARTMENTS) == departments]
    city_id = city_id_of(need.station.superior_unit.path)
    by_name: dict[str, Section] = {}
    rows = Section.objects.filter(
        name__in=[r.name for r in ranked], kind=kind, is_active=True
    ).order_by("id")
    for section in rows:
        if section.name not in by_name or section.org_unit_id == city_id:
            by_name[section.name] = section
    return [(by_name[r.name], r) for r in ranked if r.name in by_name]


def describe(options: list[tuple[str, float]], words: list[str]) -> str:
    """The help text under a pre-filled field: the suggestion, why, and the next two."""
    if not options:
        return ""
    (best, confidence), *rest = options
    text = f"系统建议：{best}（可信度 {confidence:.0%}"
    text += f"，依据：{'、'.join(words)}）" if words else "）"
    if rest[:2]:
        text += "；其次：" + "、".join(f"{name}（{p:.0%}）" for name, p in rest[:2])
    return text


def record_decision(*, need, stage: str, actor, suggested: str, confidence: float, chosen: str):
    """Keeps what was suggested and what the person chose (建议采纳率, overrides)."""
    from hqzt.intake.models import SuggestionRecord

    return SuggestionRecord.objects.create(
        need=need,
        stage=stage,
        suggested=suggested,
        confidence=confidence,
        chosen=chosen,
        accepted=suggested == chosen,
        actor=actor,
    )


def record_identification(need, actor) -> None:
    """After 需求识别: the type chosen at registration and the scope/complexity now chosen,
    each against the suggestion."""
    from hqzt.intake.models import SuggestionRecord
    from hqzt.needs.models import Scope

    suggestion = suggestion_for_need(need)
    record_decision(
        need=need,
        stage=SuggestionRecord.Stage.TYPE,
        actor=actor,
        suggested=suggestion.type.name,
        confidence=suggestion.type.confidence,
        chosen=need.need_type.name,
    )
    suggested = suggestion.scope.name
    if suggested == labels.SCOPE_MARKET:
        suggested += "/" + suggestion.complexity.name
    chosen = Scope(need.scope).label
    if need.scope == Scope.MARKET_REGULATION:
        chosen += "/" + need.get_complexity_display()
    record_decision(
        need=need,
        stage=SuggestionRecord.Stage.IDENTIFY,
        actor=actor,
        suggested=suggested,
        confidence=suggestion.scope.confidence,
        chosen=chosen,
    )


def record_lead(need, actor, *, departments: bool) -> None:
    """After 分发 (a bureau section) or 联络 (a department): the lead chosen against the one the
    form was pre-filled with."""
    from hqzt.intake.models import SuggestionRecord

    options = suggested_sections(suggestion_for_need(need), departments=departments, need=need)
    chosen = need.department if departments else need.lead_section
    if not options or chosen is None:
        return
    section, ranked = options[0]
    record_decision(
        need=need,
        stage=SuggestionRecord.Stage.LIAISE if departments else SuggestionRecord.Stage.DISPATCH,
        actor=actor,
        suggested=section.name,
        confidence=ranked.confidence,
        chosen=chosen.name,
    )


def retrain_all_cities() -> list[Path]:
    """The scheduled retraining: the corpus model and one model per city with history."""
    from hqzt.org.models import OrgUnit

    paths = [build_model()[0]]
    for city_id in OrgUnit.objects.filter(level=OrgUnit.Level.CITY).values_list("pk", flat=True):
        paths.append(build_model(city_id)[0])
    return paths
