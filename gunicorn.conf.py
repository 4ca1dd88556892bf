"""gunicorn's settings for 惠企直通, read by `gunicorn hqzt.wsgi` started in this directory
(gunicorn reads ./gunicorn.conf.py by default; elsewhere pass `-c /path/to/gunicorn.conf.py`).
Workers, bind address and the rest stay on the command line (README, docs/deploy.md).
"""


def post_worker_init(worker) -> None:
    """Each worker, once the app is loaded: import every view and freeze the long-lived objects
    out of the garbage collector's full passes (hqzt/core/warmup.py: ≈110 ms of CPU in about
    one request in forty otherwise). The need classifiers are loaded first and frozen with the
    rest: the first need page of each worker loaded its city's (≈0.5 s), and its ≈65,000
    objects were walked by every full collection after. Not in the master with preload_app: a
    worker imports the app itself, so no database connection or file is ever shared across a
    fork."""
    from hqzt.core.warmup import freeze_process
    from hqzt.intake.services import load_all_classifiers

    frozen = freeze_process(preload=[load_all_classifiers], log=worker.log)
    worker.log.info("froze %d objects after loading the app", frozen)
