"""An app server process made ready before its first request: every view imported, then the
objects that live as long as the process moved out of the garbage collector's way.

CPython's full (generation-2) collection walks every tracked object. Measured in gunicorn
workers (bench/README.md, "Where the slow requests came from"), a worker holds ≈190,000 such
objects after a few requests — Django, the app, and the modules the URLconf imports on the first
request (openpyxl, python-docx, ReportLab) — and each full collection, in about one request in
40, cost ≈110 ms of CPU inside whichever request triggered it: that was issue 18's p95 tail.
`gc.freeze()` moves the objects present at that moment into a permanent generation that no
collection walks; requests still collect their own garbage as before.
"""

import gc
from collections.abc import Callable, Iterable

from django.urls import get_resolver


def import_views() -> int:
    """Import the URLconf and, through it, every view module and what they import, which
    Django otherwise does inside the first request; the number of URL patterns."""
    return len(get_resolver().url_patterns)


def freeze_process(preload: Iterable[Callable[[], object]] = (), log=None) -> int:
    """Import the views, call each of `preload` (what the app otherwise loads on first use and
    keeps for the process's life), collect once, then freeze every object now alive: the
    number frozen. Call it after the app is loaded and before the first request, once per
    process (gunicorn's post_worker_init in gunicorn.conf.py). A preload that fails is logged
    on `log` and left to its first use, as without this: an exception in gunicorn's hook stops
    the whole server, for what is only a head start."""
    import_views()
    for load in preload:
        try:
            load()
        except Exception:
            if log is None:
                raise
            log.exception("preloading %s failed; it loads on first use", load.__name__)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
