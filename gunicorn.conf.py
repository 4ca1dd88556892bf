"""gunicorn's settings for 惠企直通, read by `gunicorn hqzt.wsgi` started in this directory
(gunicorn reads ./gunicorn.conf.py by default; elsewhere pass `-c /path/to/gunicorn.conf.py`).
Workers, bind address and the rest stay on the command line (README, docs/deploy.md).
"""


def post_worker_init(worker) -> None:
    """Each worker, once the app is loaded: import every view and freeze the long-lived objects
    out of the garbage collector's full passes (hqzt/core/warmup.py: ≈110 ms of CPU in about
    one request in forty otherwise). Not in the master with preload_app: a worker imports the
    app itself, so no database connection or file is ever shared across a fork."""
    from hqzt.core.warmup import freeze_process

    frozen = freeze_process()
    worker.log.info("froze %d objects after loading the app", frozen)
