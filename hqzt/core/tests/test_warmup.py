"""An app server worker freezes its long-lived objects before its first request
(gunicorn.conf.py, core/warmup.py): a full garbage collection otherwise walked ≈190,000 of them
inside one request in about forty, issue 18's p95 tail (bench/README.md)."""

import gc
import runpy
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import get_resolver

from hqzt.core.warmup import freeze_process

CONFIG = settings.BASE_DIR / "gunicorn.conf.py"


@pytest.fixture
def unfrozen():
    """Give the test process its objects back to the collector afterwards."""
    yield
    gc.unfreeze()


def _tracked(target: object) -> bool:
    return any(obj is target for obj in gc.get_objects())


def test_the_worker_hook_freezes_the_loaded_app_and_its_views(unfrozen):
    logged = []
    worker = SimpleNamespace(log=SimpleNamespace(info=lambda *args: logged.append(args)))
    hook = runpy.run_path(str(CONFIG))["post_worker_init"]

    hook(worker)

    assert gc.get_freeze_count() > 10_000
    assert not _tracked(get_resolver())  # the URLconf: loaded, then out of the collector's walk
    assert "hqzt.needs.views.ledger" in sys.modules
    # A frozen object is still freed when its last reference goes: the count only falls.
    assert logged and logged[0][1] >= gc.get_freeze_count()


def test_objects_made_after_the_freeze_are_still_collected(unfrozen):
    freeze_process()
    cycle: list = []
    cycle.append(cycle)
    assert _tracked(cycle)
    del cycle
    assert gc.collect() >= 1


def test_gunicorn_started_in_the_project_reads_the_hook():
    """`gunicorn hqzt.wsgi` as README and docs/deploy.md start it, without -c."""
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "hqzt.wsgi"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    hooks = [
        line.split("=", 1)[1].strip()
        for line in result.stdout.splitlines()
        if line.startswith("post_worker_init ")
    ]
    assert hooks == ["<post_worker_init()>"]  # gunicorn's own default prints as PostWorkerInit.…


def test_the_worker_hook_loads_every_need_classifier_before_freezing(unfrozen, settings, tmp_path):
    """The first need page of a worker loaded its city's model (≈0.5 s, ≈65,000 objects left in
    every full collection's walk); now each city's and the corpus model are loaded and frozen
    with the app."""
    from hqzt.intake import services

    settings.DATA_DIR = tmp_path
    services.model_dir().mkdir()
    for name in ("model-city-1.json.gz", "model-city-7.json.gz", "model.json.gz"):
        shutil.copy(services.DEFAULT_MODEL, services.model_dir() / name)
    services._cache.clear()
    worker = SimpleNamespace(log=SimpleNamespace(info=lambda *args: None))
    runpy.run_path(str(CONFIG))["post_worker_init"](worker)

    assert sorted(path.name for path in services._cache) == [
        "model-city-1.json.gz",
        "model-city-7.json.gz",
        "model.json.gz",
    ]
    assert not any(_tracked(classifier) for _, classifier in services._cache.values())
    assert services.classifier_for(7) is services._cache[services.model_path(7)][1]


def test_a_failing_preload_is_logged_and_the_worker_still_freezes(unfrozen):
    """An exception in gunicorn's post_worker_init stops the whole server: a preload that fails
    (an old model file after an upgrade) is logged and left to its first use."""
    logged = []

    def broken_model():
        raise ValueError("unknown model format")

    log = SimpleNamespace(exception=lambda *args: logged.append(args))
    assert freeze_process(preload=[broken_model], log=log) > 10_000
    assert logged and logged[0][1] == "broken_model"
    with pytest.raises(ValueError, match="unknown model format"):
        freeze_process(preload=[broken_model])  # without a log, as a test wants it
